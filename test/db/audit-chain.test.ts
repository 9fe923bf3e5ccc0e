/**
 * The tamper-evident audit trail (migration 010): rows hash-chained in commit order, concurrent
 * writers that do not fork the chain, a verifier that names the first broken row, an existing
 * trail brought into the chain by the migration, and an API user that can append and read but
 * neither change, remove nor unprotect a row.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHAIN_START, verifyAuditChain, writeAudit } from '../../db/audit';
import { migrate } from '../../db/migrate';
import { createSql, type Sql } from '../../db/sql';
import { freshDatabase, type FreshDatabase } from '../support/db';
import { runBash } from '../support/shell';

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run audit:verify` against `url`, as an operator runs it. */
const auditVerify = (url: string) =>
  runBash('npm run --silent audit:verify', {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    timeoutMs: 120_000,
  });

/** Changes one row as a superuser would: the append-only trigger switched off for the session. */
async function tamper(sql: Sql, statement: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await statement(tx as unknown as postgres.TransactionSql);
  });
}

const entry = (n: number) => ({
  dedupeKey: `test:${n}`,
  actor: n % 2 ? 'dung' : 'system',
  action: 'test.fact',
  subject: `person:p${n % 5}`,
  payload: { n, note: `Ghi chú số ${n}`, nested: { list: [1, 2.5, 'ba'], flag: n % 3 === 0 } },
});

describe('the audit chain', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('audit_chain');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('chains rows written one after another and verifies', async () => {
    for (let n = 1; n <= 5; n += 1) await writeAudit(db.sql, entry(n));
    const rows = await db.sql<{ id: string; prevHash: string; hash: string }[]>`
      select id::text, prev_hash, hash from audit order by audit.id`;
    expect(rows[0].prevHash).toBe(CHAIN_START);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(await verifyAuditChain(db.sql)).toEqual({ rows: 5, broken: null });
    const run = await auditVerify(db.url);
    expect(run).toMatchObject({ code: 0, stdout: 'audit chain holds: 5 rows checked\n' });
  });

  it('does not fork under concurrent writers, each in its own transaction', async () => {
    const pool = createSql(db.url, { max: 8 });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          pool.begin(async (tx) => {
            await writeAudit(tx, entry(100 + i));
            // The writer keeps its transaction open a little: the next one must wait, not fork.
            await tx`select pg_sleep(0.005)`;
          }),
        ),
      );
    } finally {
      await pool.end();
    }
    const report = await verifyAuditChain(db.sql);
    expect(report).toEqual({ rows: 45, broken: null });
    const [{ forks }] = await db.sql<{ forks: number }[]>`
      select count(*)::int as forks from (select prev_hash from audit group by prev_hash having count(*) > 1) f`;
    expect(forks).toBe(0);
  });

  it('refuses to write from a repeatable read transaction, whose snapshot could miss the last row', async () => {
    await expect(
      db.sql.begin('isolation level repeatable read', async (tx) => {
        await writeAudit(tx, entry(900));
      }),
    ).rejects.toThrow(/read committed/);
  });

  // Each forgery below lands earlier in the chain than the one before, so it is the first break.
  const rowAt = async (offset: number) =>
    (
      await db.sql<{ id: string; dedupeKey: string }[]>`
        select id::text, dedupe_key from audit order by audit.id offset ${offset} limit 1`
    )[0];

  it('names the edited row when a superuser edits one', async () => {
    const target = await rowAt(30);
    await tamper(db.sql, (tx) => tx`update audit set payload = payload || '{"n": -1}' where id = ${target.id}`);
    expect((await verifyAuditChain(db.sql)).broken).toEqual({ ...target, problem: 'content' });
    const run = await auditVerify(db.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`audit chain broken at row ${target.id} (${target.dedupeKey}): its content`);
  });

  it("names the next row when the forger also recomputes the edited row's hash", async () => {
    const edited = await rowAt(30);
    const next = await rowAt(31);
    await tamper(
      db.sql,
      (tx) => tx`update audit set hash = audit_row_hash(prev_hash,
        audit_row_text(id, dedupe_key, at, actor, action, subject, payload)) where id = ${edited.id}`,
    );
    expect((await verifyAuditChain(db.sql)).broken).toMatchObject({ ...next, problem: 'link' });
  });

  it('names the row after one removed', async () => {
    const victim = await rowAt(10);
    const after = await rowAt(11);
    await tamper(db.sql, (tx) => tx`delete from audit where id = ${victim.id}`);
    expect((await verifyAuditChain(db.sql)).broken).toMatchObject({ ...after, problem: 'link' });
  });
});

