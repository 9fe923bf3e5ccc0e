/**
 * postgres.js 3.4.9 writes a query's bytes on a timer; when the connection closed meanwhile (the
 * database restarted, a backend was terminated), that write threw from the timer and took the
 * whole process down (porsager/postgres#1208; it killed our worker mid-month while PostgreSQL was
 * stopped). patches/postgres+3.4.9.patch fails those queries with CONNECTION_CLOSED instead.
 * A child process runs the reproduction, so a crash shows as its exit code, not as this run's.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/tools';

const REPRODUCTION = `
import postgres from 'postgres';
const url = process.argv[1];
const sql = postgres(url, { max: 2, onnotice: () => {} });
const killer = postgres(url, { max: 1 });
const code = (q) => q.then(() => 'ok', (e) => e.code);
const reserved = await sql.reserve();
const [{ pid }] = await reserved\`select pg_backend_pid() as pid\`;
await killer\`select pg_terminate_backend(\${pid})\`;
await new Promise((r) => setTimeout(r, 300));
console.log('reserved ' + (await code(reserved\`select 1\`)) + ' ' + (await code(reserved\`select 2\`)));
reserved.release();
const inTx = await sql.begin(async (tx) => {
  const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
  await killer\`select pg_terminate_backend(\${pid})\`;
  await new Promise((r) => setTimeout(r, 300));
  return code(tx\`select 3\`);
}).catch((e) => 'begin ' + e.code);
console.log('transaction ' + inTx);
const [{ n }] = await sql\`select 4 as n\`;
console.log('afterwards ' + n);
process.exit(0);
`;

describe('a query on a connection that closed under it', () => {
  it('fails with CONNECTION_CLOSED, and the pool goes on serving, instead of crashing the process', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', REPRODUCTION, inject('databaseUrl')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).not.toMatch(/TypeError/);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['reserved CONNECTION_CLOSED CONNECTION_CLOSED', 'transaction begin CONNECTION_CLOSED', 'afterwards 4']);
  });
});
