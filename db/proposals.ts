/**
 * Automatic proposals for HR: periodic position changes due or overdue, replacement triggers on
 * leaders' records, and people with sustained excellent results (talent, for planning and rotation). A scan only ever adds or refreshes proposals; a proposal's id is
 * derived from what was found, so scanning twice finds the same proposal instead of a second one,
 * and a dismissed proposal stays dismissed until the facts change.
 */
import { annualRollup, type MonthResult } from '../domain/annual';
import type { CaseRules, PersonRecord } from '../domain/cases';
import type { RulesConfig } from '../domain/config';
import { talentFinding, windowsOverlap } from '../domain/talent';
import { positionChangeStatus, replacementTriggers, type AnnualGrade, type MonthlyGrade } from '../domain/triggers';
import type { Grade } from '../domain/types';
import { SYSTEM_ACTOR } from '../domain/actors';
import { writeAudit } from './audit';
import { decodeCursor, KEY_INSTANT, pageOf, type Page, type PageRequest } from './pagination';
import type { Sql } from './sql';

export interface ProposalRow {
  id: string;
  kind: 'position-change' | 'replacement' | 'talent';
  personId: string;
  level: string | null;
  evidence: Record<string, unknown>;
  status: 'open' | 'dismissed' | 'opened';
  note: string | null;
  caseId: string | null;
  createdAt: Date;
}

/**
 * Adds the proposal, or refreshes its evidence while it is still open, in one transaction with
 * the audit row of a proposal raised (`proposal.raised`, by the system) and of the one it
 * supersedes, if any (`proposal.superseded`). Returns whether the proposal is new.
 */
async function upsertProposal(
  sql: Sql,
  p: {
    id: string;
    kind: ProposalRow['kind'];
    personId: string;
    level: string | null;
    evidence: Record<string, unknown>;
  },
  supersedes?: { id: string; note: string },
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const superseded = supersedes
      ? await tx`update proposals set status = 'dismissed', note = ${supersedes.note}, updated_at = now()
                 where id = ${supersedes.id} and status = 'open' returning id`
      : [];
    const rows = await tx<{ inserted: boolean }[]>`
      insert into proposals (id, kind, person_id, level, evidence) values (${p.id}, ${p.kind}, ${p.personId}, ${p.level}, ${tx.json(p.evidence as never)})
      on conflict (id) do update set evidence = excluded.evidence, updated_at = now() where proposals.status = 'open'
      returning (xmax = 0) as inserted`;
    const inserted = rows[0]?.inserted ?? false;
    if (superseded.length > 0 && supersedes) {
      await writeAudit(tx, {
        dedupeKey: `proposal:${supersedes.id}:superseded`,
        actor: SYSTEM_ACTOR,
        action: 'proposal.superseded',
        subject: `proposal:${supersedes.id}`,
        payload: { note: supersedes.note, by: p.id },
        onDuplicate: 'skip',
      });
    }
    if (inserted) {
      await writeAudit(tx, {
        dedupeKey: `proposal:${p.id}:raised`,
        actor: SYSTEM_ACTOR,
        action: 'proposal.raised',
        subject: `proposal:${p.id}`,
        payload: { kind: p.kind, personId: p.personId, level: p.level, evidence: p.evidence },
        onDuplicate: 'skip',
      });
    }
    return inserted;
  });
}

/**
 * Lists people in a sensitive position for at least the due months on `onDate` (overdue at the
 * overdue months), all of them or only `personIds`. An overdue finding supersedes the same
 * posting's open "due" proposal.
 */
export async function scanPositionChanges(
  sql: Sql,
  onDate: string,
  rules: CaseRules,
  personIds?: string[],
): Promise<{ found: number; added: number }> {
  const people = await sql<PersonRecord[]>`
    select id, unit_id, role, to_char(retirement_date, 'YYYY-MM-DD') as retirement_date, to_char(position_since, 'YYYY-MM-DD') as position_since,
           sensitive_position, deferrals
    from people where sensitive_position and position_since is not null
      and (${personIds ?? null}::text[] is null or id = any(${personIds ?? null}::text[]))`;
  let found = 0;
  let added = 0;
  for (const person of people) {
    const status = positionChangeStatus(person, onDate, rules);
    if (!status) continue;
    found += 1;
    const posting = `position-change:${person.id}:${person.positionSince}`;
    const evidence = {
      unitId: person.unitId,
      role: person.role,
      positionSince: person.positionSince,
      months: status.months,
      onDate,
      threshold: status.status === 'overdue' ? rules.positionChangeOverdueMonths : rules.positionChangeDueMonths,
    };
    if (
      await upsertProposal(
        sql,
        {
          id: `${posting}:${status.status}`,
          kind: 'position-change',
          personId: person.id,
          level: status.status,
          evidence,
        },
        status.status === 'overdue' ? { id: `${posting}:due`, note: 'superseded: now overdue' } : undefined,
      )
    )
      added += 1;
  }
  return { found, added };
}

