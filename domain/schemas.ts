/**
 * Zod schemas for the directory and evaluation vocabulary of `types`. Kept apart from the types so
 * that workflow code, which imports the types, never bundles zod (it costs ~0.7 MiB per cached
 * workflow; see docs/benchmarks.md).
 */
import { z } from 'zod';

/**
 * Zod schema for an ID the engine made or was given: a directory ID, a UUID, a proposal key
 * (`replacement:khanh:d-two-months:"2026-09","2026-10"` keeps only `:`, `|`, `,` and the characters
 * below). Printable and bounded, so no path or body carries a control character to PostgreSQL.
 */
export const EngineIdSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9._:|,-]+$/, 'letters, digits and . _ : | , -');

/** Zod schema for {@link Grade}. */
export const GradeSchema = z.enum(['A', 'B', 'C', 'D']);

/** Zod schema for {@link Role}. */
export const RoleSchema = z.enum(['head', 'deputy', 'staff']);

/**
 * The years a date may carry: wide enough for a post held since long before the engine, narrow
 * enough that calendar arithmetic downstream (a period's next month, a deadline's working day)
 * never leaves four-digit years.
 */
export const DATE_YEARS = { min: 1950, max: 2100 } as const;

/** The years a period or a deadline may carry: the engine's own working life. */
export const PERIOD_YEARS = { min: 2000, max: 2100 } as const;

/** Control characters PostgreSQL and the read model must never see; tab, CR and LF are kept for multi-line text. */
const MULTILINE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/*
 * The same rules as patterns of the OpenAPI document (zod's refinements do not reach it), so a
 * client or a fuzzer knows what the API accepts: control characters, the years and the calendar.
 */
const MULTILINE_CONTROL_CLASS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const LINE_CONTROL_CLASS = '\\u0000-\\u001F\\u007F-\\u009F';
/** A day that exists in month `MM` of any year (29 February apart). */
const MONTH_DAY = '((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)';
const dayPattern = (years: { all: string; leap: string }) => `(${years.all}-${MONTH_DAY}|${years.leap}-02-29)`;
/** {@link DATE_YEARS}, and its leap years (2000 is one; 2100 is not). */
const DATE_YEARS_PATTERN = {
  all: '(19[5-9][0-9]|20[0-9]{2}|2100)',
  leap: '(19([68][048]|[579][26])|20([02468][048]|[13579][26]))',
};
/** {@link PERIOD_YEARS}, and its leap years. */
const PERIOD_YEARS_PATTERN = { all: '(20[0-9]{2}|2100)', leap: '20([02468][048]|[13579][26])' };
const LINE_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its pair cannot be encoded as UTF-8, so PostgreSQL refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or null when it can. */
export function textProblem(text: string, multiline: boolean): string | null {
  if ((multiline ? MULTILINE_CONTROL : LINE_CONTROL).test(text)) {
    return multiline
      ? 'control characters other than tab and newline are not allowed'
      : 'control characters are not allowed';
  }
  if (LONE_SURROGATE.test(text)) return 'not valid Unicode text';
  return null;
}

/**
 * Zod schema for free text a person types: trimmed, at most `max` characters, no control
 * characters (a multi-line text keeps tab and newline), valid Unicode. `min` defaults to 1.
 */
