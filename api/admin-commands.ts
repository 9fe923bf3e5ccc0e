/**
 * The directory, holiday, token and deadline commands as the API and the admin and import pages
 * send them, so a page checks rights and rules exactly as the API route does.
 */
import type { z } from 'zod';
import { overrideDeadlines } from '../contracts/messages';
import { personExists, readDirectory, upsertCheckedDirectory } from '../db/directory';
import { scanPositionChanges } from '../db/proposals';
import { listHolidays, loadCaseRules, storeHolidays } from '../db/settings';
import { insertToken } from '../db/tokens';
import type { Sql } from '../db/sql';
import { reservedIdIssues } from '../domain/actors';
import { fromMs, localDate } from '../domain/calendar';
import { duplicatesIn, mergeDirectory, validateDirectory } from '../domain/scope';
import { suggestedHolidays } from '../domain/holidays';
import { tokenExpiry } from '../domain/tokens';
import type { Directory as DirectoryShape, Issue } from '../domain/types';
import { hashToken, isAdmin, isHr, newToken, type Caller } from './auth';
import { cycleCommand } from './cycle-commands';
import type { ApiDeps } from './deps';
import { badRequest, forbidden, notFound, ruleRefused } from './errors';
import type { Directory, HolidaysBody, RunningDeadlines, TokenRequest } from './schemas';

type DirectoryBody = z.infer<typeof Directory>;

export const mayChangeDirectory = (caller: Caller): boolean => isHr(caller) || isAdmin(caller);

/** Every rule a directory upload must pass, checked against the directory as it will be after it. */
function directoryIssues(body: DirectoryBody, after: DirectoryShape): Issue[] {
  return [...reservedIdIssues(body.people), ...validateDirectory(after), ...duplicatesIn(body)];
}

/** An issue with the unit or person it concerns, when its field names one. */
export type LocatedIssue = Issue & { subject?: { kind: 'units' | 'people'; id: string } };

/** Names the row an issue's field points at (`people[3].role`, `people.3.id`) in the directory it was found in. */
function locate(issues: Issue[], dir: DirectoryShape): LocatedIssue[] {
  return issues.map((issue) => {
    const m = /^(units|people)[.[](\d+)/.exec(issue.field);
    if (!m) return issue;
    const kind = m[1] as 'units' | 'people';
    const row = dir[kind][Number(m[2])];
    return row ? { ...issue, subject: { kind, id: row.id } } : issue;
  });
}

/** What an upload would break, without writing anything (for a preview), each issue with its row's id. */
export async function directoryUploadIssues(sql: Sql, body: DirectoryBody): Promise<LocatedIssue[]> {
  const after = mergeDirectory(await readDirectory(sql), body);
  return [
    ...locate(reservedIdIssues(body.people), body),
    ...locate(validateDirectory(after), after),
    ...duplicatesIn(body),
  ];
}

/** Upserts the directory (HR or admin); a directory with problems stores nothing and answers 400 naming them. */
export async function applyDirectory(sql: Sql, caller: Caller, body: DirectoryBody) {
  if (!mayChangeDirectory(caller)) throw forbidden('Only an admin or HR changes the directory.');
  // Referential rules are checked against the directory as it will be after the upsert,
  // read and written in one transaction so a concurrent upload cannot slip in between.
  const result = await upsertCheckedDirectory(sql, body, (after) => directoryIssues(body, after), caller.id);
  if ('issues' in result)
    throw badRequest(`The directory has ${result.issues.length} problem(s); nothing was stored.`, result.issues);
  // A directory change can make a position change due: the people it touched are scanned again.
  await scanPositionChanges(
    sql,
    localDate(fromMs(Date.now())),
    await loadCaseRules(sql),
    body.people.map((p) => p.id),
  );
  return result.counts;
}

/** Stores holidays (admin) and answers with every stored one. */
export async function addHolidays(sql: Sql, caller: Caller, holidays: z.infer<typeof HolidaysBody>['holidays']) {
  if (!isAdmin(caller)) throw forbidden('Only an admin manages holidays.');
  await storeHolidays(sql, holidays, caller.id);
  return listHolidays(sql);
}

/** A year's suggested holidays (admin), each marked confirmed when an admin has stored its date. */
export async function suggestedHolidaysFor(sql: Sql, caller: Caller, year: number) {
  if (!isAdmin(caller)) throw forbidden('Only an admin manages holidays.');
  const stored = new Set((await listHolidays(sql)).map((h) => h.date));
  return suggestedHolidays(year).map((h) => ({ ...h, confirmed: stored.has(h.date) }));
}

/**
 * Issues a token (admin) with its expiry (the default lifetime unless the request names one); the
 * plain token is in this answer only. An expiry the clock refuses is a rule's answer (422), like a
 * deadline in the past.
 */
export async function issueToken(sql: Sql, caller: Caller, body: z.infer<typeof TokenRequest>) {
  if (!isAdmin(caller)) throw forbidden('Only an admin issues tokens.');
  if (body.personId) {
    if (!(await personExists(sql, body.personId))) throw notFound(`There is no person ${body.personId}.`);
  } else if (body.roles.length === 0) {
    throw badRequest('A token needs a person or at least one role.', [{ field: 'personId', rule: 'required' }]);
  }
  const expiry = tokenExpiry(Date.now(), body.expiresAt);
  if ('issue' in expiry)
    throw ruleRefused(expiry.issue.message, { rule: expiry.issue.rule, field: expiry.issue.field });
  const token = newToken();
  const hash = hashToken(token);
  const personId = body.personId ?? null;
  await insertToken(sql, { hash, personId, roles: body.roles, label: body.label ?? null, ...expiry }, caller.id);
  // The same short id names a person-less token as a caller, so the admin can match it in the audit trail.
  return { token, tokenId: hash.slice(0, 12), personId, roles: body.roles, expiresAt: expiry.expiresAt };
}

/** Moves deadlines of one cycle (admin); the cycle's workflow refuses a date it cannot take. */
export function moveDeadlines(
  deps: ApiDeps,
  caller: Caller,
  at: { unitId: string; period: string },
  deadlines: z.infer<typeof RunningDeadlines>,
  updateId: string | undefined,
) {
  if (!isAdmin(caller)) throw forbidden('Only an admin overrides deadlines.');
  return cycleCommand(deps, at, overrideDeadlines, { actor: caller, deadlines }, updateId);
}