/**
 * Evaluates the replacement triggers of every leader (head or deputy) among `personIds` (every
 * leader when omitted) on their record: published monthly grades, annual grades rolled up from them,
 * confidence votes, and discipline since they took the post.
 */
export async function scanReplacementTriggers(
  sql: Sql,
  rules: CaseRules,
  evalRules: RulesConfig,
  personIds?: string[],
): Promise<{ leaders: number; added: number; failed: { leaderId: string; error: string }[] }> {
  const leaders = await sql<LeaderRow[]>`
    select id, role, unit_id, to_char(position_since, 'YYYY-MM-DD') as position_since from people
    where role in ('head', 'deputy') and (${personIds ?? null}::text[] is null or id = any(${personIds ?? null}::text[]))`;
  let added = 0;
  const failed: { leaderId: string; error: string }[] = [];
  for (const leader of leaders) {
    try {
      added += await scanLeader(sql, leader, rules, evalRules);
    } catch (err) {
      // One leader's inconsistent record must not hide everyone else's proposals; it is reported.
      failed.push({ leaderId: leader.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { leaders: leaders.length, added, failed };
}

interface LeaderRow {
  id: string;
  role: string;
  unitId: string;
  positionSince: string | null;
}

/**
 * The head's unit's latest targets with a completion share (a year counts as its December, and
 * ahead of that month's own targets), or null. Only the head answers for the unit's targets.
 */
async function latestUnitTargets(sql: Sql, leader: LeaderRow): Promise<{ period: string; share: number } | null> {
  if (leader.role !== 'head') return null;
  const [row] = await sql<{ period: string; completion: number }[]>`
    select period, completion from unit_targets where unit_id = ${leader.unitId} and completion is not null
    order by case when length(period) = 4 then period || '-12' else period end desc, length(period)
    limit 1`;
  return row ? { period: row.period, share: row.completion } : null;
}

/** One leader's triggers on their record; returns how many proposals were added. */
async function scanLeader(sql: Sql, leader: LeaderRow, rules: CaseRules, evalRules: RulesConfig): Promise<number> {
  let added = 0;
  // Months rated anywhere count (a moved leader's record travels with them); only settled grades.
  const months = await sql<{ period: string; grade: Grade | null; total: number | null }[]>`
    select e.period, e.final_grade as grade, e.total from evaluations e
    join cycles c on c.unit_id = e.unit_id and c.period = e.period
    where e.person_id = ${leader.id} and c.published_at is not null
    order by e.period`;
  const monthly: MonthlyGrade[] = months.map((m) => ({ period: m.period, grade: m.grade }));
  const disciplines = await sql<
    { date: string; level: 'reprimand' | 'warning' | 'demotion' | 'dismissal'; note: string | null }[]
  >`
    select to_char(date, 'YYYY-MM-DD') as date, level, note from discipline where person_id = ${leader.id} order by date, id`;
  const years = [...new Set(months.map((m) => Number(m.period.slice(0, 4))))];
  const annual: AnnualGrade[] = years.map((year) => {
    const inYear: MonthResult[] = months
      .filter((m) => m.period.startsWith(`${year}-`))
      // A month settled without a total (no review to score it) counts as not rated in the roll-up.
      .map((m) => ({ period: m.period, total: m.total, grade: m.total === null ? null : m.grade, disciplined: false }));
    const disciplined = disciplines.some((d) => d.date.startsWith(`${year}-`));
    return { year, grade: annualRollup(inYear, disciplined, evalRules).grade };
  });
  const confidenceVotes = await sql<{ date: string; low: number; total: number }[]>`
    select to_char(date, 'YYYY-MM-DD') as date, low, total from confidence_votes where person_id = ${leader.id} order by date, id`;
  const targets = await latestUnitTargets(sql, leader);
  const inTerm = disciplines.filter((d) => leader.positionSince === null || d.date >= leader.positionSince);
  const fired = replacementTriggers(
    {
      leaderId: leader.id,
      monthly,
      annual,
      confidenceVotes: [...confidenceVotes],
      disciplinesInTerm: inTerm.map((d) => ({ date: d.date, level: d.level, ...(d.note ? { note: d.note } : {}) })),
      unitTargetShare: targets?.share ?? null,
    },
    rules,
  );
  for (const t of fired) {
    const evidence =
      t.rule === 'unit-targets-below-70' && targets
        ? { ...t.evidence, unitId: leader.unitId, period: targets.period }
        : t.evidence;
    // The same evidence is the same proposal; new evidence (another D month) is a new one.
    const id = `replacement:${leader.id}:${t.rule}:${evidenceKey(evidence)}`;
    if (
      await upsertProposal(sql, {
        id,
        kind: 'replacement',
        personId: leader.id,
        level: t.rule,
        evidence: { ...evidence, message: t.message },
      })
    )
      added += 1;
  }
  return added;
}

function evidenceKey(evidence: Record<string, unknown>): string {
  const parts = ['periods', 'years', 'votes', 'disciplines', 'share', 'period']
    .filter((k) => k in evidence)
    .map((k) => JSON.stringify(evidence[k]));
  return parts
    .join('|')
    .replace(/[^0-9A-Za-z|,.-]/g, '')
    .slice(0, 120);
}

interface TalentMonth {
  personId: string;
  unitId: string;
  period: string;
  grade: Grade | null;
}

/**
 * Proposes to HR, for cadre planning and rotation, everyone (all, or only `personIds`) whose
 * settled months show sustained excellent results (domain/talent.ts), over the window ending at
 * their latest published month on or before `onDate`'s month. A person is proposed once per
 * window: not again while the window overlaps one they were already proposed for, whatever
 * became of that proposal.
 */
export async function scanTalent(
  sql: Sql,
  onDate: string,
  rules: RulesConfig,
  personIds?: string[],
): Promise<{ found: number; added: number }> {
  const rows = await sql<TalentMonth[]>`
    select e.person_id, e.unit_id, e.period, e.final_grade as grade from evaluations e
    join cycles c on c.unit_id = e.unit_id and c.period = e.period
    where c.published_at is not null and e.period <= ${onDate.slice(0, 7)}
      and (${personIds ?? null}::text[] is null or e.person_id = any(${personIds ?? null}::text[]))
      and e.person_id in (select person_id from evaluations where final_grade = 'A')
    order by e.person_id, e.period`;
  const byPerson = new Map<string, TalentMonth[]>();
  for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
  let found = 0;
  let added = 0;
  for (const [personId, months] of byPerson) {
    const to = months[months.length - 1].period;
    const disciplines = await sql<{ date: string }[]>`
      select to_char(date, 'YYYY-MM-DD') as date from discipline where person_id = ${personId}`;
    const finding = talentFinding(
      months,
      disciplines.map((d) => d.date),
      to,
      rules,
    );
    if (!finding) continue;
    found += 1;
    const earlier = await sql<{ from: string; to: string }[]>`
      select evidence->>'from' as from, evidence->>'to' as to from proposals where person_id = ${personId} and kind = 'talent'`;
    if (earlier.some((w) => windowsOverlap(w, finding))) continue;
    const evidence = {
      unitId: months[months.length - 1].unitId,
      ...finding,
      threshold: rules.talentAMonths,
      windowMonths: rules.talentWindowMonths,
    };
    if (
      await upsertProposal(sql, {
        id: `talent:${personId}:${finding.from}:${finding.to}`,
        kind: 'talent',
        personId,
        level: 'sustained-excellent',
        evidence,
      })
    )
      added += 1;
  }
  return { found, added };
}

/** Proposals by status and kind (all when absent), newest first, one page. */
export async function listProposals(
  sql: Sql,
  status: string | undefined,
  page: PageRequest,
  kind?: ProposalRow['kind'],
): Promise<Page<ProposalRow>> {
  const after = page.cursor === undefined ? null : decodeCursor('proposals', page.cursor);
  const rows = await sql<(ProposalRow & { cursorKey: string[] })[]>`
    select id, kind, person_id, level, evidence, status, note, case_id, created_at,
           array[to_char(created_at at time zone 'UTC', ${KEY_INSTANT}), id] as cursor_key
    from proposals
    where (${status ?? null}::text is null or status = ${status ?? null})
      and (${kind ?? null}::text is null or kind = ${kind ?? null})
      ${after ? sql`and (created_at < ${after[0]}::text::timestamptz or (created_at = ${after[0]}::text::timestamptz and id > ${after[1]}))` : sql``}
    order by created_at desc, id
    limit ${page.limit + 1}`;
  return pageOf('proposals', rows, page.limit);
}

/**
 * Dismisses an open proposal and audits it, in one transaction. The status test is in the update
 * itself, so of two dismissals arriving together the second finds nothing to change (the row lock
 * makes it wait for the first). Returns false when the proposal is not open (or does not exist).
 */
export async function dismissProposal(sql: Sql, id: string, note: string, by: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const changed = await tx`
      update proposals set status = 'dismissed', note = ${note}, decided_by = ${by}, decided_at = now(), updated_at = now()
      where id = ${id} and status = 'open' returning id`;
    if (changed.length === 0) return false;
    await writeAudit(tx, {
      dedupeKey: `proposal:${id}:dismissed`,
      actor: by,
      action: 'proposal.dismissed',
      subject: `proposal:${id}`,
      payload: { note },
    });
    return true;
  });
}

export async function findProposal(sql: Sql, id: string): Promise<ProposalRow | undefined> {
  const [row] = await sql<
    ProposalRow[]
  >`select id, kind, person_id, level, evidence, status, note, case_id, created_at from proposals where id = ${id}`;
  return row;
}
