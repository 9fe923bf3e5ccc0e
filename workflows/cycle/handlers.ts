/**
 * The cycle's query, signal and updates. Each update's validator refuses what its phase or the
 * actor's rights do not allow; its handler records the change without waiting on I/O.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { condition, setHandler, uuid4 } from '@temporalio/workflow';
import type { FinalLine } from '../../contracts/snapshots';
import { toMs, workingDaysAfter } from '../../domain/calendar';
import { ErrorType } from '../../domain/errors';
import {
  approveDeliberation,
  checkDeliberationList,
  decideEscalation,
  deadlinesChanged,
  evaluationsClosed,
  fileComplaint,
  getCycle,
  openCycle,
  overrideDeadlines,
  putDeliberation,
  resolveComplaint,
  setOutstanding,
  type ComplaintView,
  type CycleView,
  type DeliberationCheck,
} from '../../contracts/messages';
import { actsAs, now, refuse } from '../steps';
import { allowedA } from '../../domain/quota';
import { isRated, maxGradeUnder } from '../../domain/caps';
import { breachesOf } from './grades';
import { publish } from './publication';
import type { CycleState } from './state';
import { approvalState, cycleView } from './view';
import { ADMIN_ROLE } from '../../domain/actors';

/** The argument an update is sent with. */
type ArgsOf<D> = D extends UpdateDefinition<infer _Ret, [infer A], infer _Name> ? A : never;

/** Registers every handler, in the order the workflow always has (buffered updates run as their handler is set). */
export function registerHandlers(cycle: CycleState): void {
  setHandler(getCycle, () => cycleView(cycle));
  setHandler(checkDeliberationList, (args) => checkList(cycle, args));
  setHandler(evaluationsClosed, () => {
    cycle.closedSignal = true;
  });
  setHandler(openCycle, async ({ requestId }) => {
    // Answer once every evaluation exists, so the caller's next request finds its member's.
    await condition(() => cycle.phase !== 'starting' && cycle.childrenStarted);
    return { created: requestId === cycle.input.requestId, view: cycleView(cycle) };
  });
  setHandler(overrideDeadlines, (args) => overrideCycleDeadlines(cycle, args), {
    validator: (args) => validateOverride(cycle, args),
  });
  setHandler(putDeliberation, async (args) => putList(cycle, args), { validator: (args) => validatePut(cycle, args) });
  setHandler(approveDeliberation, async (args) => approveList(cycle, args), {
    validator: (args) => validateApproval(cycle, args),
  });
  setHandler(setOutstanding, async (args) => flagOutstanding(cycle, args), {
    validator: (args) => validateOutstanding(cycle, args),
  });
  setHandler(fileComplaint, async (args) => fileCycleComplaint(cycle, args), {
    validator: (args) => validateComplaint(cycle, args),
  });
  setHandler(resolveComplaint, async (args) => resolveCycleComplaint(cycle, args), {
    validator: (args) => validateResolution(cycle, args),
  });
  setHandler(
    decideEscalation,
    (args) => ({ ...cycle.escalations.decide(args), readModelVersion: cycle.writes.latest() }),
    {
      validator: (args) => cycle.escalations.validate(args),
    },
  );
}

async function overrideCycleDeadlines(
  cycle: CycleState,
  { actor, deadlines: changed }: ArgsOf<typeof overrideDeadlines>,
): Promise<CycleView> {
  const { complaints: windowEnd, ...steps } = changed;
  if (windowEnd) cycle.windowEndsAt = windowEnd;
  cycle.deadlines = { ...cycle.deadlines!, ...steps };
  if (Object.keys(steps).length > 0) {
    // Only evaluations still running have a deadline left to move.
    const running = [...cycle.children].filter(([personId]) => !cycle.results.has(personId)).map(([, child]) => child);
    await Promise.all(
      running.map((child) => child.signal(deadlinesChanged, { deadlines: steps }).catch(() => undefined)),
    );
  }
  cycle.persist({ audit: [cycle.entry(actor.id, 'cycle.deadlines-overridden', { changed })] });
  return cycleView(cycle);
}

