/** What the HR and escalation pages share: reading a posted form, and a refusal put in the reader's words. */
import type { TFunction } from 'i18next';
import type { ZodError } from 'zod';
import { HttpError } from '../../api/errors';

export type Form = Record<string, string | File | (string | File)[]>;

const KEY = /^[\w-]{8,100}$/;

/** A text field of the form ('' when absent). */
export const field = (form: Form, name: string): string => {
  const v = form[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : '';
};

/** The form's idempotency key, when it is one this app gave out. */
export const formKey = (form: Form): string | null => {
  const k = field(form, 'key');
  return KEY.test(k) ? k : null;
};

/** Field → what is wrong with it, from the API schema's complaints. */
export function schemaErrors(t: TFunction, error: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? 'form');
    out[name] ??=
      issue.code === 'custom'
        ? t(`hrRules.schema.${name}`, { defaultValue: t('field.invalid') })
        : issue.code === 'too_small'
          ? t('field.required')
          : issue.code === 'too_big'
            ? t('field.tooLong', { max: Number(issue.maximum) })
            : t('field.invalid');
  }
  return out;
}

/** Which field a refusal's rule is about, so its words stand next to that field. */
const RULE_FIELDS: Record<string, string> = {
  'retirement-within-18-months': 'personId',
  deferral: 'personId',
  'waiver-not-allowed': 'personId',
  'replacement-needs-leader': 'personId',
  'matches-proposal': 'personId',
  'leader-service-years': 'toRole',
  'head-post-occupied': 'toRole',
  'no-change': 'toRole',
  'unknown-unit': 'toUnitId',
  'term-too-short': 'termMonths',
  'reassign-to-leader': 'assigneeId',
  'action-not-available': 'action',
  'no-default': 'action',
};

/**
 * A refusal of a command, placed by field: each rule it names in the catalogue's words (the API's
 * own message when the catalogue has none). Null when `err` is not a refusal.
 */
export function refusalByField(t: TFunction, err: unknown, fallbackField = 'form'): Record<string, string> | null {
  if (!(err instanceof HttpError)) return null;
  const details = err.details as
    | { rule?: string; field?: string; rules?: string[]; issues?: { rule: string; message: string }[] }
    | { field: string; rule: string; message?: string }[]
    | undefined;
  const out: Record<string, string> = {};
  const put = (name: string, text: string) => (out[name] = out[name] ? `${out[name]} ${text}` : text);
  const words = (rule: string, message: string) => {
    const [name, detail = ''] = rule.split(':');
    return t(`hrRules.${name}`, {
      defaultValue: message,
      detail: t(`hrRules.deferralReason.${detail}`, { defaultValue: detail }),
    });
  };
  const headline = t([`refusal.${err.status}`, 'refusal.other']);
  if (Array.isArray(details)) {
    for (const d of details) put(d.field, words(d.rule, d.message ?? err.message));
  } else if (details?.issues) {
    for (const i of details.issues) put(RULE_FIELDS[i.rule.split(':')[0]] ?? fallbackField, words(i.rule, i.message));
  } else if (details?.rule) {
    put(RULE_FIELDS[details.rule] ?? details.field ?? fallbackField, words(details.rule, err.message));
  } else if (details?.field) {
    put(details.field, err.message);
  } else {
    put(fallbackField, err.status === 409 || err.status === 403 ? headline : `${headline} ${err.message}`);
  }
  out.form ??= headline;
  return out;
}
