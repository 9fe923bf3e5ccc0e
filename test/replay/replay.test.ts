/**
 * Replays every recorded history in test/replay/histories against the current workflow code, so
 * a change that would break running workflows (a non-determinism) fails CI. The histories come
 * from test/workflows/month.test.ts and cases.test.ts run with RECORD_HISTORIES=1; `v1/` keeps
 * those of the first release, with two read-model writes where a command also changes the phase;
 * `v2/` the month recorded after `read-model-one-write-per-activation`; `v3/` the month recorded
 * after `evaluation-phase-in-read-model-only`; the month's histories at the top level were recorded
 * after `cycle-learns-reviews-from-read-model` (evaluations that stay open after their review,
 * signal the cycle when last, and close when asked).
 * The replacement's history had the update ID of its ballot's close recorded as `an:ballot-close:…`,
 * naming the voter who tipped the ballot; it now reads `ballot-close:…` as the API sends it (the
 * ID is matched between the update's events only, so replay is unchanged).
 * The rotation, the re-routed evaluations and their transfer, the chair's tie, the casting vote,
 * the monthly opener with its proposal scan (`monthly-proposal-scan`, now deprecated), a replacement's vote
 * extended late on its `vote-extension-cap` branch and the bench floor at the top level
 * come from test/replay/record-histories.ts (`npx vitest run --config test/replay/record.config.ts`);
 * the re-routed evaluations are still open when recorded, so their replay covers the history so far.
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
import { WORKFLOWS_PATH, workflowBundlerOptions, workflowInterceptorModules } from '../../worker/bundle';
import * as registered from '../../workflows/index';

const DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const WORKFLOWS_DIR = fileURLToPath(new URL('../../workflows/', import.meta.url));

// Subfolders keep histories recorded with earlier released workflow code, which must still replay.
const recorded = (readdirSync(DIR, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    workflowId: basename(file, '.json').replaceAll('__', ':'),
    history: historyFromJson(readFileSync(join(DIR, file), 'utf8')),
  }));

/** The payload converter's JSON, as a history stores a marker's details. */
const decodeJson = (p: { data?: Uint8Array | null } | undefined | null): any =>
  JSON.parse(Buffer.from(p?.data ?? []).toString('utf8'));

/**
 * What the workflow source says must be replayable, read from its text: the workflow functions
 * (exported and named `…Workflow`, or re-exported by the bundle's entry) and the IDs given to
 * `patched` / `deprecatePatch`, each with the file it is in. A call whose ID is not a literal is
 * reported apart, since no history can be checked against it.
 */
function sourceInventory() {
  const types = new Map<string, string>();
  const patches = new Map<string, string>();
  const unreadable: string[] = [];
  // Subfolders too: a workflow split into a folder (workflows/evaluation/) keeps its patches there.
  for (const file of (readdirSync(WORKFLOWS_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    // Comments mention `patched(…)` in prose; only code counts.
    const code = readFileSync(join(WORKFLOWS_DIR, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');
    const where = `workflows/${file}`;
    for (const m of code.matchAll(/^export\s+(?:async\s+)?function\s*\*?\s*(\w+)|^export\s+const\s+(\w+)\s*=/gm)) {
      const name = m[1] ?? m[2];
      if (name.endsWith('Workflow')) types.set(name, where);
    }
    for (const m of code.matchAll(/^export\s*\{([^}]*)\}\s*from/gm)) {
      for (const part of m[1].split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)
          .pop();
        if (name && !types.has(name)) types.set(name, where);
      }
    }
    for (const m of code.matchAll(/\b(?:patched|deprecatePatch)\s*\(\s*([^)]*)\)/g)) {
      const literal = /^(['"`])([^'"`]+)\1$/.exec(m[1].trim());
      if (literal) patches.set(literal[2], where);
      else unreadable.push(`${where}: ${m[0]}`);
    }
  }
  return { types, patches, unreadable };
}

/** The patch IDs a history's `core_patch` markers carry (the patched side of each `patched` call it made). */
function patchesIn(history: (typeof recorded)[number]['history']): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return (marker.details?.['patch-data']?.payloads ?? []).map((p) => String(decodeJson(p).id));
  });
}

describe('replay of recorded histories', () => {
  it('has a history of every workflow type and of the patched side of every patch in workflows/', () => {
    const { types, patches, unreadable } = sourceInventory();
    expect(unreadable, 'patch IDs must be string literals for this check to see them').toEqual([]);
    // The parse must see what the worker registers, or a type it misses would go unchecked.
    expect([...types.keys()].sort()).toEqual(Object.keys(registered).sort());
    // The patches docs/patches.md lists: a patch added or retired changes both.
    expect([...patches.keys()].sort()).toEqual([
      'cycle-learns-reviews-from-read-model',
      'evaluation-phase-in-read-model-only',
      'monthly-proposal-scan',
      'read-model-one-write-per-activation',
      'reroute-on-move',
      'vote-extension-cap',
    ]);

    const typesRecorded = new Set(
      recorded.map((r) => r.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name),
    );
    const patchesRecorded = new Set(recorded.flatMap((r) => patchesIn(r.history)));
    const missing = [
      ...[...types]
        .filter(([name]) => !typesRecorded.has(name))
        .map(([name, file]) => `workflow type ${name} (${file}) has no history`),
      ...[...patches]
        .filter(([id]) => !patchesRecorded.has(id))
        .map(([id, file]) => `patch '${id}' (${file}) has no history taking its patched branch`),
    ];
    expect(missing, `record them with test/replay/record-histories.ts:\n  ${missing.join('\n  ')}`).toEqual([]);
  });

  it('has the histories of test/replay/histories to replay, each read', () => {
    const ids = recorded.map((r) => r.workflowId);
    const count = (prefix: string) => ids.filter((id) => id.startsWith(prefix)).length;
    // A month (a cycle and three evaluations) at the top level and in each of v1/, v2/ and v3/, the two
    // re-routed evaluations, the monthly opener (its branch before the proposal scan retired with the
    // patch's deprecation), and the cases of cases.test.ts and record-histories.ts.
    expect({
      cycle: count('cycle:'),
      eval: count('eval:'),
      opener: count('monthly-opener-'),
      case: count('case:'),
      all: ids.length,
    }).toEqual({ cycle: 4, eval: 14, opener: 1, case: 7, all: 26 });
  });

  it('keeps no recorded history that names the voter who closed a secret ballot', () => {
    const closes = recorded
      .filter((r) => r.workflowId.startsWith('case:'))
      .flatMap(({ history }) => {
        const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
        const collective: string[] = decodeJson(started?.input?.payloads?.[0]).parties.collective;
        return (history.events ?? [])
          .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
          .filter(
            (req) =>
              req?.input?.name === 'closeBallot' && decodeJson(req.input.args?.payloads?.[0]).actor.id === 'ballot-box',
          )
          .map((req) => ({ updateId: req!.meta!.updateId!, collective }));
      });
    // The two replacements whose ballot closed when the last member voted (the third was split and went to the chair).
    expect(closes.length).toBe(2);
    for (const { updateId, collective } of closes)
      expect(
        updateId.split(':').filter((part) => collective.includes(part)),
        updateId,
      ).toEqual([]);
  });

  it('replays every history with the current workflow code', async () => {
    installQuietRuntime();
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: WORKFLOWS_PATH,
        bundlerOptions: workflowBundlerOptions(),
        // With the interceptors production runs: they must not change a single command.
        interceptors: { workflowModules: workflowInterceptorModules() },
      },
      recorded,
    )) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(recorded.length);
  });
});