function validateOverride(cycle: CycleState, { actor, deadlines: changed }: ArgsOf<typeof overrideDeadlines>): void {
  const { phase } = cycle;
  if (!actor.roles.includes(ADMIN_ROLE)) refuse(ErrorType.Forbidden, "Only an admin overrides a cycle's deadlines.");
  const { complaints: windowEnd, ...steps } = changed;
  if (Object.keys(steps).length > 0 && phase !== 'open' && phase !== 'deliberation') {
    refuse(ErrorType.WrongPhase, `Step deadlines cannot change once the cycle is ${phase}.`, { phase });
  }
  if (windowEnd && phase !== 'published') {
    refuse(
      ErrorType.WrongPhase,
      `The complaint window can move only while results are published (the cycle is ${phase}).`,
      { phase },
    );
  }
  for (const [k, v] of Object.entries(changed) as [string, string | undefined][]) {
    if (v && toMs(v) <= Date.now())
      refuse(ErrorType.RuleRefused, `The new ${k} deadline is in the past.`, {
        rule: 'deadline-in-past',
        field: `deadlines.${k}`,
      });
  }
}

function putList(cycle: CycleState, { actor, decisions }: ArgsOf<typeof putDeliberation>): CycleView {
  cycle.list = { putBy: actor.id, putAt: now(), decisions, approvals: cycle.putterDecidesAlone ? [] : [actor.id] };
  cycle.persist({ audit: [cycle.entry(actor.id, 'deliberation.put', { decisions })] });
  if (cycle.putterDecidesAlone || approvalState(cycle).decided) publish(cycle, actor.id);
  return cycleView(cycle);
}

/** Why `actor` may not put a list now (rights, then phase), or null. */
function putRefusal(cycle: CycleState, { actor }: Pick<ArgsOf<typeof putDeliberation>, 'actor'>) {
  const { putterId, phase } = cycle;
  if (!putterId || !actsAs(actor, putterId))
    return { type: ErrorType.Forbidden, message: `Only ${putterId ?? 'the head'} puts the deliberation list.`, phase };
  if (phase !== 'deliberation')
    return { type: ErrorType.WrongPhase, message: `The deliberation is not open (the cycle is ${phase}).`, phase };
  return null;
}

/**
 * The put's validator as a dry run: its refusal, the rules the list breaks, the quota figures and
 * each member's caps under this list. A query, so it records nothing and never moves the cycle.
 */
function checkList(cycle: CycleState, args: ArgsOf<typeof putDeliberation>): DeliberationCheck {
  const refusal = putRefusal(cycle, args);
  if (refusal || !cycle.ctx) {
    return {
      refusal: refusal ?? { type: ErrorType.WrongPhase, message: 'The cycle is starting.', phase: cycle.phase },
      breaches: [],
      quota: { rated: 0, given: 0, allowed: 0, outstanding: cycle.outstanding },
      caps: [],
    };
  }
  const { breaches, caps } = breachesOf(cycle, args.decisions, { outstanding: cycle.outstanding });
  const grades = new Map(args.decisions.map((d) => [d.personId, d.grade] as const));
  const rated = cycle.context().members.filter((m) => isRated(caps.get(m.personId) ?? []));
  return {
    refusal: null,
    breaches,
    quota: {
      rated: rated.length,
      given: rated.filter((m) => grades.get(m.personId) === 'A').length,
      allowed: allowedA(rated.length, cycle.outstanding, cycle.context().rules),
      outstanding: cycle.outstanding,
    },
    caps: cycle.context().members.map((m) => {
      const own = caps.get(m.personId) ?? [];
      return { personId: m.personId, maxGrade: maxGradeUnder(own), caps: own };
    }),
  };
}

function validatePut(cycle: CycleState, { actor, decisions }: ArgsOf<typeof putDeliberation>): void {
  const refusal = putRefusal(cycle, { actor });
  if (refusal)
    refuse(refusal.type, refusal.message, refusal.type === ErrorType.WrongPhase ? { phase: refusal.phase } : undefined);
  const { breaches } = breachesOf(cycle, decisions, { outstanding: cycle.outstanding });
  if (breaches.length > 0) {
    refuse(
      ErrorType.RuleRefused,
      `The list breaks ${breaches.length} rule(s): ${breaches.map((b) => b.message).join('; ')}`,
      { breaches },
    );
  }
}

