/**
 * Runs tasks at a fixed concurrency, timing each; a task that fails is retried with the same
 * input (so an Idempotency-Key makes the retry safe) until `retries` run out or `signal` aborts.
 */
export interface PoolResult {
  latenciesMs: number[];
  failed: number;
  seconds: number;
  errors: string[];
}

export async function runPool<T>(
  items: T[],
  concurrency: number,
  task: (item: T, attempt: number) => Promise<void>,
  opts: { retries?: number; retryDelayMs?: number; onDone?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<PoolResult> {
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < items.length && !opts.signal?.aborted) {
      const item = items[next++];
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        try {
          await task(item, attempt);
          latenciesMs.push(performance.now() - t0);
          break;
        } catch (err) {
          if (attempt >= (opts.retries ?? 0) || opts.signal?.aborted) {
            failed += 1;
            if (errors.length < 5) errors.push(String(err));
            break;
          }
          await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 500));
        }
      }
      opts.onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { latenciesMs, failed, seconds: (performance.now() - started) / 1000, errors };
}
