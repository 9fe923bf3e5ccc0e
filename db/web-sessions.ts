/** Web sign-in: people found by their provider's subject or e-mail, sign-ins under way, and sessions. */
import type { Sql } from './sql';
import type { TokenHolder } from './tokens';

/** A sign-in older than this was abandoned; its answer from the provider is refused. */
const SIGN_IN_SECONDS = 600;

export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** A live session: who it signs in (as {@link TokenHolder}, so it maps to the same caller) and its CSRF token. */
export interface SessionHolder extends TokenHolder {
  personId: string;
  csrf: string;
}

/**
 * The person a provider's answer names: the one whose stored subject is `sub`, else the only
 * person without a subject whose e-mail is `email` (case-insensitively). Undefined when none or
 * several match.
 */
export async function findPersonForSignIn(
  sql: Sql,
  claims: { sub: string; email?: string | null },
): Promise<string | undefined> {
  const [bySubject] = await sql<{ id: string }[]>`select id from people where oidc_subject = ${claims.sub}`;
  if (bySubject) return bySubject.id;
  if (!claims.email) return undefined;
  const byEmail = await sql<{ id: string }[]>`
    select id from people where oidc_subject is null and lower(email) = lower(${claims.email}) limit 2`;
  return byEmail.length === 1 ? byEmail[0].id : undefined;
}

export async function startSignIn(sql: Sql, idHash: string, pending: PendingSignIn): Promise<void> {
  await sql`delete from web_sign_ins where created_at < now() - make_interval(secs => ${SIGN_IN_SECONDS})`;
  await sql`insert into web_sign_ins (id_hash, state, nonce, code_verifier, return_to)
    values (${idHash}, ${pending.state}, ${pending.nonce}, ${pending.codeVerifier}, ${pending.returnTo})`;
}

/** Takes (and removes) a recent sign-in: each can be completed once. */
export async function takeSignIn(sql: Sql, idHash: string): Promise<PendingSignIn | undefined> {
  const [row] = await sql<(PendingSignIn & { fresh: boolean })[]>`
    delete from web_sign_ins where id_hash = ${idHash}
    returning state, nonce, code_verifier, return_to,
              created_at > now() - make_interval(secs => ${SIGN_IN_SECONDS}) as fresh`;
  if (!row?.fresh) return undefined;
  const { fresh: _, ...pending } = row;
  return pending;
}

/** Opens a session for `personId`, clearing sessions idle past `idleSeconds` on the way. */
export async function createSession(
  sql: Sql,
  session: { idHash: string; personId: string; csrf: string },
  idleSeconds: number,
): Promise<void> {
  await sql`delete from web_sessions where last_seen_at < now() - make_interval(secs => ${idleSeconds})`;
  await sql`insert into web_sessions (id_hash, person_id, csrf) values (${session.idHash}, ${session.personId}, ${session.csrf})`;
}

/**
 * The session behind `idHash` if it has been used within `idleSeconds` (and its person is still
 * in the directory), marked as used now. A person's roles are those their live bearer tokens carry
 * (neither revoked nor expired), so a page grants exactly what the API grants them.
 */
export async function touchSession(sql: Sql, idHash: string, idleSeconds: number): Promise<SessionHolder | undefined> {
  const [row] = await sql<SessionHolder[]>`
    update web_sessions s set last_seen_at = now()
    from people p
    where s.id_hash = ${idHash} and p.id = s.person_id
      and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
    returning s.person_id, s.csrf, p.unit_id, p.role,
      coalesce((select array_agg(distinct r order by r) from tokens t, unnest(t.roles) r
                where t.person_id = p.id and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())), '{}') as roles`;
  return row;
}

export async function endSession(sql: Sql, idHash: string): Promise<void> {
  await sql`delete from web_sessions where id_hash = ${idHash}`;
}

/** The full name of a person, for the page header. */
export async function personName(sql: Sql, personId: string): Promise<string | undefined> {
  const [row] = await sql<{ fullName: string }[]>`select full_name from people where id = ${personId}`;
  return row?.fullName;
}
