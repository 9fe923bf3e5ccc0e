/** Reads of the installation's settings: admin-added holidays, rule overrides, the profile schedule. */
import { randomUUID } from 'node:crypto';
import { writeAudit } from './audit';
import type { Sql } from './sql';
import { caseRulesWith } from '../domain/case-schemas';
import { DEFAULT_CASE_RULES, type CaseRules } from '../domain/cases';
import type { RulesConfig } from '../domain/config';
import { rulesWith } from '../domain/config-validation';
import { DEFAULT_PROFILE_SCHEDULE, type ProfileSchedule } from '../domain/scoring';

/** Admin-added holidays (Tết, compensatory days) as YYYY-MM-DD. */
export async function loadHolidays(sql: Sql): Promise<string[]> {
  const rows = await sql<{ date: string }[]>`select to_char(date, 'YYYY-MM-DD') as date from holidays order by date`;
  return rows.map((r) => r.date);
}

/** The rules in force: defaults with the admin's overrides from `settings`. */
export async function loadRules(sql: Sql): Promise<RulesConfig> {
  const [row] = await sql<{ value: Record<string, unknown> }[]>`select value from settings where key = 'rules'`;
  return rulesFromSetting(row?.value);
}

/** The rules from the stored `rules` setting (the admin's overrides), or the defaults without one. */
export const rulesFromSetting = (value: unknown): RulesConfig =>
  rulesWith((value ?? {}) as Parameters<typeof rulesWith>[0]);

export async function loadProfileSchedule(sql: Sql): Promise<ProfileSchedule> {
  const [row] = await sql<{ value: ProfileSchedule }[]>`select value from settings where key = 'profiles'`;
  return row?.value ?? DEFAULT_PROFILE_SCHEDULE;
}

/** Case rules: the defaults of domain.md with the admin's overrides (settings key `case-rules`). */
export async function loadCaseRules(sql: Sql): Promise<CaseRules> {
  const [row] = await sql<
    { value: Parameters<typeof caseRulesWith>[0] }[]
  >`select value from settings where key = 'case-rules'`;
  return row ? caseRulesWith(row.value) : DEFAULT_CASE_RULES;
}

/** Adds admin holidays, renaming a date already there, audited by `actor` as `holidays.stored`, in one transaction. */
export async function storeHolidays(
  sql: Sql,
  holidays: { date: string; name: string }[],
  actor: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    for (const h of holidays) {
      await tx`insert into holidays (date, name) values (${h.date}, ${h.name}) on conflict (date) do update set name = excluded.name`;
    }
    await writeAudit(tx, {
      dedupeKey: `holidays:${randomUUID()}`,
      actor,
      action: 'holidays.stored',
      subject: 'holidays',
      payload: { holidays },
    });
  });
}

/** Admin-added holidays with their names, by date. */
export async function listHolidays(sql: Sql): Promise<{ date: string; name: string }[]> {
  return sql<
    { date: string; name: string }[]
  >`select to_char(date, 'YYYY-MM-DD') as date, name from holidays order by date`;
}
