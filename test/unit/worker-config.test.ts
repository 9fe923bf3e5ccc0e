import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../worker/config';

const base = { DATABASE_URL: 'postgres://u:p@db:5432/evaluations' };

describe('worker configuration', () => {
  it('bounds the workflow cache by default (the measured 10,000-person setting)', () => {
    expect(loadWorkerConfig(base).WORKER_MAX_CACHED_WORKFLOWS).toBe(600);
  });

  it('takes the cache size from the environment, an empty value meaning unset', () => {
    expect(loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '1500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(1500);
    expect(loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(600);
  });

  it('names a bad value and a missing database', () => {
    expect(() => loadWorkerConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => loadWorkerConfig({})).toThrow(/DATABASE_URL/);
  });
});
