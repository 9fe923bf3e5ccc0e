/**
 * Drives one whole month through the HTTP API, as the people of a unit would: cycles opened,
 * plans, self-assessments, reviews, the head's list and the deputies' approvals, publication.
 * Every write carries an Idempotency-Key and is retried on failure, so a fault in the middle
 * (a killed worker, a restarted server) delays a submission but never doubles or loses it.
 * Used by `npm run bench` and by the fault tests.
 */
import { createShuffle } from 'fast-shuffle';
import { collectiveOf, headOf, reviewerOf } from '../../domain/scope';
import { fromMs } from '../../domain/calendar';
import type { Directory } from '../../domain/types';
import { runPool, type PoolResult } from './pool';
import type { CpuMeter } from './cpu';
import { figures, type StepFigures } from './stats';

export type Step =
  | 'tokens'
  | 'open'
  | 'plan'
  | 'self-assessment opens'
  | 'self-assessment'
  | 'review'
  | 'deliberation'
  | 'approval'
  | 'publication';
export const SUBMISSION_STEPS: Step[] = ['plan', 'self-assessment', 'review'];
const STEP_SEEDS: Record<Step, number> = {
  tokens: 1,
  open: 2,
  plan: 3,
  'self-assessment opens': 9,
  'self-assessment': 4,
  review: 5,
  deliberation: 6,
  approval: 7,
  publication: 8,
};
/** How long one person's self-assessment may take to open once the plan deadline has passed. */
const OPENS_WITHIN_MS = 30 * 60_000;

export interface MonthOptions {
  api: string;
  adminToken: string;
  directory: Directory;
  period: string;
  concurrency: number;
  /** Called as each request of a step finishes, for a progress bar or to inject a fault mid-step. */
  onProgress?: (step: Step, done: number, total: number) => void;
  /** Attempts per request beyond the first (default 60, half a second apart). */
  retries?: number;
  /** Stops the month: requests in flight are abandoned and nothing is retried. */
  signal?: AbortSignal;
  /** Told of every attempt of every request as it ends, failed ones included (what a fault test checks the engine against). */
  onRequest?: (attempt: RequestAttempt) => void;
  /** Told as each step starts and ends (with its request count), to measure what the step costs. */
  meter?: Pick<CpuMeter, 'begin' | 'end'>;
  /**
   * People file each step in an order of their own (seeded, so a run can be repeated); `false`
   * keeps directory order in every step, the worst case for the worker's least-recently-used
   * cache (docs/benchmarks.md). Default true.
   */
  shuffle?: boolean;
  /** Stop once every review is in, leaving each unit's deliberation open (the pages' benchmark). */
  untilReviews?: boolean;
}

export interface MonthResult {
  steps: StepFigures[];
  wallSeconds: number;
  tokens: Record<string, string>;
}