export function textSchema(max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const multiline = opts.multiline ?? false;
  const control = multiline ? MULTILINE_CONTROL_CLASS : LINE_CONTROL_CLASS;
  return z
    .string()
    .trim()
    .min(opts.min ?? 1, opts.min === 0 ? undefined : 'must not be empty')
    .max(max, `at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, multiline);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { rule: 'text' } });
    })
    .meta({
      pattern: opts.min === 0 ? `^[^${control}]*$` : `^[^${control}]*[^\\s${control}][^${control}]*$`,
    });
}

const inYears = (year: number, years: { min: number; max: number }) => year >= years.min && year <= years.max;

/** Whether `y-m-d` names a day that exists (no 30 February). */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  const at = new Date(Date.UTC(2000, m - 1, d));
  at.setUTCFullYear(y);
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** Zod schema for a `YYYY-MM` evaluation period between {@link PERIOD_YEARS}. */
export const PeriodSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
  .refine(
    (p) => !/^\d{4}-/.test(p) || inYears(Number(p.slice(0, 4)), PERIOD_YEARS),
    `the year must be between ${PERIOD_YEARS.min} and ${PERIOD_YEARS.max}`,
  )
  .meta({ pattern: `^${PERIOD_YEARS_PATTERN.all}-(0[1-9]|1[0-2])$` });

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Zod schema for a `YYYY-MM-DD` day that exists, between {@link DATE_YEARS}. */
export const DateSchema = z
  .string()
  .regex(DATE, 'expected YYYY-MM-DD')
  .superRefine((value, ctx) => {
    if (!DATE.test(value)) return;
    const [y, m, d] = value.split('-').map(Number);
    if (!isCalendarDate(y, m, d)) ctx.addIssue({ code: 'custom', message: `${value} is not a day of the calendar` });
    else if (!inYears(y, DATE_YEARS))
      ctx.addIssue({ code: 'custom', message: `the year must be between ${DATE_YEARS.min} and ${DATE_YEARS.max}` });
  })
  .meta({ pattern: `^${dayPattern(DATE_YEARS_PATTERN)}$` });

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Why `value` is not a real instant within {@link PERIOD_YEARS}, or null when it is. */
export function instantProblem(value: string): string | null {
  const m = INSTANT.exec(value);
  if (!m) return 'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00';
  const [y, mo, d, h, mi, s = '0', , oh = '0', om = '0'] = m.slice(1);
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return `${y}-${mo}-${d} is not a day of the calendar`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return `${h}:${mi}:${s.padStart(2, '0')} is not a time of day`;
  if (Number(oh) > 14 || Number(om) > 59) return 'the offset must be between -14:00 and +14:00';
  if (!inYears(Number(y), PERIOD_YEARS) || !inYears(new Date(value).getUTCFullYear(), PERIOD_YEARS)) {
    return `the year must be between ${PERIOD_YEARS.min} and ${PERIOD_YEARS.max}`;
  }
  return null;
}

/**
 * Zod schema for an instant with an explicit offset that exists on the calendar and the clock.
 * The offset is mandatory because `Date.parse` reads offset-less date-times in the machine's
 * zone, which would make deadlines depend on where the worker runs.
 */
export const InstantSchema = z
  .string()
  .regex(INSTANT, 'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00')
  .superRefine((value, ctx) => {
    const problem = INSTANT.test(value) ? instantProblem(value) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    pattern:
      `^${dayPattern(PERIOD_YEARS_PATTERN)}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?` +
      '(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$',
  });

/** Zod schema for {@link Unit}. */
export const UnitSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  parentId: z.string().min(1).nullable(),
  active: z.boolean().optional(),
});

/** Zod schema for {@link Person}. */
export const PersonSchema = z.object({
  id: z.string().min(1),
  fullName: z.string().min(1),
  unitId: z.string().min(1),
  role: RoleSchema,
  email: z.string().nullable().optional(),
  reviewerId: z.string().min(1).nullable().optional(),
});

/** Zod schema for {@link Directory} (shape only; use `validateDirectory` for referential rules). */
export const DirectorySchema = z.object({
  units: z.array(UnitSchema),
  people: z.array(PersonSchema),
});

/** Zod schema for {@link Scores} (shape only; use `validateScores` for the profile's rules). */
export const ScoresSchema = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,49}$/, 'a criterion key: a letter, then letters, digits, "_" or "-"'),
    z.number().min(-1000).max(1000),
  )
  .refine((scores) => Object.keys(scores).length <= 50, 'at most 50 criteria')
  .meta({ propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]{0,49}$' }, maxProperties: 50 });
