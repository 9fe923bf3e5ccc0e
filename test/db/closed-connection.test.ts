/**
 * postgres.js 3.4.9 writes a query's bytes on a timer; when the connection closed meanwhile (the
 * database restarted, a backend was terminated), that write threw from the timer and took the
 * whole process down (porsager/postgres#1208; it killed our worker mid-month while PostgreSQL was
 * stopped: a transaction's ROLLBACK after its connection closed). patches/postgres+3.4.9.patch
 * fails those queries with CONNECTION_CLOSED and hands the connection back to the pool to
 * reconnect. A child process runs each reproduction, so a crash shows as its exit code, not as
 * this run's; each has a pool of one connection, so a query afterwards proves the pool recovered.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/tools';

const PRELUDE = `
import postgres from 'postgres';
const url = process.argv[1];
const sql = postgres(url, { max: 1, onnotice: () => {} });
const killer = postgres(url, { max: 1 });
const code = (q) => q.then(() => 'ok', (e) => e.code);
const terminate = async (pid) => {
  await killer\`select pg_terminate_backend(\${pid})\`;
  await new Promise((r) => setTimeout(r, 300));
};
`;

function run(script: string): { status: number | null; stderr: string; lines: string[] } {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PRELUDE + script, inject('databaseUrl')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: child.status, stderr: child.stderr, lines: child.stdout.trim().split('\n') };
}

describe('a query on a connection that closed under it', () => {
  it('inside a transaction: the next statement and the transaction fail with CONNECTION_CLOSED, and the pool reconnects', () => {
    const result = run(`
      // begin() rejects as soon as its connection closes; the callback's next statement still runs.
      let inside;
      const insideDone = new Promise((r) => (inside = r));
      const outcome = await sql.begin(async (tx) => {
        const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
        await terminate(pid);
        inside(await code(tx\`select 3\`));
        return 'committed';
      }).catch((e) => e.code);
      console.log('inside ' + (await insideDone));
      console.log('transaction ' + outcome);
      const [{ n }] = await sql\`select 4 as n\`;
      console.log('afterwards ' + n);
      process.exit(0);
    `);
    expect(result.stderr).not.toMatch(/TypeError/);
    expect(result.status).toBe(0);
    expect(result.lines).toEqual(['inside CONNECTION_CLOSED', 'transaction CONNECTION_CLOSED', 'afterwards 4']);
  });

  it('on a reserved connection: each later query fails with CONNECTION_CLOSED instead of crashing', () => {
    const result = run(`
      const reserved = await sql.reserve();
      const [{ pid }] = await reserved\`select pg_backend_pid() as pid\`;
      await terminate(pid);
      console.log('first ' + (await code(reserved\`select 1\`)));
      console.log('second ' + (await code(reserved\`select 2\`)));
      process.exit(0);
    `);
    expect(result.stderr).not.toMatch(/TypeError/);
    expect(result.status).toBe(0);
    expect(result.lines).toEqual(['first CONNECTION_CLOSED', 'second CONNECTION_CLOSED']);
  });
});
