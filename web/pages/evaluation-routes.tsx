/**
 * What the self-assessment, review and month pages share: the evaluation a page is about (or a
 * page saying there is none, or that the reader may not see it, as the API would answer), the
 * live total and band as a score field changes, and filing a scored form through a command.
 */
import { randomUUID } from 'node:crypto';
import type { TFunction } from 'i18next';
import { Hono, type Context } from 'hono';
import { mayReadEvaluation, scoringProfileOf } from '../../api/evaluation-steps';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { EvaluationParams, ScoresBody } from '../../api/schemas';
import { findEvaluation, type StoredEvaluation } from '../../db/evaluations';
import type { ScoringProfile } from '../../domain/scoring';
import type { Scores } from '../../domain/types';
import { frameFor, requireSession } from '../frame';
import type { Speech } from '../i18n';
import type { WebEnv, WebSession } from '../session';
import { MessagePage } from './message';
import { refusalText } from './plan-routes';
import { issuesByField, LiveFragment, liveResult, readScores, refusedFields } from './scores';
import type { ScoredFormState } from './self-assessment';

const KEY = /^[\w-]{8,100}$/;

export interface Readable {
  evaluation: StoredEvaluation;
  profile: ScoringProfile;
}

/** A page in words instead of the evaluation: none for that month (404) or not the reader's to see (403). */
async function refusePage(c: Context<WebEnv>, deps: ApiDeps, session: WebSession, status: 403 | 404) {
  const { t } = c.get('speech');
  const frame = await frameFor(c, deps, session);
  const title = t(status === 403 ? 'evaluation.forbiddenTitle' : 'evaluation.noneTitle');
  return c.html(<MessagePage frame={frame} title={title} message={t(`evaluation.${status}`)} />, status);
}

/**
 * The evaluation of `personId` for `period` with its scoring profile, when the reader may read it
 * through the API (`may` narrows it further for a page that also acts); else the refusal page.
 */
export async function readableEvaluation(
  c: Context<WebEnv>,
  deps: ApiDeps,
  session: WebSession,
  at: { period: string | undefined; personId: string | undefined },
  may: (e: StoredEvaluation) => boolean = () => true,
): Promise<Readable | Response> {
  const parsed = EvaluationParams.safeParse(at);
  const e = parsed.success ? await findEvaluation(deps.sql, parsed.data.period, parsed.data.personId) : undefined;
  if (!e) return refusePage(c, deps, session, 404);
  if (!(await mayReadEvaluation(deps.sql, session.caller, e)) || !may(e)) return refusePage(c, deps, session, 403);
  return { evaluation: e, profile: await scoringProfileOf(deps.sql, e) };
}

/** GET /scores/{period}/{personId}: the total and band of the fields as typed, for whoever may read it. */
export function liveScoreRoutes(deps: ApiDeps) {
  return new Hono<WebEnv>().get('/scores/:period/:personId', async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const found = await readableEvaluation(c, deps, session, c.req.param());
    if (found instanceof Response) return found;
    const speech = c.get('speech');
    const entry = readScores(speech.t, found.profile, c.req.query());
    const summaryId = c.req.query('summary') === 'review' ? 'review-summary' : 'live-summary';
    return c.html(
      <LiveFragment
        speech={speech}
        profile={found.profile}
        summaryId={summaryId}
        result={liveResult(speech.t, found.profile, entry)}
      />,
    );
  });
}

/** The form's starting state, from the scores already filed (if any) on the side `scores` names. */
export function scoredState(
  found: Readable,
  filed: { scores: Scores | null; comment: string | null },
  open: boolean,
  speech: Speech,
): ScoredFormState {
  const { t } = speech;
  const values: Record<string, string> = {};
  // Shown in the reader's number format (a decimal comma in Vietnamese), which `readScores` reads back.
  for (const c of found.profile.criteria) {
    const v = filed.scores?.[c.key];
    values[c.key] = v === undefined ? '' : speech.number(v);
  }
  const live = filed.scores
    ? liveResult(t, found.profile, { values, errors: {}, scores: filed.scores })
    : { total: null, grade: null };
  return {
    ...found,
    entry: { values, errors: {} },
    comment: filed.comment ?? '',
    commentError: null,
    formError: null,
    idempotencyKey: randomUUID(),
    accepted: false,
    open,
    live: { total: live.total, grade: live.grade },
  };
}

/** A refusal of the workflow or the API in words; a step not open yet says when it opens. */
function formRefusal(t: TFunction, err: unknown, dateTime: (d: Date) => string): string | null {
  if (err instanceof HttpError && err.status === 409) {
    const opensAt = (err.details as { opensAt?: unknown } | undefined)?.opensAt;
    if (typeof opensAt === 'string') return t('evaluation.opensAt', { at: dateTime(new Date(opensAt)) });
  }
  return refusalText(t, err);
}

/**
 * Reads a posted scored form and files it through `file` (the API's own command); answers the
 * state to show again (with its refusals in words), or null when filed. Without a valid
 * idempotency key nothing is sent: the form is stale.
 */
export async function fileScoredForm(
  c: Context<WebEnv>,
  state: ScoredFormState,
  file: (body: { scores: Scores; comment?: string }, key: string) => Promise<unknown>,
): Promise<ScoredFormState | null | 'stale'> {
  const { t, dateTime } = c.get('speech');
  const form = await c.req.parseBody({ all: true });
  const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
  if (!key) return 'stale';
  const entry = readScores(t, state.profile, form);
  const comment = typeof form.comment === 'string' ? form.comment : '';
  const next: ScoredFormState = { ...state, entry, comment, idempotencyKey: key, live: { total: null, grade: null } };
  const live = liveResult(t, state.profile, { ...entry, errors: {} });
  next.live = { total: live.total, grade: live.grade };
  if (!entry.scores) return { ...next, formError: t('scoring.fix') };
  const body = ScoresBody.safeParse({ scores: entry.scores, ...(comment.trim() ? { comment } : {}) });
  if (!body.success) return { ...next, commentError: t('scoring.commentInvalid') };
  try {
    await file(body.data, key);
    return null;
  } catch (err) {
    const fields = refusedFields(err);
    if (fields) {
      const errors = issuesByField(t, state.profile, fields);
      return { ...next, entry: { ...entry, errors }, formError: t('scoring.fix') };
    }
    const text = formRefusal(t, err, dateTime);
    if (text === null) throw err;
    return { ...next, formError: text };
  }
}
