/**
 * GET /review: the reviews waiting for the reader (the same read as `GET /v1/me/tasks`); GET and
 * POST /review/{period}/{personId}: one review, shown and filed only for the assigned reviewer
 * (or whoever took it over), through the API's own command (`fileReview`).
 */
import { Hono, type Context } from 'hono';
import { identities } from '../../api/auth';
import { fileReview } from '../../api/evaluation-steps';
import type { ApiDeps } from '../../api/deps';
import { tasksFor } from '../../api/read-model';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import { personName } from '../../db/web-sessions';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { evaluationOfTask } from '../task-pages';
import { fileScoredForm, readableEvaluation, scoredState } from './evaluation-routes';
import { MessagePage } from './message';
import { ReviewForm, ReviewPage, ReviewQueuePage, type QueueRow } from './review';
import { liveResult } from './scores';
import type { ScoredFormState } from './self-assessment';

export function reviewRoutes(deps: ApiDeps) {
  const render = async (c: Context<WebEnv>, session: WebSession, state: ScoredFormState, status: 200 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    const { t } = c.get('speech');
    const e = state.evaluation;
    const person = (await personName(deps.sql, e.personId)) ?? e.personId;
    const selfScored = e.selfScores
      ? liveResult(t, state.profile, { values: {}, errors: {}, scores: e.selfScores })
      : { total: null, grade: null };
    const props = { frame, state, now: new Date(), person, self: { total: selfScored.total, grade: selfScored.grade } };
    if (c.req.header('hx-request')) return c.html(<ReviewForm {...props} />, 200);
    return c.html(<ReviewPage {...props} />, status);
  };
  /** Only the assigned reviewer (or whoever acts as them) sees the review; the workflow checks it again on filing. */
  const start = async (c: Context<WebEnv>, session: WebSession) => {
    const mine = identities(session.caller);
    const at = { period: c.req.param('period'), personId: c.req.param('personId') };
    const found = await readableEvaluation(c, deps, session, at, (e) =>
      Boolean(e.reviewerId && mine.includes(e.reviewerId) && e.personId !== session.caller.id),
    );
    if (found instanceof Response) return found;
    const e = found.evaluation;
    const open = e.reviewScores === null && e.status !== 'decided';
    return scoredState(found, { scores: e.reviewScores, comment: e.reviewComment }, open, c.get('speech'));
  };

  return new Hono<WebEnv>()
    .get('/review', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { items } = await tasksFor(deps.sql, identities(session.caller), { limit: MAX_PAGE_SIZE });
      const rows: QueueRow[] = [];
      for (const task of items.filter((i) => i.kind === 'review')) {
        const at = evaluationOfTask(task);
        if (!at) continue;
        const name = (await personName(deps.sql, at.personId)) ?? at.personId;
        rows.push({ ...at, name, dueAt: task.dueAt ? new Date(task.dueAt) : null });
      }
      return c.html(<ReviewQueuePage frame={await frameFor(c, deps, session)} rows={rows} now={new Date()} />);
    })
    .get('/review/:period/:personId', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      return render(c, session, { ...state, accepted: c.req.query('filed') === '1' });
    })
    .post('/review/:period/:personId', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      const e = state.evaluation;
      const at = { period: e.period, personId: e.personId };
      const next = await fileScoredForm(c, state, (body, key) => fileReview(deps, session.caller, at, body, key));
      if (next === 'stale') {
        const { t } = c.get('speech');
        const frame = await frameFor(c, deps, session);
        return c.html(<MessagePage frame={frame} title={t('app.name')} message={t('csrf.refused')} />, 400);
      }
      if (next) return render(c, session, next, 422);
      const done = `/review/${e.period}/${e.personId}?filed=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
