/**
 * GET and POST /self-assessment/{period}: the reader's own self-assessment, filed by the API's
 * own command (`fileSelfAssessment`), its form's idempotency key becoming the update's ID.
 */
import { Hono, type Context } from 'hono';
import { fileSelfAssessment } from '../../api/evaluation-steps';
import type { ApiDeps } from '../../api/deps';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { fileScoredForm, readableEvaluation, scoredState } from './evaluation-routes';
import { MessagePage } from './message';
import { SelfAssessmentForm, SelfAssessmentPage, type ScoredFormState } from './self-assessment';

export function selfAssessmentRoutes(deps: ApiDeps) {
  const render = async (c: Context<WebEnv>, session: WebSession, state: ScoredFormState, status: 200 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    const now = new Date();
    // htmx swaps only a 2xx answer: the refused form comes back as one, its errors inside.
    if (c.req.header('hx-request')) return c.html(<SelfAssessmentForm frame={frame} state={state} now={now} />, 200);
    return c.html(<SelfAssessmentPage frame={frame} state={state} now={now} />, status);
  };
  const start = async (c: Context<WebEnv>, session: WebSession) => {
    const found = await readableEvaluation(c, deps, session, {
      period: c.req.param('period'),
      personId: session.caller.id,
    });
    if (found instanceof Response) return found;
    const e = found.evaluation;
    const open = e.selfScores === null && (e.status === 'pending' || e.status === 'planned');
    return scoredState(found, { scores: e.selfScores, comment: e.selfComment }, open, c.get('speech'));
  };

  return new Hono<WebEnv>()
    .get('/self-assessment/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      return render(c, session, { ...state, accepted: c.req.query('filed') === '1' });
    })
    .post('/self-assessment/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      const e = state.evaluation;
      const at = { period: e.period, personId: e.personId };
      const next = await fileScoredForm(c, state, (body, key) =>
        fileSelfAssessment(deps, session.caller, at, body, key),
      );
      if (next === 'stale') {
        const { t } = c.get('speech');
        const frame = await frameFor(c, deps, session);
        return c.html(<MessagePage frame={frame} title={t('app.name')} message={t('csrf.refused')} />, 400);
      }
      if (next) return render(c, session, next, 422);
      const done = `/self-assessment/${e.period}?filed=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
