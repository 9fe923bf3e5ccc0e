/**
 * Faults in the middle of a month, on the real stack (Temporal CLI dev server on a SQLite file,
 * PostgreSQL, the worker and the API in their own processes), driven through the HTTP API with
 * retries under the same Idempotency-Key, as a real client would:
 *   - the worker is SIGKILLed while self-assessments come in, and started again;
 *   - the Temporal dev server is stopped and started again on its SQLite file during the reviews;
 *   - PostgreSQL is stopped for 20 seconds while plans come in;
 *   - the worker crashes while PostgreSQL is stopped: the stack's supervisor starts it again at
 *     once, and it waits for the database instead of exiting (what a CI run once met).
 * After each, the month completes and locks, every accepted submission is in the read model
 * exactly once, and the read model agrees with what the workflows hold.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { benchDirectory } from '../../scripts/bench/directory';
import { apiClient, driveMonth, type Step } from '../../scripts/bench/month';
import { checkSql, startBenchStack, type BenchStack } from '../../scripts/bench/stack';
import { cycleWorkflowId, evaluationWorkflowId, getEvaluation } from '../../contracts/messages';
import { eventually } from '../support/stack';
import { installQuietRuntime } from '../support/temporal';

const directory = benchDirectory(36, 2);
const PEOPLE = directory.people.length;
const UNITS = directory.units.map((u) => u.id);

const serviceLog: string[] = [];
/** This month's supervisor lines (a worker exiting on its own, a restart failing), each with the lines before it. */
const supervisorLog: string[] = [];
/** This month's lines of a worker or API waiting at start for PostgreSQL. */
let databaseWaits = 0;
/** Under the test timeout (300 s), so a stuck month fails with its own message. */
const MONTH_DEADLINE_MS = 270_000;

