/**
 * What the cycle shows: the view its query and updates answer with, the steps it waits on
 * (the read model's open steps), and the snapshot each flush writes. Reads only.
 */
import type { AuditEntry, Notification, OpenStep, SaveCycleInput } from '../../contracts/snapshots';
import type { Deadlines } from '../../domain/calendar';
import { isDecided } from '../../domain/deliberation';
import type { CycleView, MemberLine } from '../../contracts/messages';
import type { CycleState } from './state';

/** Each member's line: pending, reviewed or decided, with their scores and grades so far. */
function memberLines(cycle: CycleState): MemberLine[] {
  return (cycle.ctx?.members ?? []).map((m) => {
    const r = cycle.results.get(m.personId);
    const f = cycle.finals.get(m.personId);
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
}

/** Whether the list put is approved (recusal counted), and whose approvals it still needs. */
export function approvalState(cycle: CycleState) {
  const { list } = cycle;
  return list
    ? isDecided(
        cycle.ctx?.collective ?? [],
        list.decisions.map((d) => d.personId),
        list.approvals,
      )
    : { decided: false, pending: [] };
}

export function cycleView(cycle: CycleState): CycleView {
  const { input, ctx, list } = cycle;
  return {
    unitId: input.unitId,
    period: input.period,
    phase: cycle.phase,
    profileId: ctx?.profileId ?? '',
    deadlines: cycle.deadlines ?? ({} as Deadlines),
    headId: ctx?.headId ?? null,
    collective: ctx?.collective ?? [],
    outstanding: cycle.outstanding,
    deliberation: list ? { ...list, pending: approvalState(cycle).pending } : null,
    publishedAt: cycle.publishedAt,
    complaintWindowEndsAt: cycle.windowEndsAt,
    members: memberLines(cycle),
    complaints: cycle.complaints,
    escalations: cycle.escalations.items,
    readModelVersion: cycle.writes.latest(),
  };
}

/** The steps someone owes the cycle now: the list or its approvals, open complaints, open escalations. */
export function openSteps(cycle: CycleState): OpenStep[] {
  const { deadlines, list, link } = cycle;
  const steps: OpenStep[] = [];
  if (cycle.phase === 'deliberation' && deadlines) {
    if (!list && cycle.putterId)
      steps.push({
        stepKey: 'deliberation',
        ownerId: cycle.putterId,
        kind: 'deliberation',
        dueAt: deadlines.deliberation,
        link,
      });
    if (list && !cycle.decided) {
      for (const id of cycle.context().collective.filter((c) => !list.approvals.includes(c))) {
        steps.push({
          stepKey: 'approval',
          ownerId: id,
          kind: 'approval',
          dueAt: deadlines.deliberation,
          link: `${link}/deliberation/approvals`,
        });
      }
    }
  }
  for (const c of cycle.complaints.filter((x) => x.status === 'open')) {
    if (cycle.complaintResolverId) {
      steps.push({
        stepKey: `complaint:${c.id}`,
        ownerId: cycle.complaintResolverId,
        kind: 'complaint',
        dueAt: c.dueAt,
        link: `/v1/complaints/${c.id}/resolution`,
      });
    }
  }
  steps.push(...cycle.escalations.openSteps());
  return steps;
}

/** The snapshot one flush writes: the latest view with everything recorded since the last flush. */
export function cycleSnapshot(
  cycle: CycleState,
  batch: { version: number; audit: AuditEntry[]; notifications: Notification[] },
): SaveCycleInput {
  const v = cycleView(cycle);
  const { finals, seedEvaluations } = cycle.takePending();
  return {
    workflowId: cycle.workflowId,
    version: batch.version,
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
    members: (cycle.ctx?.members ?? []).map((m) => ({ personId: m.personId, reviewerId: m.reviewerId })),
    finals,
    seedEvaluations,
    lockedAt: cycle.lockedAt,
    complaints: cycle.complaints,
    escalations: cycle.escalations.items,
    openSteps: openSteps(cycle),
    audit: batch.audit,
    notifications: batch.notifications,
  };
}
