/** The counts an operator watches (the business gauges of `/metrics`), read in one round trip. */
import type { Sql } from './sql';

export interface OperationalCounts {
  openEscalations: number;
  /** Open steps past their due time, by step kind. */
  overdueSteps: { kind: string; count: number }[];
  cyclesByPhase: { phase: string; count: number }[];
  /** Outbox messages by status (pending, sending, sent, failed, no-address). */
  outboxByStatus: { status: string; count: number }[];
}

export async function operationalCounts(sql: Sql): Promise<OperationalCounts> {
  const rows = await sql<{ series: string; label: string; count: number }[]>`
    select 'escalations' as series, '' as label, count(*)::int as count from escalations where status = 'open'
    union all
    select 'overdue', kind, count(*)::int from open_steps where due_at < now() group by kind
    union all
    select 'cycles', phase, count(*)::int from cycles group by phase
    union all
    select 'outbox', status, count(*)::int from outbox group by status`;
  const of = (series: string) => rows.filter((r) => r.series === series);
  return {
    openEscalations: of('escalations')[0]?.count ?? 0,
    overdueSteps: of('overdue').map((r) => ({ kind: r.label, count: r.count })),
    cyclesByPhase: of('cycles').map((r) => ({ phase: r.label, count: r.count })),
    outboxByStatus: of('outbox').map((r) => ({ status: r.label, count: r.count })),
  };
}
