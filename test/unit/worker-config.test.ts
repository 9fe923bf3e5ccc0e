import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMaxCachedWorkflows, loadWorkerConfig, WORKER_HEAP_MB, WORKER_MALLOC_ARENAS } from '../../worker/config';

const base = { DATABASE_URL: 'postgres://u:p@db:5432/evaluations' };

describe('worker configuration', () => {
  it('leaves the cache size to the heap limit unless it is set, an empty value meaning unset', () => {
    expect(loadWorkerConfig(base).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '' }).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '1500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(1500);
  });

  it.each([
    [200, 100],
    [256, 100],
    [432, 1668],
    [560, 2882],
    [1024, 7281],
    [4144, 36864],
  ])(
    'caches, in a heap of %i MiB, %i workflows (108 KiB each beside a 256 MiB reserve, at least 100)',
    (heap, cached) => {
      expect(defaultMaxCachedWorkflows(heap)).toBe(cached);
    },
  );

  it('starts `npm run worker` with the heap limit the cache is sized for', () => {
    const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.worker).toContain(`--max-old-space-size=${WORKER_HEAP_MB}`);
  });

  it('starts `npm run worker` with few malloc arenas unless the environment sets them', () => {
    const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.worker).toMatch(
      new RegExp(`^MALLOC_ARENA_MAX=\\$\\{MALLOC_ARENA_MAX:-${WORKER_MALLOC_ARENAS}\\} node `),
    );
  });

  it('refuses a workflow bundle that does not exist, naming the command that writes it', () => {
    expect(() => loadWorkerConfig({ ...base, WORKFLOW_BUNDLE: '/nonexistent/bundle.js' })).toThrow(
      /WORKFLOW_BUNDLE: no such file; write it with `npm run bundle:workflows`/,
    );
  });

  it('keeps workflow stack traces off unless asked, and names a bad switch', () => {
    expect(loadWorkerConfig(base).WORKER_STACK_TRACES).toBe('off');
    expect(loadWorkerConfig({ ...base, WORKER_STACK_TRACES: 'on' }).WORKER_STACK_TRACES).toBe('on');
    expect(() => loadWorkerConfig({ ...base, WORKER_STACK_TRACES: 'yes' })).toThrow(/WORKER_STACK_TRACES/);
  });

  it('names a bad value and a missing database', () => {
    expect(() => loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS/,
    );
    expect(() => loadWorkerConfig({})).toThrow(/DATABASE_URL/);
  });
});
