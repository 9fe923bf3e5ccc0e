/**
 * What the self-assessment and the review pages share: one field per criterion of the profile,
 * the total and the band as the reader types (computed by the domain's own scoring functions on
 * the server, fetched by htmx), and a refusal of the workflow put next to the field it names.
 */
import type { TFunction } from 'i18next';
import type { Criterion, ScoringProfile } from '../../domain/scoring';
import { gradeFor, totalOf, validateScores } from '../../domain/scoring';
import type { Grade, Issue, Scores } from '../../domain/types';
import { HttpError } from '../../api/errors';
import type { Speech } from '../i18n';

/** The form's name for a criterion's field (prefixed, so no criterion can clash with another field). */
export const scoreName = (key: string) => `score.${key}`;
export const scoreId = (key: string) => `score-${key}`;
const errorId = (key: string) => `score-${key}-error`;

type Form = Record<string, string | File | (string | File)[]>;

export interface ScoreEntry {
  /** What the reader typed, per criterion key, to show back. */
  values: Record<string, string>;
  /** What is wrong with each field, in the reader's words. */
  errors: Record<string, string>;
  /** The scores as numbers, when every field holds one (the rules are the workflow's to apply). */
  scores: Scores | null;
}

/** The words for a rule of `validateScores` broken by a criterion's value. */
function issueText(t: TFunction, c: Criterion | undefined, rule: string): string {
  const range = { min: c?.min ?? 0, max: c?.max ?? 0 };
  if (rule === 'range') return t('scoring.issue.range', range);
  if (rule === 'precision') return t('scoring.issue.precision');
  if (rule === 'required') return t('scoring.issue.required', range);
  if (rule === 'type') return t('scoring.issue.type');
  return t('scoring.issue.other');
}

/** Puts `issues` (as `validateScores` or the workflow's refusal names them) next to their fields. */
export function issuesByField(t: TFunction, profile: ScoringProfile, issues: Issue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.field.replace(/^scores\./, '');
    errors[key] ??= issueText(
      t,
      profile.criteria.find((c) => c.key === key),
      issue.rule,
    );
  }
  return errors;
}

/** The workflow's field-level refusal (400 with `details.fields`), if that is what `err` is. */
export function refusedFields(err: unknown): Issue[] | null {
  if (!(err instanceof HttpError) || err.status !== 400) return null;
  const fields = (err.details as { fields?: unknown } | undefined)?.fields;
  return Array.isArray(fields) ? (fields as Issue[]) : null;
}

/** Reads the criteria's fields: a decimal comma is a decimal point; blank or not a number is said so. */
export function readScores(t: TFunction, profile: ScoringProfile, form: Form): ScoreEntry {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const scores: Scores = {};
  for (const c of profile.criteria) {
    const sent = form[scoreName(c.key)];
    const raw = (typeof sent === 'string' ? sent : '').trim().slice(0, 20);
    values[c.key] = raw;
    const n = Number(raw.replace(',', '.'));
    if (raw === '') errors[c.key] = issueText(t, c, 'required');
    else if (!Number.isFinite(n)) errors[c.key] = issueText(t, c, 'type');
    else scores[c.key] = n;
  }
  return { values, errors, scores: Object.keys(errors).length === 0 ? scores : null };
}

/** The total and band of what was typed, or why there is none yet; by the domain's own rules. */
export function liveResult(t: TFunction, profile: ScoringProfile, entry: ScoreEntry) {
  if (!entry.scores) return { total: null, grade: null, errors: entry.errors };
  const issues = validateScores(profile, entry.scores);
  if (issues.length > 0) return { total: null, grade: null, errors: issuesByField(t, profile, issues) };
  const total = totalOf(profile, entry.scores);
  return { total, grade: gradeFor(total, profile), errors: {} as Record<string, string> };
}

/** A criterion's name in the reader's language; the profile's own (Vietnamese) label when the catalogue has none. */
export const criterionLabel = (t: TFunction, c: Criterion) =>
  t(`scoring.criterion.${c.key}`, { defaultValue: c.label });

