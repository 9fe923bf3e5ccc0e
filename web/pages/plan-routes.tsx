/**
 * GET and POST /plan/{period}: the reader's own plan. The form is checked by the API's own
 * schema (`Plan`) and filed by the API's own command (`filePlan`), its idempotency key becoming
 * the command's update ID as the `Idempotency-Key` header does for the API.
 */
import { randomUUID } from 'node:crypto';
import type { TFunction } from 'i18next';
import { Hono, type Context } from 'hono';
import type { ZodError } from 'zod';
import { filePlan } from '../../api/commands';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { Period, Plan } from '../../api/schemas';
import { findEvaluation } from '../../db/evaluations';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { MessagePage } from './message';
import { NoEvaluationPage, PlanForm, PlanPage, type PlanFormState, type PlanLine } from './plan';

const MAX_LINES = 100;
const KEY = /^[\w-]{8,100}$/;

/** A refusal from the API's command, in the reader's words. */
export function refusalText(t: TFunction, err: unknown): string | null {
  if (!(err instanceof HttpError)) return null;
  return t([`refusal.${err.status}`, 'refusal.other']);
}

/** The API schema's complaints about a plan, put next to the fields they concern. */
function planIssues(t: TFunction, error: ZodError): Pick<PlanFormState, 'fieldErrors' | 'formError'> {
  const fieldErrors: PlanFormState['fieldErrors'] = {};
  let formError: string | null = null;
  for (const issue of error.issues) {
    const [, index, field] = issue.path;
    if (typeof index === 'number' && (field === 'title' || field === 'target')) {
      const text =
        issue.code === 'too_small'
          ? t('field.required')
          : issue.code === 'too_big'
            ? t('field.tooLong', { max: Number(issue.maximum) })
            : t('field.invalid');
      (fieldErrors[index] ??= {})[field] ??= text;
    } else {
      formError =
        issue.code === 'too_small'
          ? t('field.atLeastOne')
          : issue.code === 'too_big'
            ? t('field.tooMany', { max: MAX_LINES })
            : t('field.invalid');
    }
  }
  return { fieldErrors, formError };
}

/** The lines as the form sent them: one title and one target per line, in order. */
function linesOf(form: Record<string, string | File | (string | File)[]>): PlanLine[] {
  const all = (name: string) => [form[name] ?? []].flat().map((v) => (typeof v === 'string' ? v : ''));
  const titles = all('title');
  const targets = all('target');
  return titles.slice(0, MAX_LINES).map((title, i) => ({ title, target: targets[i] ?? '' }));
}

export function planRoutes(deps: ApiDeps) {
  const render = async (c: Context<WebEnv>, session: WebSession, state: PlanFormState, status: 200 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    const now = new Date();
    // htmx swaps only a 2xx answer: the refused form comes back as one, its errors inside.
    if (c.req.header('hx-request')) return c.html(<PlanForm frame={frame} state={state} now={now} />, 200);
    return c.html(<PlanPage frame={frame} state={state} now={now} />, status);
  };

  /** The stored evaluation as the form starts from, or a page saying there is none. */
  const start = async (c: Context<WebEnv>, session: WebSession) => {
    const parsed = Period.safeParse(c.req.param('period'));
    const e = parsed.success ? await findEvaluation(deps.sql, parsed.data, session.caller.id) : undefined;
    if (!e) {
      const frame = await frameFor(c, deps, session);
      return c.html(<NoEvaluationPage frame={frame} period={c.req.param('period') ?? ''} />, 404);
    }
    const state: PlanFormState = {
      period: e.period,
      lines: e.plan?.length ? e.plan.map((l) => ({ ...l })) : [{ title: '', target: '' }],
      fieldErrors: {},
      formError: null,
      idempotencyKey: randomUUID(),
      accepted: false,
      // Only the workflow decides whether a plan is still accepted; the page offers the form while none is filed.
      open: e.status === 'pending',
      deadline: e.deadlines?.plan ? new Date(e.deadlines.plan) : null,
      status: e.status,
    };
    return state;
  };

  return new Hono<WebEnv>()
    .get('/plan/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      return render(c, session, { ...state, accepted: c.req.query('filed') === '1' });
    })
    .post('/plan/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const state = await start(c, session);
      if (state instanceof Response) return state;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
      if (!key) {
        const frame = await frameFor(c, deps, session);
        return c.html(<MessagePage frame={frame} title={t('app.name')} message={t('csrf.refused')} />, 400);
      }
      const lines = linesOf(form);
      const action = typeof form.action === 'string' ? form.action : 'submit';
      const next: PlanFormState = { ...state, lines, idempotencyKey: key };
      if (action === 'add') {
        if (lines.length < MAX_LINES) lines.push({ title: '', target: '' });
        return render(c, session, next);
      }
      const removed = /^remove-(\d+)$/.exec(action);
      if (removed) {
        lines.splice(Number(removed[1]), 1);
        if (lines.length === 0) lines.push({ title: '', target: '' });
        return render(c, session, next);
      }
      const checked = Plan.safeParse({ tasks: lines });
      if (!checked.success) return render(c, session, { ...next, ...planIssues(t, checked.error) }, 422);
      try {
        await filePlan(
          deps,
          session.caller,
          { period: state.period, personId: session.caller.id },
          checked.data.tasks,
          key,
        );
      } catch (err) {
        const text = refusalText(t, err);
        if (text === null) throw err;
        return render(c, session, { ...next, formError: text }, 422);
      }
      const done = `/plan/${state.period}?filed=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