describe('an existing trail', () => {
  const base = inject('databaseUrl');
  const name = `t_audit_upgrade_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  let sql: Sql;
  beforeAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    sql = createSql(u.toString());
  });
  afterAll(async () => {
    await sql?.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it('joins the chain when migration 010 runs over it, and new rows follow it', async () => {
    // The database as the release before 010 left it, with a trail written the old way.
    const before = readdirSync(MIGRATIONS)
      .filter((f) => /^\d{3}-.+\.sql$/.test(f) && f < '010')
      .sort();
    await sql`create table schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    for (const file of before) {
      await sql.unsafe(readFileSync(join(MIGRATIONS, file), 'utf8'));
      await sql`insert into schema_migrations (name) values (${file})`;
    }
    for (let n = 1; n <= 30; n += 1) {
      const e = entry(n);
      await sql`insert into audit (dedupe_key, at, actor, action, subject, payload)
        values (${e.dedupeKey}, now() - make_interval(days => ${31 - n}), ${e.actor}, ${e.action}, ${e.subject}, ${sql.json(e.payload)})`;
    }
    expect(await migrate(sql)).toContain('010-audit-chain.sql');
    expect(await verifyAuditChain(sql)).toEqual({ rows: 30, broken: null });
    await writeAudit(sql, entry(31));
    expect(await verifyAuditChain(sql)).toEqual({ rows: 31, broken: null });
    const [last] = await sql<
      { id: string; dedupeKey: string }[]
    >`select id::text, dedupe_key from audit order by audit.id desc limit 1`;
    expect(last.dedupeKey).toBe('test:31');
  });
});

describe("the API's user", () => {
  let db: FreshDatabase;
  let api: Sql;
  const role = `t_api_${process.pid}`;
  beforeAll(async () => {
    db = await freshDatabase('audit_rights');
    await db.sql.unsafe(`drop role if exists ${role}`);
    await db.sql.unsafe(`create role ${role} login password 'api-password'`);
    await db.sql.unsafe(`grant audit_writer to ${role}`);
    const u = new URL(db.url);
    u.username = role;
    u.password = 'api-password';
    api = createSql(u.toString(), { max: 1 });
    await writeAudit(db.sql, entry(1));
  });
  afterAll(async () => {
    await api?.end();
    await db?.drop();
    // Its database dropped, the role owns nothing any more and may go.
    const admin = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop role if exists ${role}`);
    await admin.end();
  });

  it('is not a superuser, and the table belongs to audit_owner', async () => {
    const [me] = await api<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = current_user`;
    expect(me.rolsuper).toBe(false);
    const [owner] = await db.sql<
      { owner: string }[]
    >`select tableowner as owner from pg_tables where tablename = 'audit'`;
    expect(owner.owner).toBe('audit_owner');
  });

  it('appends through audit_append and reads the trail', async () => {
    expect(await writeAudit(api, entry(2))).toBe(true);
    expect(await writeAudit(api, { ...entry(2), onDuplicate: 'skip' })).toBe(false);
    expect(await api`select id from audit`).toHaveLength(2);
    expect(await verifyAuditChain(api)).toEqual({ rows: 2, broken: null });
  });

  it.each([
    ['update a row', 'update audit set actor = $$x$$'],
    ['delete a row', 'delete from audit'],
    ['truncate the table', 'truncate audit'],
    [
      'insert a row around the function',
      "insert into audit (dedupe_key, at, actor, action, subject) values ('x', now(), 'x', 'x', 'x')",
    ],
    ['drop the append-only trigger', 'drop trigger audit_no_update on audit'],
    ['drop the chain trigger', 'drop trigger audit_chain on audit'],
    ['disable the triggers', 'alter table audit disable trigger all'],
    [
      'replace the chain function',
      'create or replace function audit_chain() returns trigger language plpgsql as $$ begin return new; end $$',
    ],
    ['drop the table', 'drop table audit'],
    ['take the table', `alter table audit owner to current_user`],
    ['join audit_owner', 'grant audit_owner to current_user'],
  ])('cannot %s', async (_what, statement) => {
    await expect(api.unsafe(statement)).rejects.toThrow(
      /permission denied|must be owner|must have admin option|must be able to SET ROLE/,
    );
    expect(await verifyAuditChain(db.sql)).toEqual({ rows: 2, broken: null });
  });
});

describe('a migrating user that may not create roles', () => {
  const base = inject('databaseUrl');
  const role = `t_mig_${process.pid}`;
  const name = `t_audit_plain_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  let sql: Sql;
  beforeAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`drop role if exists ${role}`);
    await admin.unsafe(`create role ${role} login password 'mig-password'`);
    await admin.unsafe(`create database "${name}" owner ${role}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    u.username = role;
    u.password = 'mig-password';
    sql = createSql(u.toString(), { max: 1 });
  });
  afterAll(async () => {
    await sql?.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`drop role if exists ${role}`);
    await admin.end();
  });

  it('migrates, keeps the table (an operator hands it over later), and still chains', async () => {
    expect(await migrate(sql)).toContain('010-audit-chain.sql');
    const [owner] = await sql<{ owner: string }[]>`select tableowner as owner from pg_tables where tablename = 'audit'`;
    expect(owner.owner).toBe(role);
    for (let n = 1; n <= 3; n += 1) await writeAudit(sql, entry(n));
    expect(await verifyAuditChain(sql)).toEqual({ rows: 3, broken: null });
    // Even its owner cannot edit a row while the append-only trigger stands.
    await expect(sql`update audit set actor = 'x'`).rejects.toThrow(/append-only/);
  });
});