function approveList(cycle: CycleState, { actor }: ArgsOf<typeof approveDeliberation>): CycleView {
  const list = cycle.list!;
  if (!list.approvals.includes(actor.id)) {
    list.approvals.push(actor.id);
    cycle.persist({
      audit: [
        cycle.entry(actor.id, 'deliberation.approved', {
          recusedOn: list.decisions.filter((d) => d.personId === actor.id).map((d) => d.personId),
        }),
      ],
    });
    if (approvalState(cycle).decided) publish(cycle, actor.id);
  }
  return cycleView(cycle);
}

function validateApproval(cycle: CycleState, { actor }: ArgsOf<typeof approveDeliberation>): void {
  const { phase, list } = cycle;
  if (!cycle.context().collective.includes(actor.id))
    refuse(ErrorType.Forbidden, "Only members of the unit's leadership collective approve the list.");
  if (phase !== 'deliberation' || !list) {
    if (phase === 'published' && list?.approvals.includes(actor.id)) return;
    refuse(ErrorType.WrongPhase, list ? `The list is already ${phase}.` : 'No list has been put yet.', { phase });
  }
}

function flagOutstanding(
  cycle: CycleState,
  { actor, outstanding, rationale }: ArgsOf<typeof setOutstanding>,
): CycleView {
  cycle.outstanding = outstanding;
  cycle.persist({ audit: [cycle.entry(actor.id, 'cycle.outstanding', { outstanding, rationale })] });
  return cycleView(cycle);
}

function validateOutstanding(cycle: CycleState, { actor, outstanding }: ArgsOf<typeof setOutstanding>): void {
  const { phase, list } = cycle;
  const ctx = cycle.context();
  const superiorHead = ctx.headId ? (ctx.chain[ctx.headId] ?? null) : null;
  if (!actor.roles.includes(ADMIN_ROLE) && actor.id !== superiorHead) {
    refuse(ErrorType.Forbidden, 'Only the head of the superior unit (or an admin) flags a unit outstanding.');
  }
  if (phase !== 'open' && phase !== 'deliberation')
    refuse(ErrorType.WrongPhase, `The grades are already ${phase}.`, { phase });
  if (list && !outstanding) {
    const { breaches } = breachesOf(cycle, list.decisions, { outstanding: false });
    if (breaches.length > 0)
      refuse(ErrorType.RuleRefused, 'The list already put needs the outstanding quota.', { breaches });
  }
}

function fileCycleComplaint(
  cycle: CycleState,
  { actor, personId, reason }: ArgsOf<typeof fileComplaint>,
): ComplaintView {
  const ctx = cycle.context();
  const createdAt = now();
  const complaint: ComplaintView = {
    id: uuid4(),
    personId,
    reason,
    status: 'open',
    outcome: null,
    grade: null,
    rationale: null,
    resolvedBy: null,
    dueAt: workingDaysAfter(createdAt, ctx.rules.complaintResolutionWorkingDays, ctx.holidays, ctx.rules),
    createdAt,
    resolvedAt: null,
  };
  cycle.complaints.push(complaint);
  const resolverId = cycle.complaintResolverId;
  cycle.persist({
    audit: [
      {
        at: createdAt,
        actor: actor.id,
        action: 'complaint.filed',
        subject: cycle.workflowId,
        payload: { complaintId: complaint.id, reason },
      },
    ],
    notify: resolverId
      ? [
          {
            key: `${cycle.workflowId}:complaint:${complaint.id}`,
            recipientId: resolverId,
            subject: `Complaint from ${personId} (${cycle.input.period})`,
            body: `${personId} complains: ${reason}. Resolve by ${complaint.dueAt}.`,
          },
        ]
      : [],
  });
  return { ...complaint, readModelVersion: cycle.writes.latest() };
}

