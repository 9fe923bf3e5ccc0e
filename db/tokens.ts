/** API tokens, stored by their SHA-256 hash only. */
import type { Role } from '../domain/types';
import type { Sql } from './sql';

export interface TokenHolder {
  personId: string | null;
  roles: string[];
  /** The person's unit and role now; null for a token without a person (or whose person has left the directory). */
  unitId: string | null;
  role: Role | null;
}

/** Who a token (by hash) belongs to, with their place in the directory. */
export async function findTokenHolder(sql: Sql, hash: string): Promise<TokenHolder | undefined> {
  const [row] = await sql<TokenHolder[]>`
    select t.person_id, t.roles, p.unit_id, p.role from tokens t left join people p on p.id = t.person_id where t.hash = ${hash}`;
  return row;
}

export async function insertToken(
  sql: Sql,
  token: { hash: string; personId: string | null; roles: string[]; label: string | null },
): Promise<void> {
  await sql`insert into tokens (hash, person_id, roles, label) values (${token.hash}, ${token.personId}, ${token.roles}, ${token.label})`;
}
