/**
 * Replays every recorded history in test/replay/histories against the current workflow code, so
 * a change that would break running workflows (a non-determinism) fails CI. The histories come
 * from test/workflows/month.test.ts and cases.test.ts run with RECORD_HISTORIES=1; `v1/` keeps
 * those of the first release (and a monthly opener run recorded before its proposal scan was
 * added behind `patched`), with two read-model writes where a command also changes the phase;
 * `v2/` the month recorded after `read-model-one-write-per-activation`; `v3/` the month recorded
 * after `evaluation-phase-in-read-model-only`; the month's histories at the top level were recorded
 * after `cycle-learns-reviews-from-read-model` (evaluations that stay open after their review,
 * signal the cycle when last, and close when asked).
 * The replacement's history had the update ID of its ballot's close recorded as `an:ballot-close:…`,
 * naming the voter who tipped the ballot; it now reads `ballot-close:…` as the API sends it (the
 * ID is matched between the update's events only, so replay is unchanged).
 * A file is named after its workflow ID with ':' written as '__' (workflow code reads its ID, so
 * replay must use the real one).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { historyFromJson } from '../support/histories';
import { installQuietRuntime } from '../support/temporal';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../../worker/bundle';

const DIR = fileURLToPath(new URL('./histories/', import.meta.url));

// Subfolders keep histories recorded with earlier released workflow code, which must still replay.
const recorded = (readdirSync(DIR, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    workflowId: basename(file, '.json').replaceAll('__', ':'),
    history: historyFromJson(readFileSync(join(DIR, file), 'utf8')),
  }));

describe('replay of recorded histories', () => {
  it('has histories to replay (a cycle, two evaluations, a monthly opener, cases)', () => {
    const ids = recorded.map((r) => r.workflowId);
    expect(ids.filter((id) => id.startsWith('cycle:')).length).toBeGreaterThanOrEqual(1);
    expect(ids.filter((id) => id.startsWith('eval:')).length).toBeGreaterThanOrEqual(2);
    expect(ids.filter((id) => id.startsWith('monthly-opener')).length).toBeGreaterThanOrEqual(1);
    expect(ids.filter((id) => id.startsWith('case:')).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps no recorded history that names the voter who closed a secret ballot', () => {
    const decode = (p: { data?: Uint8Array | null } | undefined | null): any => JSON.parse(Buffer.from(p?.data ?? []).toString('utf8'));
    const closes = recorded.filter((r) => r.workflowId.startsWith('case:')).flatMap(({ history }) => {
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      const collective: string[] = decode(started?.input?.payloads?.[0]).parties.collective;
      return (history.events ?? [])
        .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
        .filter((req) => req?.input?.name === 'closeBallot' && decode(req.input.args?.payloads?.[0]).actor.id === 'ballot-box')
        .map((req) => ({ updateId: req!.meta!.updateId!, collective }));
    });
    expect(closes.length).toBeGreaterThanOrEqual(1);
    for (const { updateId, collective } of closes) expect(updateId.split(':').filter((part) => collective.includes(part)), updateId).toEqual([]);
  });

  it('replays every history with the current workflow code', async () => {
    installQuietRuntime();
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions() }, recorded)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(recorded.length);
  });
});