function validateComplaint(cycle: CycleState, { actor, personId }: ArgsOf<typeof fileComplaint>): void {
  const { phase, windowEndsAt } = cycle;
  if (actor.id !== personId) refuse(ErrorType.Forbidden, 'Only the person files a complaint about their own grade.');
  if (!cycle.context().members.some((m) => m.personId === personId))
    refuse(ErrorType.NotFound, `${personId} is not settled in this cycle.`);
  if (phase !== 'published' || !windowEndsAt || Date.now() >= toMs(windowEndsAt)) {
    refuse(ErrorType.WrongPhase, 'The complaint window is not open.', { phase, complaintWindowEndsAt: windowEndsAt });
  }
  if (cycle.complaints.some((c) => c.personId === personId && c.status === 'open')) {
    refuse(ErrorType.WrongPhase, 'A complaint of yours is already open.', { phase });
  }
}

/** The list with one person's grade changed by a complaint's resolution. */
function listWithChange(
  cycle: CycleState,
  personId: string,
  { grade, rationale }: Pick<ArgsOf<typeof resolveComplaint>, 'grade' | 'rationale'>,
) {
  return cycle.list!.decisions.map((d) => (d.personId === personId ? { ...d, grade: grade!, rationale } : d));
}

function resolveCycleComplaint(
  cycle: CycleState,
  { actor, complaintId, outcome, grade, rationale }: ArgsOf<typeof resolveComplaint>,
): ComplaintView {
  const c = cycle.complaints.find((x) => x.id === complaintId)!;
  c.status = 'resolved';
  c.outcome = outcome;
  c.rationale = rationale;
  c.resolvedBy = actor.id;
  c.resolvedAt = now();
  const changed: FinalLine[] = [];
  if (outcome === 'changed' && grade) {
    c.grade = grade;
    const decisions = listWithChange(cycle, c.personId, { grade, rationale });
    cycle.list!.decisions = decisions;
    const { caps } = breachesOf(cycle, decisions, { outstanding: cycle.outstanding });
    cycle.finals.set(c.personId, { grade, caps: caps.get(c.personId) ?? [] });
    changed.push({ personId: c.personId, finalGrade: grade, caps: caps.get(c.personId) ?? [] });
  } else {
    c.grade = cycle.finals.get(c.personId)?.grade ?? null;
  }
  for (const e of cycle.escalations.items)
    if (e.status === 'open' && e.kind === 'complaint' && e.personId === c.personId) e.status = 'closed';
  cycle.persist({
    audit: [cycle.entry(actor.id, 'complaint.resolved', { complaintId, outcome, grade, rationale })],
    notify: [
      {
        key: `${cycle.workflowId}:complaint-resolved:${c.id}`,
        recipientId: c.personId,
        subject: `Your complaint for ${cycle.input.period} was resolved`,
        body: `Outcome: ${outcome}${grade ? ` (grade ${grade})` : ''}. ${rationale}`,
      },
    ],
    finals: changed,
  });
  return { ...c, readModelVersion: cycle.writes.latest() };
}

function validateResolution(
  cycle: CycleState,
  { actor, complaintId, outcome, grade, rationale }: ArgsOf<typeof resolveComplaint>,
): void {
  const { phase, complaintResolverId } = cycle;
  const c = cycle.complaints.find((x) => x.id === complaintId);
  if (!c) refuse(ErrorType.NotFound, `There is no complaint ${complaintId} in this cycle.`);
  if (!complaintResolverId || !actsAs(actor, complaintResolverId))
    refuse(ErrorType.Forbidden, `Only ${complaintResolverId ?? 'the head'} resolves complaints here.`);
  if (actor.id === c.personId) refuse(ErrorType.Forbidden, 'Nobody resolves a complaint about their own grade.');
  if (c.status !== 'open')
    refuse(ErrorType.WrongPhase, 'This complaint is already resolved.', { phase, status: c.status });
  if (!rationale?.trim())
    refuse(ErrorType.RuleRefused, 'A resolution needs a written rationale.', { rule: 'rationale' });
  if (outcome === 'changed') {
    if (!grade) refuse(ErrorType.BadInput, 'A changed outcome needs the new grade.', { field: 'grade' });
    const { breaches } = breachesOf(cycle, listWithChange(cycle, c.personId, { grade, rationale }), {
      outstanding: cycle.outstanding,
    });
    if (breaches.length > 0)
      refuse(ErrorType.RuleRefused, `The new grade breaks: ${breaches.map((b) => b.message).join('; ')}`, { breaches });
  }
}
