/** Who may read a person's records: the directory's rule, plus HR, admins and the person. */
import { readsPersonRecord } from '../domain/scope';
import { loadUnitAndAbove } from '../db/directory';
import type { Sql } from '../db/sql';
import { isAdmin, isHr, type Caller } from './auth';

/**
 * HR and admins, the person, their reviewer and their unit's head read a person's record; who
 * the reviewer is comes from the directory's own rule, so a head's record goes to the superior head.
 */
export async function mayReadPerson(
  sql: Sql,
  caller: Caller,
  person: { id: string; unitId: string },
): Promise<boolean> {
  if (isHr(caller) || isAdmin(caller) || caller.id === person.id) return true;
  if (caller.person === null) return false;
  return readsPersonRecord(await loadUnitAndAbove(sql, person.unitId), caller.id, person.id);
}
