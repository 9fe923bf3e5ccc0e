/**
 * GET /results/{unitId}/{period} and POST …/complaint: the published grades as the API's results
 * read (`publishedResults`) gives them to this reader, and a member's complaint filed by the API's
 * own command (`fileGradeComplaint`), its key becoming the update ID.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { fileGradeComplaint } from '../../api/cycle-commands';
import { publishedResults } from '../../api/cycle-reads';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { ComplaintBody, CycleParams } from '../../api/schemas';
import { complaintsOfPerson } from '../../db/complaints';
import { findCycle, latestPeriodOf, type CycleRow } from '../../db/cycles';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { MessagePage } from './message';
import { refusalText } from './plan-routes';
import { ResultsPage, type ResultsState } from './results';

const KEY = /^[\w-]{8,100}$/;

export function resultsRoutes(deps: ApiDeps) {
  /** The page's state, or the page that says why the reader may not see it. */
  const load = async (
    c: Context<WebEnv>,
    session: WebSession,
    form: { reason: string; key: string } | null,
  ): Promise<{ cycle: CycleRow; state: ResultsState } | Response> => {
    const { t } = c.get('speech');
    const say = async (message: string, status: 403 | 404 | 409) =>
      c.html(
        <MessagePage frame={await frameFor(c, deps, session)} title={t('results.heading')} message={message} />,
        status,
      );
    const parsed = CycleParams.safeParse({ unitId: c.req.param('unitId'), period: c.req.param('period') });
    const cycle = parsed.success ? await findCycle(deps.sql, parsed.data.unitId, parsed.data.period) : undefined;
    if (!cycle) return say(t('board.noCycle'), 404);
    let read;
    try {
      read = await publishedResults(deps.sql, session.caller, cycle);
    } catch (err) {
      if (!(err instanceof HttpError) || (err.status !== 403 && err.status !== 409)) throw err;
      return say(t(err.status === 403 ? 'results.forbidden' : 'results.notYet'), err.status);
    }
    const me = session.caller.id;
    const member = cycle.members.some((m) => m.personId === me);
    const windowEndsAt = cycle.complaintWindowEndsAt ? new Date(cycle.complaintWindowEndsAt) : null;
    return {
      cycle,
      state: {
        unitId: cycle.unitId,
        period: cycle.period,
        phase: cycle.phase,
        results: read.results,
        complaint: member
          ? {
              windowEndsAt,
              // The workflow decides; the page offers the form while the window it shows is open.
              open: cycle.phase === 'published' && !!windowEndsAt && windowEndsAt.getTime() > Date.now(),
              mine: await complaintsOfPerson(deps.sql, cycle.period, me),
              reason: form?.reason ?? '',
              reasonError: null,
              formError: null,
              idempotencyKey: form?.key ?? randomUUID(),
            }
          : null,
        notice: null,
      },
    };
  };

  // htmx swaps only a 2xx answer: a refused form comes back as one to htmx, its refusal inside.
  const render = async (c: Context<WebEnv>, session: WebSession, state: ResultsState, status: 200 | 422 = 200) =>
    c.html(
      <ResultsPage frame={await frameFor(c, deps, session)} state={state} now={new Date()} />,
      c.req.header('hx-request') ? 200 : status,
    );

  return new Hono<WebEnv>()
    .get('/results', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const unitId = session.caller.person?.unitId;
      const period = unitId ? await latestPeriodOf(deps.sql, unitId, ['published', 'locked']) : undefined;
      if (unitId && period) return c.redirect(`/results/${unitId}/${period}`, 303);
      const { t } = c.get('speech');
      return c.html(
        <MessagePage
          frame={await frameFor(c, deps, session)}
          title={t('results.heading')}
          message={t('results.notYet')}
        />,
        404,
      );
    })
    .get('/results/:unitId/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const loaded = await load(c, session, null);
      if (loaded instanceof Response) return loaded;
      const { t } = c.get('speech');
      const notice = c.req.query('filed') === '1' ? t('results.filed') : null;
      return render(c, session, { ...loaded.state, notice });
    })
    .post('/results/:unitId/:period/complaint', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
      const reason = typeof form.reason === 'string' ? form.reason : '';
      if (!key) {
        const frame = await frameFor(c, deps, session);
        return c.html(<MessagePage frame={frame} title={t('results.heading')} message={t('csrf.refused')} />, 400);
      }
      const loaded = await load(c, session, { reason, key });
      if (loaded instanceof Response) return loaded;
      const { cycle, state } = loaded;
      if (!state.complaint) return render(c, session, state, 422);
      const checked = ComplaintBody.safeParse({ reason });
      if (!checked.success) {
        const tooLong = checked.error.issues.some((i) => i.code === 'too_big');
        const reasonError = tooLong ? t('field.tooLong', { max: 4000 }) : t('field.required');
        return render(c, session, { ...state, complaint: { ...state.complaint, reasonError } }, 422);
      }
      try {
        await fileGradeComplaint(
          deps,
          session.caller,
          { period: cycle.period, personId: session.caller.id },
          checked.data.reason,
          key,
        );
      } catch (err) {
        const words = refusalText(t, err);
        if (words === null) throw err;
        const formError = err instanceof HttpError && err.status === 409 ? t('results.refused409') : words;
        return render(c, session, { ...state, complaint: { ...state.complaint, formError } }, 422);
      }
      const done = `/results/${cycle.unitId}/${cycle.period}?filed=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