/** The most points the profile gives: its criteria's maxima summed. */
const maxTotal = (profile: ScoringProfile) => profile.criteria.reduce((sum, c) => sum + c.max, 0);

/** "A · Hoàn thành xuất sắc nhiệm vụ". */
export const bandText = (t: TFunction, grade: Grade) => `${grade} · ${t(`scoring.band.${grade}`)}`;

/** The total and the band, announced politely to a screen reader as they change. */
export function ScoreSummary(props: {
  speech: Speech;
  profile: ScoringProfile;
  id: string;
  total: number | null;
  grade: Grade | null;
}) {
  const { t, number } = props.speech;
  return (
    <div id={props.id} class="summary" role="status" aria-live="polite">
      {props.total === null || props.grade === null ? (
        <p>{t('scoring.incomplete')}</p>
      ) : (
        <dl class="facts">
          <dt>{t('scoring.total')}</dt>
          <dd class="total">
            {t('scoring.outOf', { total: number(props.total), max: number(maxTotal(props.profile)) })}
          </dd>
          <dt>{t('scoring.band.label')}</dt>
          <dd class="band">{bandText(t, props.grade)}</dd>
        </dl>
      )}
    </div>
  );
}

/** What htmx swaps in as the reader types: the summary, and each field's message out of band. */
export function LiveFragment(props: {
  speech: Speech;
  profile: ScoringProfile;
  summaryId: string;
  result: ReturnType<typeof liveResult>;
}) {
  return (
    <>
      <ScoreSummary
        speech={props.speech}
        profile={props.profile}
        id={props.summaryId}
        total={props.result.total}
        grade={props.result.grade}
      />
      {props.profile.criteria.map((c) => (
        <p class="error" id={errorId(c.key)} hx-swap-oob="true">
          {props.result.errors[c.key] ?? ''}
        </p>
      ))}
    </>
  );
}

/**
 * One field per criterion, with its range, what the other side scored (the review page shows the
 * self-assessment beside each field), and its message slot; typing asks `liveUrl` for the summary.
 */
export function ScoreFields(props: {
  speech: Speech;
  profile: ScoringProfile;
  entry: Pick<ScoreEntry, 'values' | 'errors'>;
  liveUrl: string;
  summaryId: string;
  beside?: { label: string; scores: Scores | null };
}) {
  const { t, number } = props.speech;
  const { entry, beside } = props;
  // A refused form comes back with the keyboard on its first marked field (htmx honours autofocus on a swap).
  const firstInvalid = props.profile.criteria.find((c) => entry.errors[c.key])?.key;
  return (
    <div
      class="scores"
      hx-get={props.liveUrl}
      hx-trigger="input changed delay:300ms"
      hx-include="this"
      hx-target={`#${props.summaryId}`}
      hx-swap="outerHTML"
      hx-sync="this:replace"
    >
      {props.profile.criteria.map((c) => {
        const error = entry.errors[c.key];
        const hint = `score-${c.key}-hint`;
        return (
          <div class="score-row">
            <label for={scoreId(c.key)}>{criterionLabel(t, c)}</label>
            <p class="hint" id={hint}>
              {t('scoring.range', { min: number(c.min), max: number(c.max) })}
              {beside && (
                <>
                  {' · '}
                  {beside.label}:{' '}
                  <strong>
                    {beside.scores?.[c.key] === undefined ? t('scoring.none') : number(beside.scores[c.key])}
                  </strong>
                </>
              )}
            </p>
            <input
              type="text"
              inputmode="decimal"
              autocomplete="off"
              id={scoreId(c.key)}
              name={scoreName(c.key)}
              value={entry.values[c.key] ?? ''}
              maxlength={20}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={`${hint} ${errorId(c.key)}`}
              autofocus={c.key === firstInvalid}
            />
            <p class="error" id={errorId(c.key)}>
              {error ?? ''}
            </p>
          </div>
        );
      })}
    </div>
  );
}
