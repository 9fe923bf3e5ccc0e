/**
 * The HR case pages: /cases (the list, as `GET /v1/cases` reads it), /cases/{id} (one case, with the
 * actions the reader may take now), /cases/new (opening one, dry run first) and /proposals (HR's
 * inbox of automatic proposals). Every read and command is the API's own (api/case-commands.ts);
 * a refusal comes back in words next to the field its rule concerns.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { isHr, type Caller } from '../../api/auth';
import {
  actorOf,
  caseCommand,
  caseView,
  dryRunCase,
  loadCase,
  openCase,
  proposeOnCase,
  voteOnCase,
  type CaseView,
} from '../../api/case-commands';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { ballotBox, listCases } from '../../db/cases';
import { directoryChoices } from '../../db/directory';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import {
  confirmHandover,
  confirmReceipt,
  submitExplanation,
  submitOpinion,
  withdrawCase,
} from '../../contracts/case-messages';
import { LongText } from '../../api/schemas';
import {
  CaseBodySchema,
  ExplanationBodySchema,
  OpinionBodySchema,
  ProposalBodySchema,
  VoteChoiceSchema,
} from '../../domain/case-schemas';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { CasesPage, CasePage, OpenCasePage, type OpenCaseState } from './cases';
import { CaseActions } from './case-actions';
import { field, formKey, refusalByField, schemaErrors, type Form } from './hr-forms';
import { MessagePage } from './message';

/** The case a page's first submit opened, found again from its idempotency key: a repeat opens nothing more. */
const caseIdFor = (caller: Caller, key: string): string => {
  const h = createHash('sha256').update(`${caller.id}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The `POST /v1/cases` body the form describes (its fields as the API names them). */
function caseBodyOf(form: Form) {
  const kind = field(form, 'kind');
  const common = {
    kind,
    personId: field(form, 'personId'),
    ...(field(form, 'proposalId') ? { proposalId: field(form, 'proposalId') } : {}),
  };
  if (kind === 'replacement') return { ...common, reason: field(form, 'reason') };
  const term = field(form, 'termMonths');
  return {
    ...common,
    toUnitId: field(form, 'toUnitId'),
    toRole: field(form, 'toRole'),
    effectiveDate: field(form, 'effectiveDate'),
    ...(term ? { termMonths: Number(term) } : {}),
    ...(field(form, 'reason') ? { reason: field(form, 'reason') } : {}),
    waivers: waiversOf(form).map((rule) => ({ rule, note: field(form, 'waiverNote') })),
  };
}

/** The rules the form asks to waive (only deferrals may be, at the person's own wish; the rules say so). */
const waiversOf = (form: Form): string[] =>
  [form.waive ?? []].flat().filter((v): v is string => typeof v === 'string' && v.length > 0);

/** The deferrals a refusal names: the form offers to waive them at the person's request. */
const deferralsIn = (err: unknown): string[] =>
  err instanceof HttpError
    ? ((err.details as { rules?: string[] } | undefined)?.rules ?? []).filter((r) => r.startsWith('deferral:'))
    : [];

export function caseRoutes(deps: ApiDeps) {
  const { sql } = deps;
  /** People's names by id, and units' under `unit:{id}`. */
  const names = async () => {
    const { people, units } = await directoryChoices(sql);
    return Object.fromEntries([
      ...people.map((p) => [p.id, p.fullName]),
      ...units.map((u) => [`unit:${u.id}`, u.name]),
    ]);
  };

  const refused = async (c: Context<WebEnv>, session: WebSession, err: unknown) => {
    if (!(err instanceof HttpError) || (err.status !== 403 && err.status !== 404)) throw err;
    const { t } = c.get('speech');
    const frame = await frameFor(c, deps, session);
    return c.html(
      <MessagePage frame={frame} title={t(`cases.refused${err.status}`)} message={t(`refusal.${err.status}`)} />,
      err.status,
    );
  };
  const hrOnly = (c: Context<WebEnv>, session: WebSession) =>
    isHr(session.caller) ? null : refused(c, session, new HttpError(403, 'HR only'));

  const showCase = async (
    c: Context<WebEnv>,
    session: WebSession,
    view: CaseView,
    errors: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const { t } = c.get('speech');
    const frame = await frameFor(c, deps, session);
    const voters =
      view.kind === 'replacement' ? (await ballotBox(sql, view.id)).voters : (view.ballots ?? []).map((b) => b.voterId);
    const done = c.req.query('done');
    return c.html(
      <CasePage
        frame={frame}
        c={view}
        names={await names()}
        voted={voters.includes(session.caller.id)}
        notice={done ? t('cases.done') : null}
      >
        <CaseActions
          frame={frame}
          c={view}
          voted={voters.includes(session.caller.id)}
          errors={errors}
          formKey={randomUUID()}
          people={await names()}
        />
      </CasePage>,
      c.req.header('hx-request') ? 200 : status,
    );
  };

  const openForm = async (c: Context<WebEnv>, session: WebSession, state: OpenCaseState, status: 200 | 422 = 200) => {
    const choices = await directoryChoices(sql);
    const frame = await frameFor(c, deps, session);
    return c.html(
      <OpenCasePage frame={frame} state={state} people={choices.people} units={choices.units} />,
      c.req.header('hx-request') ? 200 : status,
    );
  };
  const redirect = (c: Context<WebEnv>, to: string) =>
    c.req.header('hx-request') ? c.body(null, 200, { 'HX-Redirect': to }) : c.redirect(to, 303);

  return new Hono<WebEnv>()
    .get('/cases', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const hr = isHr(session.caller);
      const { items } = await listCases(sql, undefined, hr ? null : session.caller.id, { limit: MAX_PAGE_SIZE });
      const views = await Promise.all(items.map((r) => caseView(sql, r)));
      return c.html(<CasesPage frame={await frameFor(c, deps, session)} cases={views} names={await names()} hr={hr} />);
    })
    .get('/cases/new', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const refusal = hrOnly(c, session);
      if (refusal) return refusal;
      const values = {
        kind: 'transfer',
        personId: c.req.query('personId') ?? '',
        proposalId: c.req.query('proposalId') ?? '',
      };
      return openForm(c, session, { values, errors: {}, verdict: null, key: randomUUID(), waivable: [], waived: [] });
    })
    .post('/cases/new', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const refusal = hrOnly(c, session);
      if (refusal) return refusal;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = formKey(form) ?? randomUUID();
      const values = Object.fromEntries(
        ['kind', 'personId', 'toUnitId', 'toRole', 'effectiveDate', 'termMonths', 'reason', 'proposalId'].map((f) => [
          f,
          field(form, f),
        ]),
      );
      const waive = waiversOf(form);
      const state: OpenCaseState = {
        values: { ...values, waiverNote: field(form, 'waiverNote') },
        errors: {},
        verdict: null,
        key,
        waivable: waive,
        waived: waive,
      };
      const checked = CaseBodySchema.safeParse(caseBodyOf(form));
      if (!checked.success)
        return openForm(
          c,
          session,
          { ...state, errors: { ...schemaErrors(t, checked.error), form: t('refusal.400') } },
          422,
        );
      const id = caseIdFor(session.caller, key);
      try {
        if (field(form, 'action') === 'open') {
          await openCase(deps, session.caller, checked.data, id);
          return redirect(c, `/cases/${id}?done=opened`);
        }
        const { parties } = await dryRunCase(deps, session.caller, checked.data);
        const all = await names();
        const verdict = [
          t('cases.dryRun.ok'),
          t('cases.dryRun.collective', {
            unit: all[`unit:${parties.decidingUnitId}`] ?? parties.decidingUnitId,
            names: parties.collective.map((p) => all[p] ?? p).join(', '),
          }),
        ];
        return openForm(c, session, { ...state, verdict });
      } catch (err) {
        // The first submit already opened this case: its repeat goes where the first did.
        if (err instanceof HttpError && err.status === 409 && (err.details as { caseId?: string })?.caseId === id)
          return redirect(c, `/cases/${id}`);
        const errors = refusalByField(t, err, 'form');
        if (!errors) throw err;
        const waivable = [...new Set([...state.waivable, ...deferralsIn(err)])];
        return openForm(c, session, { ...state, errors, waivable }, 422);
      }
    })
    .get('/cases/:id', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      try {
        return await showCase(c, session, await caseView(sql, await loadCase(sql, c.req.param('id'), session.caller)));
      } catch (err) {
        return refused(c, session, err);
      }
    })
    .post('/cases/:id/:action', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const id = c.req.param('id');
      const action = c.req.param('action');
      const form = await c.req.parseBody({ all: true });
      const key = formKey(form) ?? undefined;
      const caller = session.caller;
      const actor = actorOf(caller);
      let errors: Record<string, string> | null = null;
      try {
        if (action === 'opinion') {
          const body = OpinionBodySchema.safeParse({
            opinion: field(form, 'opinion'),
            ...(field(form, 'note') ? { note: field(form, 'note') } : {}),
          });
          if (!body.success) errors = schemaErrors(t, body.error);
          else await caseCommand(deps, id, caller, submitOpinion, { actor, ...body.data }, key);
        } else if (action === 'vote') {
          const vote = VoteChoiceSchema.safeParse(field(form, 'vote'));
          if (!vote.success) errors = { vote: t('field.required') };
          else await voteOnCase(deps, id, caller, vote.data, key);
        } else if (action === 'explanation') {
          const body = ExplanationBodySchema.safeParse({ text: field(form, 'text') });
          if (!body.success) errors = schemaErrors(t, body.error);
          else await caseCommand(deps, id, caller, submitExplanation, { actor, ...body.data }, key);
        } else if (action === 'proposal') {
          const body = ProposalBodySchema.safeParse({
            recommendation: field(form, 'recommendation'),
            ...(field(form, 'actingPersonId') ? { actingPersonId: field(form, 'actingPersonId') } : {}),
            ...(field(form, 'note') ? { note: field(form, 'note') } : {}),
          });
          if (!body.success) errors = schemaErrors(t, body.error);
          else await proposeOnCase(deps, id, caller, body.data, key);
        } else if (action === 'withdraw') {
          const note = LongText.safeParse(field(form, 'note'));
          if (!note.success) errors = { note: t('field.required') };
          else await caseCommand(deps, id, caller, withdrawCase, { actor, note: note.data }, key);
        } else if (action === 'handover' || action === 'receipt') {
          await caseCommand(deps, id, caller, action === 'handover' ? confirmHandover : confirmReceipt, { actor }, key);
        } else return c.notFound();
      } catch (err) {
        if (
          err instanceof HttpError &&
          (err.status === 403 || err.status === 404) &&
          !(await loadCase(sql, id, caller).catch(() => null))
        )
          return refused(c, session, err);
        errors = refusalByField(t, err, action);
        if (!errors) throw err;
      }
      if (!errors) return redirect(c, `/cases/${id}?done=${action}`);
      return showCase(c, session, await caseView(sql, await loadCase(sql, id, caller)), { ...errors, action }, 422);
    });
}
