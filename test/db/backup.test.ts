/**
 * Backup and restore of the development stack's state: the read model dumped after a cycle is
 * opened, the database dropped and recreated, the dump restored, and the API reads the month
 * again; the Temporal server's SQLite file copied while it is stopped, and a server started on
 * the copy knows the month's workflows.
 */
import { Connection } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModel, restoreReadModel } from '../../db/backup';
import { copySqliteFile, recreateDatabase } from '../../scripts/backup';
import { startTemporalDevServer } from '../../scripts/temporal-dev';
import { eventually, freePort, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-07';

describe('backup and restore', () => {
  let s: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'eval-backup-'));
  beforeAll(async () => {
    s = await startStack('backup');
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings back a month of the read model into a recreated database', async () => {
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD })).status).toBe(201);
    const before = await eventually('the month in the read model', async () => {
      const res = await s.call('admin', 'GET', `/v1/cycles/snv/${PERIOD}`);
      return res.status === 200 ? res.body : null;
    });
    const evaluations = (await s.call('admin', 'GET', `/v1/evaluations/${PERIOD}/lan`)).body;
    // The worker stays away while the database is gone and back, as an operator's would.
    await s.stopWorker();
    const manifest = await dumpReadModel(s.sql, join(dir, 'read-model'));
    expect(manifest.tables.find((t) => t.name === 'cycles')?.rows).toBe(1);

    await recreateDatabase(s.databaseUrl);
    const [{ gone }] = await s.sql<{ gone: boolean }[]>`select to_regclass('cycles') is null as gone`;
    expect(gone).toBe(true);

    await restoreReadModel(s.sql, join(dir, 'read-model'));
    expect((await s.call('admin', 'GET', `/v1/cycles/snv/${PERIOD}`)).body).toEqual(before);
    expect((await s.call('admin', 'GET', `/v1/evaluations/${PERIOD}/lan`)).body).toEqual(evaluations);
    const [{ ids }] = await s.sql<{ ids: boolean }[]>`
      select nextval(pg_get_serial_sequence('outbox', 'id')) > coalesce(max(id), 0) as ids from outbox`;
    expect(ids).toBe(true);
  });

  it('refuses to restore over data', async () => {
    await expect(restoreReadModel(s.sql, join(dir, 'read-model'))).rejects.toThrow(/empty database/);
  });

  it('keeps the Temporal server’s workflows in a copy of its file taken while it is stopped', async () => {
    await s.server.stop();
    const copy = join(dir, 'temporal.db');
    copySqliteFile(s.temporalDbFile, copy);
    const server = await startTemporalDevServer({ dbFile: copy, port: await freePort(), uiPort: null, quiet: true });
    try {
      const connection = await Connection.connect({ address: server.address });
      try {
        const { workflowExecutionInfo } = await connection.workflowService.describeWorkflowExecution({
          namespace: 'default',
          execution: { workflowId: `cycle:snv:${PERIOD}` },
        });
        expect(workflowExecutionInfo?.type?.name).toBe('cycleWorkflow');
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }
  });
});
