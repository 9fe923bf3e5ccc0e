/**
 * Zod schemas for the directory and evaluation vocabulary of `types`. Kept apart from the types so
 * that workflow code, which imports the types, never bundles zod (it costs ~0.7 MiB per cached
 * workflow; see bench/README.md).
 */
import { z } from 'zod';

/** Zod schema for {@link Grade}. */
export const GradeSchema = z.enum(['A', 'B', 'C', 'D']);

/** Zod schema for {@link Role}. */
export const RoleSchema = z.enum(['head', 'deputy', 'staff']);

/** Zod schema for a `YYYY-MM` evaluation period. */
export const PeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** Zod schema for a `YYYY-MM-DD` calendar date (shape only; day-of-month validity is checked by calendar functions). */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD');

/**
 * Zod schema for an instant with an explicit offset. The offset is mandatory because
 * `Date.parse` reads offset-less date-times in the machine's zone, which would make deadlines
 * depend on where the worker runs.
 */
export const InstantSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00',
  );

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
export const ScoresSchema = z.record(z.string(), z.number());
