/** API tokens, stored by their SHA-256 hash only. */
import type { Role } from '../domain/types';
import { writeAudit } from './audit';
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

export interface NewToken {
  hash: string;
  personId: string | null;
  roles: string[];
  label: string | null;
}

/**
 * Stores a token issued by `actor` and audits it as `token.issued` (named by the first twelve
 * characters of its hash, as the caller it authenticates is), in one transaction. With
 * `ifAbsent`, a token already stored is left as it is and audited once.
 */
export async function insertToken(
  sql: Sql,
  token: NewToken,
  actor: string,
  opts: { ifAbsent?: boolean } = {},
): Promise<void> {
  await sql.begin(async (tx) => {
    const inserted = await tx`
      insert into tokens (hash, person_id, roles, label) values (${token.hash}, ${token.personId}, ${token.roles}, ${token.label})
      ${opts.ifAbsent ? tx`on conflict (hash) do nothing` : tx``} returning hash`;
    if (inserted.length === 0) return;
    await writeAudit(tx, {
      dedupeKey: `token:${token.hash}`,
      actor,
      action: 'token.issued',
      subject: `token:${token.hash.slice(0, 12)}`,
      payload: { personId: token.personId, roles: token.roles, label: token.label },
    });
  });
}