/** One attempt of one request, as the client saw it. */
export interface RequestAttempt {
  /** The bearer token it was sent with (who sent it). */
  token: string;
  method: string;
  path: string;
  body: unknown;
  key: string | undefined;
  /** Epoch milliseconds when the attempt was sent and when its answer (or failure) came. */
  startedAt: number;
  endedAt: number;
  /** The HTTP status; absent when no answer came (a refused or dropped connection). */
  status?: number;
  /** Why it failed: an HTTP error's start, or the network error; absent on success. */
  error?: string;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * A client for the API. A request left hanging (a connection lost mid-fault) needs no timer of
 * ours: Node's fetch gives up on headers or body after 300 s, and the retry runs under its key.
 * `stop` abandons every request in flight.
 */
export function apiClient(base: string, stop?: AbortSignal, observe?: (attempt: RequestAttempt) => void) {
  return async function call<T = unknown>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<T> {
    const startedAt = Date.now();
    const seen = (outcome: { status?: number; error?: string }) =>
      observe?.({ token, method, path, body, key, startedAt, endedAt: Date.now(), ...outcome });
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        signal: stop,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await res.text();
    } catch (err) {
      seen({ error: String((err as { cause?: unknown }).cause ?? err) });
      throw err;
    }
    if (!res.ok) {
      const failure = new HttpFailure(res.status, text);
      seen({ status: res.status, error: failure.message });
      throw failure;
    }
    seen({ status: res.status });
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** Deterministic scores in the B/C bands, so no list trips the A quota or a leader's cap. */
const scoresFor = (i: number) => ({ discipline: 15 + (i % 5), tasks: 45 + ((i * 7) % 18), bonus: i % 4 });

export async function driveMonth(opts: MonthOptions): Promise<MonthResult> {
  const call = apiClient(opts.api, opts.signal, opts.onRequest);
  const { directory: dir, period } = opts;
  const retries = opts.retries ?? 60;
  const steps: StepFigures[] = [];
  const started = performance.now();
  // One seed per step: each step's order differs from the last, as people's do.
  const orderOf = <T>(step: Step, items: T[]): T[] =>
    opts.shuffle === false ? items : createShuffle(STEP_SEEDS[step], items);
  const run = async <T>(step: Step, items: T[], task: (item: T) => Promise<void>): Promise<PoolResult> => {
    opts.meter?.begin(step);
    const result = await runPool(orderOf(step, items), opts.concurrency, task, {
      retries,
      retryDelayMs: 500,
      signal: opts.signal,
      onDone: (done) => opts.onProgress?.(step, done, items.length),
    });
    opts.meter?.end(step, items.length);
    steps.push(figures(step, result.latenciesMs, result.failed, result.seconds));
    if (result.failed > 0) throw new Error(`${result.failed} ${step} request(s) failed: ${result.errors.join(' | ')}`);
    return result;
  };
  const admin = opts.adminToken;
  const units = dir.units.map((u) => u.id);
  const people = dir.people.map((p) => p.id);

  const tokens: Record<string, string> = {};
  await run('tokens', people, async (id) => {
    const res = await call<{ token: string }>(admin, 'POST', '/v1/tokens', { personId: id, roles: [], label: 'bench' });
    tokens[id] = res.token;
  });

  const now = Date.now();
  const DAY = 86_400_000;
  const deadlines = {
    plan: fromMs(now + 3 * 3_600_000),
    selfAssessment: fromMs(now + 2 * DAY),
    review: fromMs(now + 3 * DAY),
    deliberation: fromMs(now + 4 * DAY),
  };
  await run('open', units, async (unitId) => {
    await call(admin, 'POST', '/v1/cycles', { unitId, period, deadlines }, `bench-open-${period}-${unitId}`);
  });

  const tasks = [{ title: 'Triển khai kế hoạch công tác tháng', target: 'Hoàn thành 100%' }];
  await run('plan', people, async (id) => {
    await call(tokens[id], 'PUT', `/v1/evaluations/${period}/${id}/plan`, { tasks }, `bench-plan-${period}-${id}`);
  });

  // Everyone has filed: bring the plan deadline forward so the self-assessment opens now.
  // A few seconds ahead, because the cycle checks the new deadline is still in the future when it
  // validates; a busy worker (a cycle replayed after cache eviction) can take longer, so a refusal
  // for a deadline already past is retried with a fresh one.
  // Each override signals every evaluation of the unit, so at city scale it queues behind many
  // workflow tasks: a call that times out is sent again (with the same key, a no-op if it landed).
  await runPool(units, Math.min(opts.concurrency, 8), async (unitId) => {
    // Every attempt is a new command with a fresh deadline and its own key: a stored answer to an
    // earlier attempt (a refusal, a timeout) is never replayed, and a late success is harmless.
    for (let attempt = 0; ; attempt++) {
      try {
        await call(
          admin,
          'PUT',
          `/v1/cycles/${unitId}/${period}/deadlines`,
          { plan: fromMs(Date.now() + 15_000) },
          `bench-plan-end-${period}-${unitId}-${attempt}`,
        );
        return;
      } catch (err) {
        if (attempt >= retries || opts.signal?.aborted) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  });

  // The plan deadline passing wakes every evaluation to open its self-assessment (here twice: the
  // override's signal, then the deadline's timer). People file once the step shows in their task
  // list, so this step waits for that and the next one measures filing, not the deadline's wake-up
  // (docs/benchmarks.md; the month's wall time counts both).
  const opensBy = Date.now() + OPENS_WITHIN_MS;
  await run('self-assessment opens', people, async (id) => {
    for (;;) {
      const tasks = await call<{ kind: string; link: string }[]>(tokens[id], 'GET', '/v1/me/tasks');
      if (tasks.some((t) => t.kind === 'self-assessment' && t.link.endsWith(`/${period}/${id}`))) return;
      if (Date.now() > opensBy)
        throw new Error(
          `the self-assessment of ${id} did not open within ${OPENS_WITHIN_MS / 60_000} minutes of the plan deadline`,
        );
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  const index = new Map(people.map((id, i) => [id, i] as const));
  await run('self-assessment', people, async (id) => {
    await call(
      tokens[id],
      'PUT',
      `/v1/evaluations/${period}/${id}/self-assessment`,
      { scores: scoresFor(index.get(id)!) },
      `bench-self-${period}-${id}`,
    );
  });

  const reviews = people
    .map((id) => ({ id, reviewer: reviewerOf(dir, id) }))
    .filter((r): r is { id: string; reviewer: string } => r.reviewer !== null);
  await run('review', reviews, async ({ id, reviewer }) => {
    await call(
      tokens[reviewer],
      'PUT',
      `/v1/evaluations/${period}/${id}/review`,
      { scores: scoresFor(index.get(id)! + 1) },
      `bench-review-${period}-${id}`,
    );
  });

  if (opts.untilReviews) return { steps, wallSeconds: (performance.now() - started) / 1000, tokens };

  interface CycleView {
    phase: string;
    members: { personId: string; proposedGrade: string | null }[];
  }
  await run('deliberation', units, async (unitId) => {
    const head = headOf(dir, unitId)!.id;
    let cycle = await call<CycleView>(tokens[head], 'GET', `/v1/cycles/${unitId}/${period}`);
    for (let i = 0; cycle.phase === 'open' && i < 600; i++) {
      await new Promise((r) => setTimeout(r, 200));
      cycle = await call<CycleView>(tokens[head], 'GET', `/v1/cycles/${unitId}/${period}`);
    }
    const decisions = cycle.members.map((m) => ({ personId: m.personId, grade: m.proposedGrade }));
    await call(
      tokens[head],
      'PUT',
      `/v1/cycles/${unitId}/${period}/deliberation`,
      { decisions },
      `bench-list-${period}-${unitId}`,
    );
  });

  const approvals = units.flatMap((unitId) =>
    collectiveOf(dir, unitId)
      .slice(1)
      .map((member) => ({ unitId, member })),
  );
  await run('approval', approvals, async ({ unitId, member }) => {
    await call(
      tokens[member],
      'POST',
      `/v1/cycles/${unitId}/${period}/deliberation/approvals`,
      {},
      `bench-approve-${period}-${unitId}-${member}`,
    );
  });

  await run('publication', units, async (unitId) => {
    const head = headOf(dir, unitId)!.id;
    for (let i = 0; i < 600; i++) {
      const cycle = await call<CycleView>(tokens[head], 'GET', `/v1/cycles/${unitId}/${period}`);
      if (cycle.phase === 'published') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${unitId} was not published`);
  });

  return { steps, wallSeconds: (performance.now() - started) / 1000, tokens };
}
