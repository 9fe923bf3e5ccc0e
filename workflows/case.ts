/**
 * One case, opened by HR: a move (rotation, transfer, position change) or a replacement of a
 * leader. Every step has its deadline on the working-day calendar, reminders, and the escalation
 * ladder when missed; the directory changes through an activity at the end. A rotation then waits
 * (years, on a durable timer) for its end-of-term review.
 */
import { allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { AuditEntry, Notification, OpenStep } from '../contracts/snapshots';
import { addWorkingDays, atLocal, fromMs, localDate, reminderTimes, toMs, workingDaysAfter } from '../domain/calendar';
import type { CaseStatus, VoteChoice } from '../domain/cases';
import { ErrorType } from '../domain/errors';
import { addMonths } from '../domain/eligibility';
import { endOfTermReviewDate } from '../domain/triggers';
import { majorityOutcome, tallyVotes, type Ballot } from '../domain/votes';
import {
  castVote,
  closeBallot,
  confirmHandover,
  confirmReceipt,
  getCase,
  submitExplanation,
  submitOpinion,
  submitProposal,
  submitTermReview,
  withdrawCase,
  BALLOT_BOX,
  type CaseDecision,
  type CaseInput,
  type CaseStep,
  type CaseView,
  type MoveRequest,
  type StepOutcome,
} from '../contracts/case-messages';
import { decideEscalation, SEARCH, type Actor, type EscalationAction, type EscalationKind } from '../contracts/messages';
import { actsAs, awaitStep, Escalations, escalationNotice, now, ReadModelWriter, refuse } from './steps';

type Activities = ReturnType<typeof createActivities>;

const { saveCase } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

// Directory changes are regular activities: they must run once, outlive a worker crash, and retry until Postgres answers.
const { applyMove, applyReplacement, readBallot } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** The case `input.caseId`, from opening to its last step. */
export async function caseWorkflow(input: CaseInput): Promise<CaseView> {
  const { workflowId } = workflowInfo();
  const { request, parties, rules, caseRules, holidays } = input;
  const personId = request.personId;
  const link = `/v1/cases/${input.caseId}`;
  const createdAt = now();
  let status: CaseStatus = 'open';
  let current = 'opening';
  const steps: CaseStep[] = [];
  const ballots: Ballot[] = [];
  let totals = { approve: 0, reject: 0, of: parties.collective.length };
  let decision: CaseDecision | null = null;
  let proposal: { recommendation: 'replace' | 'keep'; actingPersonId?: string; placementUnitId?: string; note?: string } | null = null;
  const stepEscalations = new Map<string, string[]>();

  const withdrawn = (): boolean => status === 'withdrawn';
  const step = (name: string): CaseStep | undefined => steps.find((s) => s.name === name);
  const isOpen = (s: CaseStep | undefined): s is CaseStep => s !== undefined && s.doneAt === null;

  const escalations = new Escalations(
    () => rules,
    () => holidays,
    (esc, event) => {
      const notes = escalationNotice(workflowId, esc, event, {
        subject: `Escalation: missed ${esc.kind} on case ${input.caseId} (${request.kind} of ${personId})`,
        body: `The ${esc.kind} step of case ${input.caseId} was missed. Please decide by ${esc.dueAt} at /v1/escalations/${esc.id}/decision.`,
      });
      persist([audit(`escalation.${event}`, esc.decision?.by ?? 'system', { escalation: esc })], notes);
    },
  );

  const view = (): CaseView => ({
    id: input.caseId,
    kind: request.kind,
    personId,
    status,
    step: current,
    steps: steps.map((s) => ({ ...s })),
    votes: { ...totals },
    ...(request.kind === 'replacement' ? {} : { ballots: [...ballots] }),
    decision,
    request,
    parties,
    escalations: escalations.items,
    createdAt,
  });

  const openSteps = (): OpenStep[] => {
    const owed: OpenStep[] = [];
    for (const s of steps.filter((x) => x.doneAt === null && !withdrawn())) {
      const owners = s.name === 'vote' && request.kind !== 'replacement' ? s.actorIds.filter((id) => !ballots.some((b) => b.voterId === id)) : s.actorIds;
      for (const ownerId of owners) owed.push({ stepKey: s.name, ownerId, kind: `case:${s.name}`, dueAt: s.dueAt, link });
    }
    for (const e of escalations.items.filter((x) => x.status === 'open')) {
      owed.push({ stepKey: `escalation:${e.id}`, ownerId: e.targetId, kind: 'escalation', dueAt: e.dueAt, link: `/v1/escalations/${e.id}` });
    }
    return owed;
  };

  const writes = new ReadModelWriter(async ({ version, audit: entries, notifications }) => {
    const actorIds = [...new Set([personId, ...steps.flatMap((s) => s.actorIds), ...escalations.items.flatMap((e) => e.trail.map((t) => t.targetId))])];
    await saveCase({
      workflowId,
      version,
      row: { ...view(), actorIds, proposalId: input.proposalId },
      escalations: escalations.items,
      openSteps: openSteps(),
      audit: entries,
      notifications,
    });
  });
  const persist = (entries: AuditEntry[] = [], notifications: Notification[] = []): number => writes.record(entries, notifications);
  void writes.run();

  const audit = (action: string, actor: string, payload: Record<string, unknown> = {}): AuditEntry => ({
    at: now(),
    actor,
    action: `case.${action}`,
    subject: workflowId,
    payload,
  });

  const setStatus = (next: CaseStatus): void => {
    status = next;
    upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  };

  /** Adds a step and tells its actors it waits for them; the engine's own steps (decision, move) have none. */
  const open = (name: string, actorIds: string[], dueAt: string | null): CaseStep => {
    const s: CaseStep = { name, actorIds, dueAt, doneAt: null, by: null, outcome: null };
    steps.push(s);
    current = name;
    persist(
      [audit('step-opened', 'system', { step: name, actorIds, dueAt })],
      actorIds.map((recipientId) => ({
        key: `${workflowId}:open:${name}:${recipientId}`,
        recipientId,
        subject: `Case ${input.caseId}: ${name} is waiting for you`,
        body: `The ${request.kind} case of ${personId} needs your ${name}${dueAt ? ` by ${dueAt}` : ''}. Open ${link}.`,
      })),
    );
    return s;
  };

  const finish = (s: CaseStep, by: string, outcome: StepOutcome, note?: string): void => {
    s.doneAt = now();
    s.by = by;
    s.outcome = outcome;
    if (note) s.note = note;
    for (const id of stepEscalations.get(s.name) ?? []) {
      const esc = escalations.find(id);
      if (esc && esc.status === 'open') esc.status = 'closed';
    }
  };

  const remind = (s: CaseStep) => async (at: string, deadline: string): Promise<void> => {
    persist(
      [],
      s.actorIds.map((recipientId) => ({
        key: `${workflowId}:reminder:${s.name}:${recipientId}:${deadline}:${at}`,
        recipientId,
        subject: `Reminder: ${s.name} on case ${input.caseId} due ${deadline}`,
        body: `The ${s.name} of the ${request.kind} case of ${personId} is due at ${deadline}. Open ${link}.`,
      })),
    );
  };

  /**
   * Waits for one step with its reminders; a miss escalates up `ladder`. An extension moves the
   * deadline and the wait starts again; the default (where the step has one) closes it.
   */
  const runStep = async (
    s: CaseStep,
    opts: {
      kind: EscalationKind;
      ladder: string[];
      actions: EscalationAction[];
      /** After this many extensions, only `afterExtensions` remain (a replacement's vote is extended once). */
      maxExtensions?: number;
      afterExtensions?: EscalationAction[];
      maxExtensionWorkingDays?: number;
      /** Called on a miss before escalating; true when the step turned out to be done. */
      onMiss?: () => Promise<boolean>;
    },
  ): Promise<void> => {
    const done = (): boolean => s.doneAt !== null || withdrawn();
    let extensions = 0;
    for (;;) {
      const outcome = await awaitStep({ done, deadline: () => s.dueAt!, reminders: (d) => reminderTimes(d, holidays, rules), onReminder: remind(s) });
      if (outcome === 'done') return;
      if (opts.onMiss && (await opts.onMiss())) return;
      const actions = extensions >= (opts.maxExtensions ?? Infinity) ? opts.afterExtensions ?? [] : opts.actions;
      const hasDefault = actions.includes('accept-default');
      const esc = await escalations.run({
        kind: opts.kind,
        personId,
        unitId: parties.fromUnitId,
        period: workflowId,
        ladder: opts.ladder,
        firstDueAt: workingDaysAfter(now(), rules.escalationClimbWorkingDays, holidays, rules),
        hasDefault,
        climbs: true,
        reassignable: [],
        settles: [],
        stepDeadline: () => s.dueAt!,
        actions,
        ...(opts.maxExtensionWorkingDays !== undefined ? { maxExtensionWorkingDays: opts.maxExtensionWorkingDays } : {}),
        onOpened: (opened) => stepEscalations.set(s.name, [...(stepEscalations.get(s.name) ?? []), opened.id]),
      });
      if (done()) return;
      if (esc.status === 'decided' && esc.decision?.action === 'extend' && esc.decision.until) {
        s.dueAt = esc.decision.until;
        extensions += 1;
        persist();
        continue;
      }
      if (esc.status === 'defaulted' || esc.decision?.action === 'accept-default') {
        finish(s, esc.decision?.by ?? 'system', 'defaulted');
        persist([audit(`${s.name}.defaulted`, esc.decision?.by ?? 'system')]);
        return;
      }
    }
  };

  const ladderOf = (actorId: string): string[] => (actorId === 'hr' ? ['hr'] : parties.ladders[actorId] ?? ['hr']);
  const due = (workingDays: number): string => workingDaysAfter(now(), workingDays, holidays, rules);
  const issue = (outcome: 'approved' | 'rejected', extra: Partial<CaseDecision> = {}): void => {
    decision = { outcome, number: `QĐ-${input.caseId}`, date: localDate(now()), ...extra };
    const s = open('decision', [], null);
    finish(s, 'system', outcome);
    setStatus(outcome === 'approved' ? 'approved' : 'rejected');
    persist([audit('decision', 'system', { decision, votes: totals })]);
  };

  // --- handlers -------------------------------------------------------------------------------

  setHandler(getCase, view);

  const refuseUnlessOpen = (name: string): CaseStep => {
    if (withdrawn()) refuse(ErrorType.WrongPhase, 'This case was withdrawn.', { phase: 'withdrawn', status });
    const s = steps.find((x) => x.name === name && x.doneAt === null);
    if (!s) refuse(ErrorType.WrongPhase, `The case is not waiting for ${name} (it is at "${current}").`, { phase: current, status });
    return s;
  };

  setHandler(
    submitOpinion,
    ({ actor, opinion, note }) => {
      const s = steps.find((x) => x.name.startsWith('opinion:') && x.doneAt === null && x.actorIds.some((id) => actsAs(actor, id)))!;
      finish(s, actor.id, opinion, note);
      return { ...view(), readModelVersion: persist([audit('opinion', actor.id, { step: s.name, opinion, note })]) };
    },
    {
      validator: ({ actor }) => {
        const mine = steps.filter((x) => x.name.startsWith('opinion:') && x.actorIds.some((id) => actsAs(actor, id)));
        if (mine.length === 0) refuse(ErrorType.Forbidden, 'Only the sending head, the receiving head and the person give opinions on this case.');
        if (withdrawn()) refuse(ErrorType.WrongPhase, 'This case was withdrawn.', { phase: 'withdrawn', status });
        if (mine.every((x) => x.doneAt !== null)) refuse(ErrorType.WrongPhase, 'Your opinion on this case is already recorded.', { phase: current, status });
      },
    },
  );

  setHandler(
    castVote,
    ({ actor, vote }) => {
      const s = step('vote')!;
      ballots.push({ voterId: actor.id, vote });
      const tally = tallyVotes({ members: parties.collective, chairId: parties.chairId, votes: ballots });
      totals = { approve: tally.approve, reject: tally.reject, of: tally.of };
      if (tally.decided) finish(s, actor.id, tally.decided);
      return { ...view(), readModelVersion: persist([audit('vote', actor.id, { vote })]) };
    },
    {
      validator: ({ actor }) => {
        if (request.kind === 'replacement') refuse(ErrorType.WrongPhase, 'A replacement is decided by secret ballot.', { phase: current, status });
        if (!parties.collective.includes(actor.id)) refuse(ErrorType.Forbidden, `Only members of the deciding collective (${parties.decidingUnitId}) vote.`);
        refuseUnlessOpen('vote');
        if (ballots.some((b) => b.voterId === actor.id)) refuse(ErrorType.WrongPhase, 'You have already voted on this case.', { phase: current, status });
      },
    },
  );

  /** The secret ballot's outcome from its totals; `castingVote` is the chair's side at exactly half. */
  const ballotOutcome = (approve: number, reject: number, castingVote?: VoteChoice): 'approved' | 'rejected' | null =>
    majorityOutcome({ approve, reject }, parties.collective.length, castingVote);

  setHandler(
    closeBallot,
    ({ actor, approve, reject, castingVote }) => {
      const outcome = ballotOutcome(approve, reject, castingVote)!;
      totals = { approve, reject, of: parties.collective.length };
      finish(step('vote')!, castingVote ? actor.id : 'ballot-box', outcome, castingVote ? `casting vote of the chair: ${castingVote}` : undefined);
      return { ...view(), readModelVersion: persist([audit('ballot-closed', castingVote ? actor.id : 'ballot-box', { approve, reject, of: totals.of, ...(castingVote ? { castingVote } : {}) })]) };
    },
    {
      validator: ({ actor, approve, reject, castingVote }) => {
        if (request.kind !== 'replacement') refuse(ErrorType.WrongPhase, 'This case votes openly.', { phase: current, status });
        if (castingVote ? actor.id !== parties.chairId : actor.id !== BALLOT_BOX.id) refuse(ErrorType.Forbidden, 'Only the ballot box closes a secret ballot, or the chair with a casting vote.');
        refuseUnlessOpen('vote');
        if (approve < 0 || reject < 0 || approve + reject > parties.collective.length) refuse(ErrorType.BadInput, 'The totals do not fit the collective.', { fields: [{ field: 'approve', rule: 'totals' }] });
        if (ballotOutcome(approve, reject, castingVote) === null) refuse(ErrorType.RuleRefused, 'The ballot is not decided yet.', { rule: 'ballot-undecided' });
      },
    },
  );

  const handoverHandler = (name: 'handover' | 'receipt') => ({
    handler: ({ actor }: { actor: Actor }) => {
      finish(step(name)!, actor.id, 'done');
      return { ...view(), readModelVersion: persist([audit(name, actor.id)]) };
    },
    validator: ({ actor }: { actor: Actor }) => {
      const s = step(name);
      const who = name === 'handover' ? personId : parties.receivingHeadId ?? 'hr';
      if (!actsAs(actor, who)) refuse(ErrorType.Forbidden, name === 'handover' ? 'Only the person confirms their handover.' : 'Only the receiving head confirms receipt.');
      if (!s) refuse(ErrorType.WrongPhase, `The case is not at ${name} yet (it is at "${current}").`, { phase: current, status });
      refuseUnlessOpen(name);
    },
  });
  const handover = handoverHandler('handover');
  setHandler(confirmHandover, handover.handler, { validator: handover.validator });
  const receipt = handoverHandler('receipt');
  setHandler(confirmReceipt, receipt.handler, { validator: receipt.validator });

  setHandler(
    submitExplanation,
    ({ actor, text }) => {
      finish(step('explanation')!, actor.id, 'done', text);
      return { ...view(), readModelVersion: persist([audit('explanation', actor.id, { text })]) };
    },
    {
      validator: ({ actor }) => {
        if (actor.id !== personId) refuse(ErrorType.Forbidden, 'Only the leader concerned writes the explanation.');
        refuseUnlessOpen('explanation');
      },
    },
  );

  setHandler(
    submitProposal,
    ({ actor, ...body }) => {
      proposal = body;
      finish(step('proposal')!, actor.id, body.recommendation, body.note);
      return { ...view(), readModelVersion: persist([audit('proposal', actor.id, body)]) };
    },
    {
      validator: ({ actor, actingPersonId }) => {
        if (!actor.roles.includes('hr')) refuse(ErrorType.Forbidden, 'Only HR puts the proposal.');
        refuseUnlessOpen('proposal');
        if (actingPersonId === personId) refuse(ErrorType.RuleRefused, 'The leader being replaced cannot be the acting holder.', { rule: 'acting-is-person' });
      },
    },
  );

  setHandler(
    submitTermReview,
    ({ actor, recommendation, note }) => {
      finish(step('end-of-term-review')!, actor.id, recommendation, note);
      return { ...view(), readModelVersion: persist([audit('term-review', actor.id, { recommendation, note })]) };
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes('hr')) refuse(ErrorType.Forbidden, 'Only HR records the end-of-term review.');
        refuseUnlessOpen('end-of-term-review');
      },
    },
  );

  setHandler(
    withdrawCase,
    ({ actor, note }) => {
      setStatus('withdrawn');
      current = 'closed';
      for (const e of escalations.items) if (e.status === 'open') e.status = 'closed';
      return { ...view(), readModelVersion: persist([audit('withdrawn', actor.id, { note })]) };
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes('hr')) refuse(ErrorType.Forbidden, 'Only HR withdraws a case.');
        if (status !== 'open' && status !== 'approved') refuse(ErrorType.WrongPhase, `A ${status} case cannot be withdrawn.`, { phase: current, status });
        if (step('move')?.doneAt || step('replacement')?.doneAt) refuse(ErrorType.WrongPhase, 'The directory has already changed.', { phase: current, status });
      },
    },
  );

  setHandler(decideEscalation, (args) => ({ ...escalations.decide(args), readModelVersion: writes.latest() }), { validator: (args) => escalations.validate(args) });

  // --- the process ----------------------------------------------------------------------------

  upsertSearchAttributes([
    { key: SEARCH.personId, value: personId },
    { key: SEARCH.caseKind, value: request.kind },
    { key: SEARCH.unitId, value: parties.fromUnitId },
    { key: SEARCH.phase, value: status },
  ]);
  persist([audit('opened', input.openedBy, { request, proposalId: input.proposalId })]);

  if (request.kind === 'replacement') await runReplacement();
  else await runMove(request);

  if (current !== 'closed') current = 'closed';
  persist();
  await writes.settled();
  await condition(allHandlersFinished);
  return view();

  async function runMove(move: MoveRequest): Promise<void> {
    // Opinions, in parallel: the sending head, the receiving head and the person.
    const opinionDue = due(caseRules.opinionWorkingDays);
    const givers: [string, string | null][] = [
      ['opinion:sending-head', parties.sendingHeadId],
      ['opinion:receiving-head', parties.receivingHeadId !== parties.sendingHeadId ? parties.receivingHeadId : null],
      ['opinion:person', personId],
    ];
    const opinionSteps = givers.filter((g): g is [string, string] => g[1] !== null).map(([name, id]) => open(name, [id], opinionDue));
    current = 'opinions';
    persist();
    await Promise.all(opinionSteps.map((s) => runStep(s, { kind: 'opinion', ladder: ladderOf(s.actorIds[0]), actions: ['extend', 'accept-default'] })));
    if (withdrawn()) return;

    // The deciding collective votes openly; the chair decides an even split.
    const vote = open('vote', parties.collective, due(caseRules.moveDecisionWorkingDays));
    await runStep(vote, { kind: 'vote', ladder: parties.chairId ? ladderOf(parties.chairId) : ['hr'], actions: ['extend'] });
    if (withdrawn()) return;
    if (vote.outcome === 'rejected') {
      issue('rejected', { rationale: 'The deciding collective voted against the move.' });
      current = 'closed';
      return;
    }
    issue('approved');

    // Handover and receipt, due within the working days after the effective date; the move waits for both and for that date.
    const effectiveAt = atLocal(move.effectiveDate, 0);
    const handoverBase = Math.max(toMs(effectiveAt), Date.now());
    const handoverDue = atLocal(addWorkingDays(localDate(fromMs(handoverBase)), caseRules.handoverWorkingDays, holidays), rules.deadlineHour);
    const leaver = open('handover', [personId], handoverDue);
    const receiver = open('receipt', [parties.receivingHeadId ?? 'hr'], handoverDue);
    current = 'handover';
    persist();
    await Promise.all([
      runStep(leaver, { kind: 'handover', ladder: ladderOf(personId), actions: ['extend', 'accept-default'] }),
      runStep(receiver, { kind: 'receipt', ladder: ladderOf(parties.receivingHeadId ?? 'hr'), actions: ['extend', 'accept-default'] }),
      condition(withdrawn, Math.max(0, toMs(effectiveAt) - Date.now())),
    ]);
    if (withdrawn()) return;

    const moved = open('move', [], effectiveAt);
    persist();
    const result = await applyMove({
      caseId: input.caseId,
      personId,
      toUnitId: move.toUnitId,
      toRole: move.toRole,
      effectiveDate: move.effectiveDate,
    });
    finish(moved, 'system', 'moved', result.rerouted.length > 0 ? `open evaluations re-routed: ${result.rerouted.join(', ')}` : undefined);
    setStatus('completed');
    persist([audit('moved', 'system', { toUnitId: move.toUnitId, toRole: move.toRole, rerouted: result.rerouted })]);

    if (move.kind !== 'rotation' || !move.termMonths) {
      current = 'closed';
      return;
    }
    // The end-of-term review: a durable timer of years, then HR proposes return, extension or appointment.
    const reviewDate = endOfTermReviewDate(move.effectiveDate, move.termMonths, caseRules);
    current = 'term';
    persist();
    await condition(() => false, Math.max(0, toMs(atLocal(reviewDate, rules.reminderHour)) - Date.now()));
    // Settled by the day the term ends.
    const review = open('end-of-term-review', ['hr'], atLocal(addMonths(move.effectiveDate, move.termMonths), rules.deadlineHour));
    await runStep(review, { kind: 'term-review', ladder: ['hr'], actions: ['extend'] });
    current = 'closed';
  }

  async function runReplacement(): Promise<void> {
    const proposalDue = due(caseRules.proposalWorkingDays);
    const explanation = open('explanation', [personId], due(caseRules.explanationWorkingDays));
    await runStep(explanation, { kind: 'explanation', ladder: ladderOf(personId), actions: ['extend', 'accept-default'] });
    if (withdrawn()) return;

    const proposalStep = open('proposal', ['hr'], toMs(proposalDue) > Date.now() ? proposalDue : due(rules.escalationClimbWorkingDays));
    await runStep(proposalStep, { kind: 'proposal', ladder: ['hr'], actions: ['extend'] });
    if (withdrawn()) return;
    const p = proposal!;
    if (p.recommendation === 'keep') {
      issue('rejected', { rationale: p.note ?? 'HR proposed to keep the leader.' });
      current = 'closed';
      return;
    }

    // Secret ballot: counted by the API's ballot box; the workflow only ever sees the closing totals.
    const vote = open('vote', parties.collective, due(caseRules.replacementDecisionWorkingDays));
    const extraDays = caseRules.replacementDecisionExtendedWorkingDays - caseRules.replacementDecisionWorkingDays;
    const closeFromBox = async (): Promise<boolean> => {
      // A close the API could not deliver (it crashed after counting) is picked up at the deadline.
      const box = await readBallot({ caseId: input.caseId });
      const outcome = ballotOutcome(box.approve, box.reject);
      if (outcome === null || vote.doneAt !== null) return vote.doneAt !== null;
      totals = { approve: box.approve, reject: box.reject, of: parties.collective.length };
      finish(vote, 'ballot-box', outcome);
      persist([audit('ballot-closed', 'ballot-box', { ...totals })]);
      return true;
    };
    // Extendable once (10 → 15 working days by default); after that, HR may only close it undecided.
    await runStep(vote, {
      kind: 'vote',
      ladder: ['hr'],
      actions: ['extend'],
      maxExtensions: extraDays > 0 ? 1 : 0,
      afterExtensions: ['accept-default'],
      maxExtensionWorkingDays: extraDays,
      onMiss: closeFromBox,
    });
    if (withdrawn()) return;
    if (vote.outcome !== 'approved') {
      issue('rejected', {
        rationale: vote.outcome === 'defaulted' ? 'No decision within the time allowed; the leader stays.' : 'The deciding collective voted to keep the leader.',
      });
      current = 'closed';
      return;
    }
    const placementUnitId = p.placementUnitId ?? parties.fromUnitId;
    issue('approved', { actingPersonId: p.actingPersonId!, placementUnitId });
    const replaced = open('replacement', [], null);
    const result = await applyReplacement({ caseId: input.caseId, personId, actingPersonId: p.actingPersonId!, placementUnitId, effectiveDate: decision!.date });
    finish(replaced, 'system', 'done', `${personId} → ${result.newRole} in ${placementUnitId}; ${p.actingPersonId} acting ${result.vacatedRole}`);
    setStatus('completed');
    persist([audit('replaced', 'system', { ...result, actingPersonId: p.actingPersonId, placementUnitId })]);
    current = 'closed';
  }
}
