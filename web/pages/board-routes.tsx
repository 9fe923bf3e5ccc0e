/**
 * GET and POST /board/{unitId}/{period}: the deliberation board. Every figure and refusal comes
 * from the cycle's own dry run (`checkList`, as `POST …/deliberation/check`); the list is put by
 * `putList` and approved by `approveList`, the API's own commands, the form's key becoming the
 * update ID. Only those who read the whole cycle through the API see the board.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { TFunction } from 'i18next';
import { approveList, checkList, putList, type CycleAt, type ListCheck } from '../../api/cycle-commands';
import { readScope } from '../../api/cycle-reads';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { cycleView } from '../../api/read-model';
import { CycleParams, DeliberationBody } from '../../api/schemas';
import type { DecisionLine } from '../../contracts/messages';
import { findCycle, latestPeriodOf, namesOf, type CycleRow } from '../../db/cycles';
import type { Grade } from '../../domain/types';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { BoardForm, BoardPage, refusalWords, type BoardLine, type BoardState } from './board';
import { MessagePage } from './message';
import { refusalText } from './plan-routes';

const KEY = /^[\w-]{8,100}$/;
const GRADES = new Set(['A', 'B', 'C', 'D']);

interface PutList {
  putBy: string;
  decisions: DecisionLine[];
  approvals: string[];
  pending: { personId: string; approvals: number; needed: number }[];
}

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

/** The decisions as the form sent them, for the cycle's members only, in the cycle's order. */
function decisionsOf(form: Form, memberIds: string[]): DecisionLine[] {
  const sent = new Map<string, DecisionLine>();
  for (let i = 0; i < memberIds.length; i++) {
    const personId = text(form, `person-${i}`);
    if (!memberIds.includes(personId)) continue;
    const grade = text(form, `grade-${i}`);
    const rationale = text(form, `rationale-${i}`);
    sent.set(personId, {
      personId,
      grade: GRADES.has(grade) ? (grade as Grade) : null,
      ...(rationale.trim() ? { rationale } : {}),
    });
  }
  return memberIds.flatMap((id) => sent.get(id) ?? []);
}

/** Puts the dry run's refusals next to their fields (by the line the field names) or on the list. */
function applyCheck(t: TFunction, lines: BoardLine[], check: ListCheck): string[] {
  const nameOf = (id: string) => lines.find((l) => l.personId === id)?.name ?? id;
  const listErrors: string[] = [];
  for (const r of check.refusals) {
    const words = refusalWords(t, r, nameOf);
    const m = /^decisions\.(\d+)\.(grade|rationale)$/.exec(r.field);
    const line = m ? lines[Number(m[1])] : undefined;
    if (line && m) (line.errors[m[2] as 'grade' | 'rationale'] ??= []).push(words);
    else listErrors.push(words);
  }
  for (const c of check.caps) {
    const line = lines.find((l) => l.personId === c.personId);
    if (line) Object.assign(line, { maxGrade: c.maxGrade, caps: c.caps });
  }
  return listErrors;
}

/** The board as `session`'s reader sees it, the decisions from the form when it sent some. */
const boardState = async (
  deps: ApiDeps,
  c: Context<WebEnv>,
  session: WebSession,
  cycle: CycleRow,
  sent: { decisions: DecisionLine[]; key: string } | null,
): Promise<BoardState> => {
  const { t } = c.get('speech');
  const at: CycleAt = { unitId: cycle.unitId, period: cycle.period };
  // Independent reads, at once: a 300-person board spends most of its time waiting on them.
  const [view, names] = await Promise.all([
    cycleView(deps.sql, cycle),
    namesOf(
      deps.sql,
      cycle.members.map((m) => m.personId),
    ),
  ]);
  const list = (cycle.deliberation as PutList | null) ?? null;
  const decisions: DecisionLine[] =
    sent?.decisions ??
    list?.decisions ??
    view.members.map((m) => ({ personId: m.personId, grade: m.proposedGrade as Grade | null }));
  const byId = new Map(decisions.map((d) => [d.personId, d]));
  const lines: BoardLine[] = view.members.map((m) => ({
    personId: m.personId,
    name: names.get(m.personId) ?? m.personId,
    total: m.total,
    proposedGrade: m.proposedGrade as Grade | null,
    grade: byId.get(m.personId)?.grade ?? null,
    rationale: byId.get(m.personId)?.rationale ?? '',
    caps: [],
    errors: {},
  }));
  let canPut = false;
  let quota: BoardState['quota'] = null;
  let listErrors: string[] = [];
  let formError: string | null = null;
  if (cycle.phase === 'deliberation') {
    try {
      const check = await checkList(deps, session.caller, at, decisions);
      canPut = true;
      quota = check.quota;
      listErrors = applyCheck(t, lines, check);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // Refused as the put would be (not the putter, or no longer deliberating): the board is read-only.
      if (err.status !== 403 && err.status !== 409) formError = refusalText(t, err);
    }
  }
  const me = session.caller.id;
  return {
    unitId: cycle.unitId,
    period: cycle.period,
    phase: cycle.phase,
    canPut,
    lines,
    quota,
    listErrors,
    formError,
    idempotencyKey: sent?.key ?? randomUUID(),
    list: list && {
      pending: new Map(list.pending.map((p) => [p.personId, p])),
      approvals: list.approvals,
      putBy: list.putBy,
      collective: cycle.collective,
      decisions: list.decisions,
    },
    mayApprove:
      cycle.phase === 'deliberation' && !!list && cycle.collective.includes(me) && !list.approvals.includes(me),
    notice: null,
  };
};