describe('faults mid-month', () => {
  let stack: BenchStack;
  let sql: ReturnType<typeof checkSql>;

  beforeAll(async () => {
    installQuietRuntime();
    // The services' output is kept (not printed: faults make them noisy on purpose) and shown if a month fails.
    stack = await startBenchStack({
      name: 'faults',
      log: (line) => {
        serviceLog.push(line.slice(0, 500));
        if (serviceLog.length > 200) serviceLog.shift();
        // What the services said just before a worker exited on its own, kept past the ring's turnover.
        if (line.startsWith('[bench stack]')) supervisorLog.push(serviceLog.slice(-40).join('\n'));
        if (line.includes('PostgreSQL is not reachable')) databaseWaits += 1;
      },
    });
    sql = checkSql(stack.databaseUrl);
    await apiClient(stack.api)(stack.adminToken, 'PUT', '/v1/org', directory);
  }, 180_000);
  afterAll(async () => {
    await sql?.end();
    await stack?.stop();
  });

  /** Where the month got to, for the message when it does not finish. */
  let progress = 'not started';

  /**
   * Runs a month with `fault` started once `step` is half done; then closes the complaint window
   * and waits for the lock. Gives up before the test's own timeout, so a stuck month says where it
   * stuck and shows the services' last lines.
   */
  async function monthWith(period: string, step: Step, fault: () => Promise<void>): Promise<void> {
    progress = 'not started';
    supervisorLog.length = 0;
    databaseWaits = 0;
    // Also stops the month's requests when it gives up, so none run on into the stack's teardown.
    const stop = AbortSignal.timeout(MONTH_DEADLINE_MS);
    const deadline = new Promise<never>((_, reject) =>
      stop.addEventListener('abort', () =>
        reject(new Error(`the ${period} month did not finish in ${MONTH_DEADLINE_MS / 1000} s; it got to: ${progress}; worker processes alive: ${stack.workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null).length}`)),
      ),
    );
    try {
      await Promise.race([runMonth(period, step, fault, stop), deadline]);
    } catch (err) {
      if (supervisorLog.length > 0) console.error(`the worker supervisor's reports, each after the lines before it:\n${supervisorLog.join('\n---\n')}`);
      console.error(`last lines of the worker and API:\n${serviceLog.slice(-40).join('\n')}`);
      throw err;
    }
  }

  async function runMonth(period: string, step: Step, fault: () => Promise<void>, signal: AbortSignal): Promise<void> {
    let injected: Promise<void> | undefined;
    await driveMonth({
      api: stack.api,
      adminToken: stack.adminToken,
      directory,
      period,
      concurrency: 8,
      retries: 400,
      signal,
      onProgress: (s, done, total) => {
        progress = `${s} ${done}/${total}${injected ? `, the ${step} fault injected` : ''}`;
        if (s === step && !injected && done >= total / 2) injected = fault();
      },
    });
    expect(injected, `the ${step} fault was injected`).toBeDefined();
    progress = `every step driven; waiting for the ${step} fault to finish`;
    await injected;
    progress = 'the fault is over; waiting for the lock';
    if (stack.unexpectedWorkerExits() > 0) {
      // Survived, but worth knowing why: the worker's last words are in the service log.
      console.warn(`the worker exited on its own ${stack.unexpectedWorkerExits()} time(s) so far and was started again; the supervisor's reports, each after the lines before it:\n${supervisorLog.join('\n---\n')}`);
    }
    // Results are published; an admin closes the complaint window early so the month locks now.
    const call = apiClient(stack.api, signal);
    for (const unitId of UNITS) {
      await call(stack.adminToken, 'PUT', `/v1/cycles/${unitId}/${period}/deadlines`, { complaints: fromMs(Date.now() + 2000) });
    }
    for (let i = 0; i < 300 && !signal.aborted; i++) {
      const rows = await sql`select 1 from cycles where period = ${period} and phase = 'locked'`;
      if (rows.length === UNITS.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await verify(period);
  }

  async function verify(period: string): Promise<void> {
    const locked = await sql`select unit_id from cycles where period = ${period} and phase = 'locked'`;
    expect(locked).toHaveLength(UNITS.length);
    // Each accepted submission exactly once in the audit trail, and on its evaluation row.
    const actions = await sql<{ action: string; n: number }[]>`
      select action, count(*)::int as n from audit
      where subject like ${`eval:${period}:%`} and action in ('evaluation.plan', 'evaluation.self-assessment', 'evaluation.review')
      group by action order by action`;
    expect(actions).toEqual([
      { action: 'evaluation.plan', n: PEOPLE },
      { action: 'evaluation.review', n: PEOPLE - 1 },
      { action: 'evaluation.self-assessment', n: PEOPLE },
    ]);
    const rows = await sql<{ personId: string; plan: unknown; selfScores: unknown; reviewScores: unknown; total: number | null; finalGrade: string | null; status: string }[]>`
      select person_id, plan, self_scores, review_scores, total, final_grade, status from evaluations where period = ${period} order by person_id`;
    expect(rows).toHaveLength(PEOPLE);
    expect(rows.filter((r) => r.plan && r.selfScores && r.finalGrade && r.status === 'decided')).toHaveLength(PEOPLE);
    // The read model agrees with the workflows' own state.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const client = new Client({ connection });
      for (const row of rows) {
        const state = await client.workflow.getHandle(evaluationWorkflowId(period, row.personId)).query(getEvaluation);
        expect({ plan: state.plan, self: state.selfScores, review: state.reviewScores, total: state.total }).toEqual({
          plan: row.plan,
          self: row.selfScores,
          review: row.reviewScores,
          total: row.total === null ? null : Number(row.total),
        });
      }
      for (const unitId of UNITS) {
        const cycle = client.workflow.getHandle(cycleWorkflowId(unitId, period));
        expect((await cycle.describe()).status.name).toBe('COMPLETED');
        // No review woke the cycle: it learned the results from the read model.
        const events = (await cycle.fetchHistory()).events ?? [];
        expect(events.filter((e) => e.childWorkflowExecutionCompletedEventAttributes)).toEqual([]);
      }
      // Every evaluation stayed open after its review and closed with its cycle.
      for (const row of rows) {
        const evaluation = client.workflow.getHandle(evaluationWorkflowId(period, row.personId));
        await eventually(`${row.personId}'s evaluation to close with its cycle`, async () => (await evaluation.describe()).status.name === 'COMPLETED');
      }
    } finally {
      await connection.close();
    }
  }

  it('survives the worker being killed while self-assessments come in', async () => {
    await monthWith('2031-02', 'self-assessment', () => stack.restartWorker('SIGKILL'));
  }, 300_000);

  it('survives a restart of the Temporal dev server on its SQLite file during the reviews', async () => {
    await monthWith('2031-03', 'review', () => stack.restartTemporal());
  }, 300_000);

  it('survives PostgreSQL stopping for 20 seconds while plans come in', async () => {
    await monthWith('2031-04', 'plan', () => stack.pausePostgres(20_000));
  }, 300_000);

  it('survives the worker dying while PostgreSQL is stopped: restarted at once, it waits for the database', async () => {
    const exitsBefore = stack.unexpectedWorkerExits();
    await monthWith('2031-05', 'plan', async () => {
      const outage = stack.pausePostgres(20_000);
      await new Promise((r) => setTimeout(r, 3000));
      // Not restartWorker(): a crash the supervisor must notice, as the one CI met.
      stack.workers[0]!.process.kill('SIGKILL');
      await outage;
    });
    expect(stack.unexpectedWorkerExits() - exitsBefore).toBe(1);
    expect(supervisorLog.join('\n')).toContain('exited on its own (code null, signal SIGKILL)');
    expect(databaseWaits, 'the restarted worker said it was waiting for PostgreSQL').toBeGreaterThan(0);
  }, 300_000);
});
