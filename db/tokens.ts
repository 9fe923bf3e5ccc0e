/** API tokens, stored by their SHA-256 hash only; listed and revoked by their short id. */
import type { Role } from '../domain/types';
import { decodeCursor, KEY_INSTANT, pageOf, type Page, type PageRequest } from './pagination';
import { writeAudit } from './audit';
import type { Sql, Tx } from './sql';

export interface TokenHolder {
  /** The token's short id: the first 12 hex digits of its hash. */
  id: string;
  personId: string | null;
  roles: string[];
  /** The person's unit and role now; null for a token without a person (or whose person has left the directory). */
  unitId: string | null;
  role: Role | null;
  /** Null for a token that never expires (one written outside the API). */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What a list of tokens shows of each: never the token, nor its hash beyond the short id. */
export interface TokenRow {
  id: string;
  personId: string | null;
  roles: string[];
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** Who a token (by hash) belongs to, with their place in the directory and the token's expiry and revocation. */
export async function findTokenHolder(sql: Sql, hash: string): Promise<TokenHolder | undefined> {
  const [row] = await sql<TokenHolder[]>`
    select t.id, t.person_id, t.roles, p.unit_id, p.role, t.expires_at, t.revoked_at
    from tokens t left join people p on p.id = t.person_id where t.hash = ${hash}`;
  return row;
}

export interface NewToken {
  hash: string;
  personId: string | null;
  roles: string[];
  label: string | null;
  /** Null for a token that never expires (the dev script's). */
  expiresAt: string | null;
}

/**
 * Stores a token issued by `actor` and audits it as `token.issued` (named by its short id, the
 * first twelve characters of its hash, as the caller it authenticates is), in one transaction.
 * With `ifAbsent`, a token already stored is left as it is and audited once.
 */
export async function insertToken(
  sql: Sql,
  token: NewToken,
  actor: string,
  opts: { ifAbsent?: boolean } = {},
): Promise<void> {
  await sql.begin(async (tx) => {
    const inserted = await tx`
      insert into tokens (hash, person_id, roles, label, expires_at)
      values (${token.hash}, ${token.personId}, ${token.roles}, ${token.label}, ${token.expiresAt}::timestamptz)
      ${opts.ifAbsent ? tx`on conflict (hash) do nothing` : tx``} returning hash`;
    if (inserted.length === 0) return;
    await writeAudit(tx, {
      dedupeKey: `token:${token.hash}`,
      actor,
      action: 'token.issued',
      subject: `token:${token.hash.slice(0, 12)}`,
      payload: { personId: token.personId, roles: token.roles, label: token.label, expiresAt: token.expiresAt },
    });
  });
}

/**
 * Tokens newest first, a page at a time: all of them, or those of `scope` (a person's, or the one
 * token a person-less caller holds).
 */
export async function listTokens(
  sql: Sql,
  scope: { personId: string } | { tokenId: string } | 'all',
  page: PageRequest,
): Promise<Page<TokenRow>> {
  const after = page.cursor === undefined ? null : decodeCursor('tokens', page.cursor);
  const rows = await sql<(TokenRow & { cursorKey: string[] })[]>`
    select id, person_id, roles, label, created_at, expires_at, revoked_at, revoked_by,
           array[to_char(created_at at time zone 'UTC', ${KEY_INSTANT}), id] as cursor_key
    from tokens
    where ${scope === 'all' ? sql`true` : 'personId' in scope ? sql`person_id = ${scope.personId}` : sql`id = ${scope.tokenId}`}
      ${after ? sql`and (created_at < ${after[0]}::text::timestamptz or (created_at = ${after[0]}::text::timestamptz and id > ${after[1]}))` : sql``}
    order by created_at desc, id
    limit ${page.limit + 1}`;
  return pageOf('tokens', rows, page.limit);
}

export async function findToken(sql: Sql | Tx, id: string): Promise<TokenRow | undefined> {
  const [row] = await sql<TokenRow[]>`
    select id, person_id, roles, label, created_at, expires_at, revoked_at, revoked_by from tokens where id = ${id}`;
  return row;
}

/**
 * Revokes a token and audits it, in one transaction; a token already revoked keeps its first
 * revocation (time and actor), so a repeat changes nothing. Returns the token as it stands after.
 */
export async function revokeToken(sql: Sql, id: string, by: string): Promise<TokenRow | undefined> {
  return sql.begin(async (tx) => {
    const revoked = await tx`
      update tokens set revoked_at = now(), revoked_by = ${by} where id = ${id} and revoked_at is null returning id`;
    if (revoked.length > 0)
      await writeAudit(tx, {
        dedupeKey: `token:${id}:revoked`,
        actor: by,
        action: 'token.revoked',
        subject: `token:${id}`,
      });
    return findToken(tx, id);
  });
}