/** The cycle a board is for, when the reader reads it whole; else the page that says why not. */
const open = async (deps: ApiDeps, c: Context<WebEnv>, session: WebSession): Promise<CycleRow | Response> => {
  const { t } = c.get('speech');
  const parsed = CycleParams.safeParse({ unitId: c.req.param('unitId'), period: c.req.param('period') });
  const cycle = parsed.success ? await findCycle(deps.sql, parsed.data.unitId, parsed.data.period) : undefined;
  const refuse = async (message: string, status: 403 | 404) =>
    c.html(
      <MessagePage frame={await frameFor(c, deps, session)} title={t('board.heading')} message={message} />,
      status,
    );
  if (!cycle) return refuse(t('board.noCycle'), 404);
  try {
    if ((await readScope(deps.sql, session.caller, cycle)) === 'all') return cycle;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
  }
  return refuse(t('board.forbidden'), 403);
};

export function boardRoutes(deps: ApiDeps) {
  const render = async (c: Context<WebEnv>, session: WebSession, state: BoardState, status: 200 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    // htmx swaps only a 2xx answer: the refused form comes back as one, its refusals inside.
    if (c.req.header('hx-request') && state.canPut) return c.html(<BoardForm frame={frame} state={state} />, 200);
    return c.html(<BoardPage frame={frame} state={state} />, status);
  };

  return new Hono<WebEnv>()
    .get('/board', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const unitId = session.caller.person?.unitId;
      const period = unitId ? await latestPeriodOf(deps.sql, unitId) : undefined;
      if (unitId && period) return c.redirect(`/board/${unitId}/${period}`, 303);
      const { t } = c.get('speech');
      return c.html(
        <MessagePage
          frame={await frameFor(c, deps, session)}
          title={t('board.heading')}
          message={t('board.noCycle')}
        />,
        404,
      );
    })
    .get('/board/:unitId/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const cycle = await open(deps, c, session);
      if (cycle instanceof Response) return cycle;
      const { t } = c.get('speech');
      const state = await boardState(deps, c, session, cycle, null);
      const notice =
        c.req.query('put') === '1' && state.list
          ? t('board.done')
          : c.req.query('approved') === '1'
            ? t('board.approvedDone')
            : null;
      return render(c, session, { ...state, notice });
    })
    .post('/board/:unitId/:period', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const cycle = await open(deps, c, session);
      if (cycle instanceof Response) return cycle;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
      if (!key) {
        const frame = await frameFor(c, deps, session);
        return c.html(<MessagePage frame={frame} title={t('board.heading')} message={t('csrf.refused')} />, 400);
      }
      const decisions = decisionsOf(
        form,
        cycle.members.map((m) => m.personId),
      );
      const state = await boardState(deps, c, session, cycle, { decisions, key });
      if (text(form, 'action') !== 'submit' || !state.canPut) return render(c, session, state);
      const checked = DeliberationBody.safeParse({ decisions });
      if (!checked.success) return render(c, session, { ...state, formError: t('field.invalid') }, 422);
      if (state.listErrors.length > 0 || state.lines.some((l) => l.errors.grade || l.errors.rationale))
        return render(c, session, { ...state, formError: t('board.fixFirst') }, 422);
      try {
        await putList(
          deps,
          session.caller,
          { unitId: cycle.unitId, period: cycle.period },
          checked.data.decisions,
          key,
        );
      } catch (err) {
        const words = refusalText(t, err);
        if (words === null) throw err;
        return render(c, session, { ...state, formError: words }, 422);
      }
      const done = `/board/${cycle.unitId}/${cycle.period}?put=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    })
    .post('/board/:unitId/:period/approve', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const cycle = await open(deps, c, session);
      if (cycle instanceof Response) return cycle;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
      try {
        if (!key) throw new HttpError(400, 'No idempotency key.');
        await approveList(deps, session.caller, { unitId: cycle.unitId, period: cycle.period }, key);
      } catch (err) {
        const words = refusalText(t, err);
        if (words === null) throw err;
        const state = await boardState(deps, c, session, cycle, null);
        const frame = await frameFor(c, deps, session);
        return c.html(
          <BoardPage frame={frame} state={{ ...state, formError: words, canPut: false }} />,
          c.req.header('hx-request') ? 200 : 422,
        );
      }
      const done = `/board/${cycle.unitId}/${cycle.period}?approved=1`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
