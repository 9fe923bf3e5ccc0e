/** Publication: the approved list becomes every member's final grade, and the complaint window opens. */
import type { FinalLine } from '../../contracts/snapshots';
import { workingDaysAfter } from '../../domain/calendar';
import { now } from '../steps';
import { breachesOf } from './grades';
import type { CycleState } from './state';

/** Publishes the list put (once: two approvals accepted while the first is being recorded must not publish twice). */
export function publish(cycle: CycleState, by: string): void {
  if (cycle.decided) return;
  const list = cycle.list!;
  const { caps } = breachesOf(cycle, list.decisions, { outstanding: cycle.outstanding });
  for (const d of list.decisions) cycle.finals.set(d.personId, { grade: d.grade, caps: caps.get(d.personId) ?? [] });
  cycle.decided = true;
  // A list decided after its deadline ends the escalation about it, as a late review or resolution does.
  for (const e of cycle.escalations.items) if (e.status === 'open' && e.kind === 'deliberation') e.status = 'closed';
  cycle.enter('published');
  const ctx = cycle.context();
  const publishedAt = (cycle.publishedAt = now());
  const windowEndsAt = (cycle.windowEndsAt = workingDaysAfter(
    publishedAt,
    ctx.rules.complaintWindowWorkingDays,
    ctx.holidays,
    ctx.rules,
  ));
  const lines: FinalLine[] = [...cycle.finals].map(([personId, f]) => ({
    personId,
    finalGrade: f.grade,
    caps: f.caps,
  }));
  const { period } = cycle.input;
  cycle.persist({
    audit: [cycle.entry(by, 'cycle.published', { decisions: list.decisions, approvals: list.approvals })],
    notify: ctx.members.map((m) => ({
      key: `${cycle.workflowId}:published:${m.personId}`,
      recipientId: m.personId,
      subject: `Results of ${period} published for ${ctx.unitName}`,
      body: `Your grade for ${period}: ${cycle.finals.get(m.personId)?.grade ?? 'not rated'}. Complaints are open until ${windowEndsAt}.`,
    })),
    finals: lines,
  });
}
