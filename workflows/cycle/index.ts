/**
 * One unit's month: loads who is settled here, runs an evaluation per member, then the
 * collective's deliberation (quota and caps checked, majority with recusal), publication, the
 * complaint window with each complaint's resolution, and the lock.
 */
import {
  allHandlersFinished,
  condition,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  upsertSearchAttributes,
  uuid4,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../../activities';
import type { AuditEntry, CapFactsRow, CycleContext, FinalLine, Notification, OpenStep } from '../../contracts/snapshots';
import { reminderTimes, toMs, workingDaysAfter, type Deadlines } from '../../domain/calendar';
import { capsFor, type Cap } from '../../domain/caps';
import { checkDeliberation, isDecided, type Breach } from '../../domain/deliberation';
import { ErrorType } from '../../domain/errors';
import type { Grade } from '../../domain/types';
import { evaluationWorkflow } from '../evaluation';
import {
  approveDeliberation,
  decideEscalation,
  deadlinesChanged,
  evaluationsClosed,
  evaluationWorkflowId,
  fileComplaint,
  getCycle,
  openCycle,
  overrideDeadlines,
  putDeliberation,
  resolveComplaint,
  setOutstanding,
  type ComplaintView,
  type CyclePhase,
  type CycleView,
  type DecisionLine,
  type EvaluationResult,
  type MemberLine,
  SEARCH,
} from '../../contracts/messages';
import { actsAs, awaitStep, Escalations, escalationNotice, ladderAbove, now, ReadModelWriter, refuse, saveCycle } from '../steps';

const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface CycleInput {
  unitId: string;
  period: string;
  /** Lets `openCycle` tell the caller that started the cycle from one that found it running. */
  requestId: string;
  openedBy: string;
  overrides?: Partial<Deadlines>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Children started at once; bounded well below Temporal's pending-children limit. */
const CHILD_BATCH = 200;

export async function cycleWorkflow(input: CycleInput): Promise<void> {
  const { workflowId } = workflowInfo();
  // Decided before the first command, so a cycle and its evaluations always agree on it: each
  // review used to complete its evaluation and wake the cycle, the dearest submission of the month
  // on the server (bench/README.md, change 22). Cycles started before keep awaiting their children.
  const learnsFromReadModel = patched('cycle-learns-reviews-from-read-model');
  let closedSignal = false;
  /** Evaluations that ended before the cycle closed (an operator, or a worker without this change). */
  const endedEarly = new Map<string, EvaluationResult>();
  let childFailure: unknown = null;
  let phase: CyclePhase = 'starting';
  const enter = (next: CyclePhase): void => {
    phase = next;
    upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  };
  let ctx: CycleContext | null = null;
  let deadlines: Deadlines | null = null;
  let outstanding = false;
  let childrenStarted = false;
  let lockedAt: string | null = null;
  const results = new Map<string, EvaluationResult>();
  const finals = new Map<string, { grade: Grade | null; caps: Cap[] }>();
  const children = new Map<string, ChildWorkflowHandle<typeof evaluationWorkflow>>();
  let capFacts = new Map<string, CapFactsRow>();
  let putterId: string | null = null;
  let putterDecidesAlone = false;
  let list: { putBy: string; putAt: string; decisions: DecisionLine[]; approvals: string[] } | null = null;
  let decided = false;
  let publishedAt: string | null = null;
  let windowEndsAt: string | null = null;
  let complaintResolverId: string | null = null;
  const complaints: ComplaintView[] = [];
  const link = `/v1/cycles/${input.unitId}/${input.period}`;

  const context = (): CycleContext => {
    if (!ctx) refuse(ErrorType.WrongPhase, 'The cycle is still starting.', { phase });
    return ctx;
  };

  const escalations = new Escalations(
    () => context().rules,
    () => context().holidays,
    (esc, event) => {
      const notes = escalationNotice(workflowId, esc, event, {
        subject: `Escalation: missed ${esc.kind} in ${input.unitId} (${input.period})`,
        body: `The ${esc.kind} step of ${input.unitId} for ${input.period} was missed. Please decide by ${esc.dueAt} at /v1/escalations/${esc.id}/decision.`,
      });
      persist([{ at: now(), actor: esc.decision?.by ?? 'system', action: `escalation.${event}`, subject: workflowId, payload: { escalation: esc } }], notes);
    },
  );

  const memberLines = (): MemberLine[] =>
    (ctx?.members ?? []).map((m) => {
      const r = results.get(m.personId);
      const f = finals.get(m.personId);
      return {
        personId: m.personId,
        status: f ? 'decided' : r ? 'reviewed' : 'pending',
        reviewerId: r?.reviewerId ?? m.reviewerId,
        selfScores: r?.selfScores ?? null,
        reviewScores: r?.reviewScores ?? null,
        total: r?.total ?? null,
        proposedGrade: r?.proposedGrade ?? null,
        finalGrade: f?.grade ?? null,
        caps: f?.caps ?? [],
      };
    });

  const approvalState = () =>
    list ? isDecided(ctx?.collective ?? [], list.decisions.map((d) => d.personId), list.approvals) : { decided: false, pending: [] };

  const view = (): CycleView => ({
    unitId: input.unitId,
    period: input.period,
    phase,
    profileId: ctx?.profileId ?? '',
    deadlines: deadlines ?? ({} as Deadlines),
    headId: ctx?.headId ?? null,
    collective: ctx?.collective ?? [],
    outstanding,
    deliberation: list ? { ...list, pending: approvalState().pending } : null,
    publishedAt,
    complaintWindowEndsAt: windowEndsAt,
    members: memberLines(),
    complaints,
    escalations: escalations.items,
    readModelVersion: writes.latest(),
  });

  const openSteps = (): OpenStep[] => {
    const steps: OpenStep[] = [];
    if (phase === 'deliberation' && deadlines) {
      if (!list && putterId) steps.push({ stepKey: 'deliberation', ownerId: putterId, kind: 'deliberation', dueAt: deadlines.deliberation, link });
      if (list && !decided) {
        for (const id of context().collective.filter((c) => !list!.approvals.includes(c))) {
          steps.push({ stepKey: 'approval', ownerId: id, kind: 'approval', dueAt: deadlines.deliberation, link: `${link}/deliberation/approvals` });
        }
      }
    }
    for (const c of complaints.filter((x) => x.status === 'open')) {
      if (complaintResolverId) {
        steps.push({ stepKey: `complaint:${c.id}`, ownerId: complaintResolverId, kind: 'complaint', dueAt: c.dueAt, link: `/v1/complaints/${c.id}/resolution` });
      }
    }
    for (const e of escalations.items.filter((x) => x.status === 'open')) {
      steps.push({ stepKey: `escalation:${e.id}`, ownerId: e.targetId, kind: 'escalation', dueAt: e.dueAt, link: `/v1/escalations/${e.id}` });
    }
    return steps;
  };

  // Final grades and the seeding of evaluation rows wait for the next flush with the rest.
  const pendingFinals = new Map<string, FinalLine>();
  let pendingSeed = false;
  const writes = new ReadModelWriter(async ({ version, audit, notifications }) => {
    const v = view();
    const changed = [...pendingFinals.values()];
    pendingFinals.clear();
    const seed = pendingSeed;
    pendingSeed = false;
    await saveCycle({
      workflowId,
      version,
      view: {
        unitId: v.unitId,
        period: v.period,
        phase: v.phase,
        profileId: v.profileId,
        deadlines: v.deadlines,
        headId: v.headId,
        collective: v.collective,
        outstanding: v.outstanding,
        deliberation: v.deliberation,
        publishedAt: v.publishedAt,
        complaintWindowEndsAt: v.complaintWindowEndsAt,
      },
      members: (ctx?.members ?? []).map((m) => ({ personId: m.personId, reviewerId: m.reviewerId })),
      finals: changed,
      seedEvaluations: seed,
      lockedAt,
      complaints,
      escalations: escalations.items,
      openSteps: openSteps(),
      audit,
      notifications,
    });
  });
  function persist(audit: AuditEntry[] = [], notifications: Notification[] = [], changed: FinalLine[] = [], seed = false): number {
    for (const f of changed) pendingFinals.set(f.personId, f);
    pendingSeed ||= seed;
    return writes.record(audit, notifications);
  }
  void writes.run();

  /** Caps of every line given the grades a list proposes (a leader's cap depends on those they lead). */
  const capsGiven = (grades: Map<string, Grade | null>): Map<string, Cap[]> => {
    const out = new Map<string, Cap[]>();
    for (const m of context().members) {
      const f = capFacts.get(m.personId);
      if (!f) {
        out.set(m.personId, []);
        continue;
      }
      const someoneLedIsD = f.ledOutsideIsD || f.ledInCycle.some((id) => grades.get(id) === 'D');
      out.set(
        m.personId,
        capsFor(
          {
            disciplinedInMonth: f.disciplinedInMonth,
            leaveWorkingDays: f.leaveWorkingDays,
            workingDaysInMonth: f.workingDaysInMonth,
            isLeader: f.isLeader,
            someoneLedIsD,
          },
          context().rules,
        ),
      );
    }
    return out;
  };

  const breachesOf = (decisions: DecisionLine[], withOutstanding: boolean): { breaches: Breach[]; caps: Map<string, Cap[]> } => {
    const grades = new Map(decisions.map((d) => [d.personId, d.grade] as const));
    const caps = capsGiven(grades);
    const lines = context().members.map((m) => ({
      personId: m.personId,
      proposedGrade: results.get(m.personId)?.proposedGrade ?? null,
      caps: caps.get(m.personId) ?? [],
      role: m.role,
    }));
    return { breaches: checkDeliberation(lines, decisions, withOutstanding, context().rules), caps };
  };

  const publish = (by: string): void => {
    // Two approvals accepted while the first is being recorded must not publish twice.
    if (decided) return;
    const { caps } = breachesOf(list!.decisions, outstanding);
    for (const d of list!.decisions) finals.set(d.personId, { grade: d.grade, caps: caps.get(d.personId) ?? [] });
    decided = true;
    // A list decided after its deadline ends the escalation about it, as a late review or resolution does.
    for (const e of escalations.items) if (e.status === 'open' && e.kind === 'deliberation') e.status = 'closed';
    enter('published');
    publishedAt = now();
    windowEndsAt = workingDaysAfter(publishedAt, context().rules.complaintWindowWorkingDays, context().holidays, context().rules);
    const lines: FinalLine[] = [...finals].map(([personId, f]) => ({ personId, finalGrade: f.grade, caps: f.caps }));
    persist(
      [{ at: now(), actor: by, action: 'cycle.published', subject: workflowId, payload: { decisions: list!.decisions, approvals: list!.approvals } }],
      context().members.map((m) => ({
        key: `${workflowId}:published:${m.personId}`,
        recipientId: m.personId,
        subject: `Results of ${input.period} published for ${context().unitName}`,
        body: `Your grade for ${input.period}: ${finals.get(m.personId)?.grade ?? 'not rated'}. Complaints are open until ${windowEndsAt}.`,
      })),
      lines,
    );
  };

  setHandler(getCycle, view);
  setHandler(evaluationsClosed, () => {
    closedSignal = true;
  });

  setHandler(openCycle, async ({ requestId }) => {
    // Answer once every evaluation exists, so the caller's next request finds its member's.
    await condition(() => phase !== 'starting' && childrenStarted);
    return { created: requestId === input.requestId, view: view() };
  });

  setHandler(
    overrideDeadlines,
    async ({ actor, deadlines: changed }) => {
      const { complaints: windowEnd, ...steps } = changed;
      if (windowEnd) windowEndsAt = windowEnd;
      deadlines = { ...deadlines!, ...steps };
      if (Object.keys(steps).length > 0) {
        // Only evaluations still running have a deadline left to move.
        const running = [...children].filter(([personId]) => !results.has(personId)).map(([, child]) => child);
        await Promise.all(running.map((child) => child.signal(deadlinesChanged, { deadlines: steps }).catch(() => undefined)));
      }
      persist([{ at: now(), actor: actor.id, action: 'cycle.deadlines-overridden', subject: workflowId, payload: { changed } }]);
      return view();
    },
    {
      validator: ({ actor, deadlines: changed }) => {
        if (!actor.roles.includes('admin')) refuse(ErrorType.Forbidden, 'Only an admin overrides a cycle\'s deadlines.');
        const { complaints: windowEnd, ...steps } = changed;
        if (Object.keys(steps).length > 0 && phase !== 'open' && phase !== 'deliberation') {
          refuse(ErrorType.WrongPhase, `Step deadlines cannot change once the cycle is ${phase}.`, { phase });
        }
        if (windowEnd && phase !== 'published') {
          refuse(ErrorType.WrongPhase, `The complaint window can move only while results are published (the cycle is ${phase}).`, { phase });
        }
        for (const [k, v] of Object.entries(changed) as [string, string | undefined][]) {
          if (v && toMs(v) <= Date.now()) refuse(ErrorType.RuleRefused, `The new ${k} deadline is in the past.`, { rule: 'deadline-in-past', field: `deadlines.${k}` });
        }
      },
    },
  );

  setHandler(
    putDeliberation,
    async ({ actor, decisions }) => {
      list = { putBy: actor.id, putAt: now(), decisions, approvals: putterDecidesAlone ? [] : [actor.id] };
      persist([{ at: now(), actor: actor.id, action: 'deliberation.put', subject: workflowId, payload: { decisions } }]);
      if (putterDecidesAlone || approvalState().decided) publish(actor.id);
      return view();
    },
    {
      validator: ({ actor, decisions }) => {
        if (!putterId || !actsAs(actor, putterId)) refuse(ErrorType.Forbidden, `Only ${putterId ?? 'the head'} puts the deliberation list.`);
        if (phase !== 'deliberation') refuse(ErrorType.WrongPhase, `The deliberation is not open (the cycle is ${phase}).`, { phase });
        const { breaches } = breachesOf(decisions, outstanding);
        if (breaches.length > 0) {
          refuse(ErrorType.RuleRefused, `The list breaks ${breaches.length} rule(s): ${breaches.map((b) => b.message).join('; ')}`, { breaches });
        }
      },
    },
  );

  setHandler(
    approveDeliberation,
    async ({ actor }) => {
      if (!list!.approvals.includes(actor.id)) {
        list!.approvals.push(actor.id);
        persist([{ at: now(), actor: actor.id, action: 'deliberation.approved', subject: workflowId, payload: { recusedOn: list!.decisions.filter((d) => d.personId === actor.id).map((d) => d.personId) } }]);
        if (approvalState().decided) publish(actor.id);
      }
      return view();
    },
    {
      validator: ({ actor }) => {
        if (!context().collective.includes(actor.id)) refuse(ErrorType.Forbidden, 'Only members of the unit\'s leadership collective approve the list.');
        if (phase !== 'deliberation' || !list) {
          if (phase === 'published' && list?.approvals.includes(actor.id)) return;
          refuse(ErrorType.WrongPhase, list ? `The list is already ${phase}.` : 'No list has been put yet.', { phase });
        }
      },
    },
  );

  setHandler(
    setOutstanding,
    async ({ actor, outstanding: flag, rationale }) => {
      outstanding = flag;
      persist([{ at: now(), actor: actor.id, action: 'cycle.outstanding', subject: workflowId, payload: { outstanding: flag, rationale } }]);
      return view();
    },
    {
      validator: ({ actor, outstanding: flag }) => {
        const superiorHead = context().headId ? (context().chain[context().headId!] ?? null) : null;
        if (!actor.roles.includes('admin') && actor.id !== superiorHead) {
          refuse(ErrorType.Forbidden, 'Only the head of the superior unit (or an admin) flags a unit outstanding.');
        }
        if (phase !== 'open' && phase !== 'deliberation') refuse(ErrorType.WrongPhase, `The grades are already ${phase}.`, { phase });
        if (list && !flag) {
          const { breaches } = breachesOf(list.decisions, false);
          if (breaches.length > 0) refuse(ErrorType.RuleRefused, 'The list already put needs the outstanding quota.', { breaches });
        }
      },
    },
  );

  setHandler(
    fileComplaint,
    async ({ actor, personId, reason }) => {
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
        dueAt: workingDaysAfter(createdAt, context().rules.complaintResolutionWorkingDays, context().holidays, context().rules),
        createdAt,
        resolvedAt: null,
      };
      complaints.push(complaint);
      persist(
        [{ at: createdAt, actor: actor.id, action: 'complaint.filed', subject: workflowId, payload: { complaintId: complaint.id, reason } }],
        complaintResolverId
          ? [{ key: `${workflowId}:complaint:${complaint.id}`, recipientId: complaintResolverId, subject: `Complaint from ${personId} (${input.period})`, body: `${personId} complains: ${reason}. Resolve by ${complaint.dueAt}.` }]
          : [],
      );
      return { ...complaint, readModelVersion: writes.latest() };
    },
    {
      validator: ({ actor, personId }) => {
        if (actor.id !== personId) refuse(ErrorType.Forbidden, 'Only the person files a complaint about their own grade.');
        if (!context().members.some((m) => m.personId === personId)) refuse(ErrorType.NotFound, `${personId} is not settled in this cycle.`);
        if (phase !== 'published' || !windowEndsAt || Date.now() >= toMs(windowEndsAt)) {
          refuse(ErrorType.WrongPhase, 'The complaint window is not open.', { phase, complaintWindowEndsAt: windowEndsAt });
        }
        if (complaints.some((c) => c.personId === personId && c.status === 'open')) {
          refuse(ErrorType.WrongPhase, 'A complaint of yours is already open.', { phase });
        }
      },
    },
  );

  setHandler(
    resolveComplaint,
    async ({ actor, complaintId, outcome, grade, rationale }) => {
      const c = complaints.find((x) => x.id === complaintId)!;
      c.status = 'resolved';
      c.outcome = outcome;
      c.rationale = rationale;
      c.resolvedBy = actor.id;
      c.resolvedAt = now();
      const changed: FinalLine[] = [];
      if (outcome === 'changed' && grade) {
        c.grade = grade;
        const decisions = list!.decisions.map((d) => (d.personId === c.personId ? { ...d, grade, rationale } : d));
        list!.decisions = decisions;
        const { caps } = breachesOf(decisions, outstanding);
        finals.set(c.personId, { grade, caps: caps.get(c.personId) ?? [] });
        changed.push({ personId: c.personId, finalGrade: grade, caps: caps.get(c.personId) ?? [] });
      } else {
        c.grade = finals.get(c.personId)?.grade ?? null;
      }
      for (const e of escalations.items) if (e.status === 'open' && e.kind === 'complaint' && e.personId === c.personId) e.status = 'closed';
      persist(
        [{ at: now(), actor: actor.id, action: 'complaint.resolved', subject: workflowId, payload: { complaintId, outcome, grade, rationale } }],
        [{ key: `${workflowId}:complaint-resolved:${c.id}`, recipientId: c.personId, subject: `Your complaint for ${input.period} was resolved`, body: `Outcome: ${outcome}${grade ? ` (grade ${grade})` : ''}. ${rationale}` }],
        changed,
      );
      return { ...c, readModelVersion: writes.latest() };
    },
    {
      validator: ({ actor, complaintId, outcome, grade, rationale }) => {
        const c = complaints.find((x) => x.id === complaintId);
        if (!c) refuse(ErrorType.NotFound, `There is no complaint ${complaintId} in this cycle.`);
        if (!complaintResolverId || !actsAs(actor, complaintResolverId)) refuse(ErrorType.Forbidden, `Only ${complaintResolverId ?? 'the head'} resolves complaints here.`);
        if (actor.id === c.personId) refuse(ErrorType.Forbidden, 'Nobody resolves a complaint about their own grade.');
        if (c.status !== 'open') refuse(ErrorType.WrongPhase, 'This complaint is already resolved.', { phase, status: c.status });
        if (!rationale?.trim()) refuse(ErrorType.RuleRefused, 'A resolution needs a written rationale.', { rule: 'rationale' });
        if (outcome === 'changed') {
          if (!grade) refuse(ErrorType.BadInput, 'A changed outcome needs the new grade.', { field: 'grade' });
          const decisions = list!.decisions.map((d) => (d.personId === c.personId ? { ...d, grade, rationale } : d));
          const { breaches } = breachesOf(decisions, outstanding);
          if (breaches.length > 0) refuse(ErrorType.RuleRefused, `The new grade breaks: ${breaches.map((b) => b.message).join('; ')}`, { breaches });
        }
      },
    },
  );

  setHandler(decideEscalation, (args) => ({ ...escalations.decide(args), readModelVersion: writes.latest() }), { validator: (args) => escalations.validate(args) });

  upsertSearchAttributes([
    { key: SEARCH.unitId, value: input.unitId },
    { key: SEARCH.period, value: input.period },
    { key: SEARCH.phase, value: phase },
  ]);

  /**
   * Waits for the signal of the evaluation that closed last, then reads every member's result
   * from the read model. An earlier signal (an evaluation closing before the others' rows
   * existed) finds some still open, and the wait goes on. An evaluation that ended on its own
   * counts as closed with its result, and one that failed fails the cycle, as when the cycle
   * awaited them all. Whatever the signals, the read model is checked at the review deadline
   * and each day after it, so no mix of closings can leave the month waiting.
   */
  async function allEvaluationsClosed(): Promise<void> {
    const memberIds = context().members.map((m) => m.personId);
    let nextCheck = toMs(deadlines!.review);
    let closed = new Map(endedEarly);
    while (!memberIds.every((id) => closed.has(id))) {
      if (Date.now() >= nextCheck) nextCheck = Date.now() + DAY_MS;
      await condition(() => closedSignal || childFailure !== null, nextCheck - Date.now());
      if (childFailure !== null) throw childFailure;
      closedSignal = false;
      closed = new Map(endedEarly);
      if (closed.size === memberIds.length) continue;
      for (const r of await acts.loadClosedResults({ unitId: input.unitId, period: input.period, memberIds })) {
        if (!closed.has(r.personId)) closed.set(r.personId, r);
      }
    }
    for (const id of memberIds) results.set(id, closed.get(id)!);
  }

  // Start: read the directory once, then fan out one evaluation per member.
  ctx = await acts.loadCycleContext({ unitId: input.unitId, period: input.period });
  deadlines = { ...ctx.defaults, ...(input.overrides ?? {}) };
  putterId = ctx.headId;
  complaintResolverId = ctx.headId;
  enter('open');
  persist([{ at: now(), actor: input.openedBy, action: 'cycle.opened', subject: workflowId, payload: { deadlines, members: ctx.members.map((m) => m.personId) } }]);

  const pendingResults: Promise<void>[] = [];
  // Cycles before the patch sliced the list they were filtering, skipping a member after each one
  // evaluated elsewhere (only in units over one batch); kept for them, as their histories say.
  const everyone = [...ctx.members];
  const toStart = (): CycleContext['members'] => (learnsFromReadModel ? everyone : ctx!.members);
  for (let i = 0; i < toStart().length; i += CHILD_BATCH) {
    const batch = toStart().slice(i, i + CHILD_BATCH);
    const started = await Promise.all(
      batch.map((m) =>
        startChild(evaluationWorkflow, {
          workflowId: evaluationWorkflowId(input.period, m.personId),
          // An evaluation that outlives its steps closes with the cycle; one still running is stopped.
          parentClosePolicy: learnsFromReadModel ? ParentClosePolicy.REQUEST_CANCEL : ParentClosePolicy.TERMINATE,
          args: [
            {
              period: input.period,
              personId: m.personId,
              unitId: input.unitId,
              role: m.role,
              reviewerId: m.reviewerId,
              chain: ctx!.chain,
              collective: ctx!.collective,
              deadlines: deadlines!,
              holidays: ctx!.holidays,
              profileId: ctx!.profileId,
              rules: ctx!.rules,
              ...(learnsFromReadModel ? { closesWithCycle: true } : {}),
            },
          ],
        }).then(
          (handle) => ({ personId: m.personId, handle }),
          (err: unknown) => {
            // Already evaluated this month under another unit (the directory changed between two openings).
            if (err instanceof WorkflowExecutionAlreadyStartedError) return { personId: m.personId, handle: null };
            throw err;
          },
        ),
      ),
    );
    const elsewhere = started.filter((s) => s.handle === null).map((s) => s.personId);
    if (elsewhere.length > 0) {
      ctx.members = ctx.members.filter((m) => !elsewhere.includes(m.personId));
      persist([{ at: now(), actor: 'system', action: 'cycle.members-evaluated-elsewhere', subject: workflowId, payload: { personIds: elsewhere } }]);
    }
    for (const { personId, handle } of started) {
      if (!handle) continue;
      children.set(personId, handle);
      if (!learnsFromReadModel) pendingResults.push(handle.result().then((r) => void results.set(personId, r)));
      else {
        // No events in a normal month: the evaluations close only after the cycle.
        void handle.result().then(
          (r) => {
            endedEarly.set(personId, r);
            closedSignal = true;
          },
          (err: unknown) => {
            childFailure ??= err;
          },
        );
      }
    }
  }
  childrenStarted = true;
  persist([], [], [], true);
  if (learnsFromReadModel) await allEvaluationsClosed();
  else await Promise.all(pendingResults);

  // Deliberation: opens once every review is in; a late opening still gives the head time.
  enter('deliberation');
  const floor = workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
  if (toMs(deadlines.deliberation) < toMs(floor)) deadlines.deliberation = floor;
  capFacts = new Map((await acts.loadCapFacts({ unitId: input.unitId, period: input.period, memberIds: ctx.members.map((m) => m.personId) })).map((f) => [f.personId, f]));
  persist(
    [{ at: now(), actor: 'system', action: 'deliberation.opened', subject: workflowId }],
    ctx.headId ? [{ key: `${workflowId}:deliberation-open`, recipientId: ctx.headId, subject: `Deliberation of ${ctx.unitName} for ${input.period} is open`, body: `All reviews are in. Put the final list by ${deadlines.deliberation} at ${link}/deliberation.` }] : [],
  );
  for (;;) {
    const outcome = await awaitStep({
      done: () => decided,
      deadline: () => deadlines!.deliberation,
      reminders: (d) => reminderTimes(d, ctx!.holidays, ctx!.rules),
      onReminder: async (at, d) => {
        const owners = list ? ctx!.collective.filter((c) => !list!.approvals.includes(c)) : putterId ? [putterId] : [];
        persist([], owners.map((o) => ({ key: `${workflowId}:reminder:deliberation:${d}:${at}:${o}`, recipientId: o, subject: `Reminder: deliberation of ${input.period} due ${d}`, body: `The deliberation of ${ctx!.unitName} for ${input.period} is due at ${d}. Open ${link}.` })));
      },
    });
    if (outcome === 'done') break;
    const esc = await escalations.run({
      kind: 'deliberation',
      personId: ctx.headId ?? 'hr',
      unitId: input.unitId,
      period: input.period,
      ladder: ctx.headId ? ladderAbove(ctx.chain, ctx.headId) : ['hr'],
      firstDueAt: workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules),
      hasDefault: false,
      climbs: true,
      reassignable: ctx.collective,
      settles: ctx.members.map((m) => m.personId),
      stepDeadline: () => deadlines!.deliberation,
    });
    if (decided) break;
    const d = esc.decision;
    if (!d) continue;
    deadlines.deliberation = d.until ?? workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
    if (d.action === 'take-over') {
      putterId = d.by;
      putterDecidesAlone = true;
    }
    if (d.action === 'reassign' && d.assigneeId) putterId = d.assigneeId;
    persist();
  }

  // Complaints: each one has its own resolution deadline and escalation; the window closes on its own.
  const resolving = new Set<string>();
  const watchers: Promise<void>[] = [];
  const watch = async (c: ComplaintView): Promise<void> => {
    for (;;) {
      const outcome = await awaitStep({
        done: () => c.status !== 'open',
        deadline: () => c.dueAt,
        reminders: (d) => reminderTimes(d, ctx!.holidays, ctx!.rules),
        onReminder: async (at, d) => {
          if (complaintResolverId) persist([], [{ key: `${workflowId}:reminder:complaint:${c.id}:${at}`, recipientId: complaintResolverId, subject: `Reminder: complaint of ${c.personId} due ${d}`, body: `Resolve the complaint of ${c.personId} by ${d}.` }]);
        },
      });
      if (outcome === 'done') return;
      const esc = await escalations.run({
        kind: 'complaint',
        personId: c.personId,
        unitId: input.unitId,
        period: input.period,
        ladder: ctx!.headId ? ladderAbove(ctx!.chain, ctx!.headId) : ['hr'],
        firstDueAt: workingDaysAfter(now(), ctx!.rules.escalationClimbWorkingDays, ctx!.holidays, ctx!.rules),
        // Domain.md gives a missed resolution no default: it climbs until someone resolves it.
        hasDefault: false,
        climbs: true,
        reassignable: ctx!.collective,
        settles: [c.personId],
        stepDeadline: () => c.dueAt,
      });
      if (c.status !== 'open') return;
      const d = esc.decision;
      if (!d) continue;
      c.dueAt = d.until ?? workingDaysAfter(now(), ctx!.rules.escalationClimbWorkingDays, ctx!.holidays, ctx!.rules);
      if (d.action === 'take-over') complaintResolverId = d.by;
      if (d.action === 'reassign' && d.assigneeId) complaintResolverId = d.assigneeId;
      persist();
    }
  };
  // The window's end is data: an admin may move it (Tết, emergencies).
  for (;;) {
    const windowEndIso = windowEndsAt!;
    const windowEnd = toMs(windowEndIso);
    for (const c of complaints) {
      if (!resolving.has(c.id)) {
        resolving.add(c.id);
        watchers.push(watch(c));
      }
    }
    if (Date.now() >= windowEnd) break;
    const known = complaints.length;
    await condition(() => complaints.length !== known || windowEndsAt !== windowEndIso, windowEnd - Date.now());
  }
  await Promise.all(watchers);
  await condition(() => complaints.every((c) => c.status !== 'open'));

  enter('locked');
  lockedAt = now();
  persist([{ at: lockedAt, actor: 'system', action: 'cycle.locked', subject: workflowId, payload: { lockedAt } }]);
  await writes.settled();
  await condition(allHandlersFinished);
}
