/**
 * Writes the records that travel with every workflow snapshot: escalations, open steps, audit
 * entries and outbox notifications. Called inside the snapshot's transaction, as its last writes;
 * every statement is idempotent, so a retried activity leaves the same rows.
 */
import { writeAudit } from './audit';
import type { Tx } from './sql';
import type { SideRecords } from '../contracts/snapshots';

export async function writeSideRecords(tx: Tx, side: SideRecords): Promise<void> {
  for (const e of side.escalations) {
    await tx`
      insert into escalations (id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status,
                               created_at, decision, trail, version)
      values (${e.id}, ${side.workflowId}, ${e.kind}, ${e.personId}, ${e.unitId}, ${e.period}, ${e.level}, ${e.targetId},
              ${e.dueAt}, ${e.status}, ${e.createdAt}, ${e.decision ? tx.json(e.decision) : null}, ${tx.json(e.trail)}, ${side.version})
      on conflict (id) do update set level = excluded.level, target_id = excluded.target_id, due_at = excluded.due_at,
        status = excluded.status, decision = excluded.decision, trail = excluded.trail, version = excluded.version
      where escalations.version < excluded.version`;
  }
  // Open steps are replaced wholesale, but only by a snapshot at least as new as the last one seen.
  const [latest] = await tx<{ version: number }[]>`
    select coalesce(max(version), 0) as version from open_step_versions where workflow_id = ${side.workflowId}`;
  if (!latest || latest.version <= side.version) {
    await tx`delete from open_steps where workflow_id = ${side.workflowId}`;
    if (side.openSteps.length > 0) {
      await tx`insert into open_steps ${tx(
        side.openSteps.map((s) => ({
          workflowId: side.workflowId,
          stepKey: s.stepKey,
          ownerId: s.ownerId,
          kind: s.kind,
          dueAt: s.dueAt,
          link: s.link,
        })),
      )} on conflict do nothing`;
    }
    await tx`
      insert into open_step_versions (workflow_id, version) values (${side.workflowId}, ${side.version})
      on conflict (workflow_id) do update set version = excluded.version`;
  }
  for (const n of side.notifications) {
    await tx`
      insert into outbox (key, recipient_id, email, subject, body)
      values (${n.key}, ${n.recipientId}, (select email from people where id = ${n.recipientId}), ${n.subject}, ${n.body})
      on conflict (key) do nothing`;
  }
  // Last: an audit row takes the chain's lock, held until the transaction commits.
  for (const [i, a] of side.audit.entries()) {
    await writeAudit(tx, {
      dedupeKey: `${side.workflowId}:${side.version}:${i}`,
      at: a.at,
      actor: a.actor,
      action: a.action,
      subject: a.subject,
      payload: a.payload,
      onDuplicate: 'skip',
    });
  }
}
