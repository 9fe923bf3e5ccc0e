/**
 * The full month of unit `hn` for the month after today on the time-skipping test server and a real Postgres:
 * plans (one missed), self-assessments (one missed, extended, filed late), reviews (one missed and
 * climbing two levels to HR, who takes it over), reminders at their instants, the collective's
 * deliberation (refused for quota, then for a cap, put after its deadline had escalated to HR, then
 * decided by majority with recusal), publication, a complaint resolved with a changed grade, and
 * the lock when the complaint window closes.
 *
 * One month, one scenario: each test below is the next step of it, in order, sharing its state,
 * and names what it checks of the month. A step after a failed one fails at once, naming the step
 * the month stopped at. Time only moves in `sleepUntil`; every update is sent in real time between two sleeps.
 * With RECORD_HISTORIES=1 a month whose every step passed also writes the histories that
 * test/replay replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJson } from '../support/histories';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';
import { verifyAuditChain } from '../../db/audit';
import type { Sql } from '../../db/sql';
import {
  addWorkingDays,
  atLocal,
  defaultDeadlines,
  fromMs,
  localDate,
  nextPeriod,
  nthWorkingDay,
  prevPeriod,
  reminderTimes,
  reviewFloorAfterExtension,
  selfAssessmentOpensAt,
  toMs,
  workingDaysAfter,
} from '../../domain/calendar';
import { DEFAULT_RULES } from '../../domain/config';
import type { Scores } from '../../domain/types';
import { createActivities } from '../../activities';
import { cycleWorkflow } from '../../workflows/cycle';
import {
  approveDeliberation,
  cycleWorkflowId,
  decideEscalation,
  evaluationWorkflowId,
  fileComplaint,
  getCycle,
  openCycle,
  putDeliberation,
  resolveComplaint,
  submitPlan,
  submitReview,
  submitSelfAssessment,
  TASK_QUEUE,
  type Actor,
  type DecisionLine,
} from '../../contracts/messages';

const MEMBERS = ['an', 'binh', 'cuong', 'dung', 'em', 'khanh'];
const HR: Actor = { id: 'thu', roles: ['hr'] };
const HISTORIES_DIR = fileURLToPath(new URL('../replay/histories/', import.meta.url));
const R = DEFAULT_RULES;
// The demo directory adds no holidays to the fixed ones, so the workflows count with these.
const HOLIDAYS: string[] = [];
/** The deadline on working day `n` of `period`. */
const nthWorkingDayAt = (period: string, n: number) => atLocal(nthWorkingDay(period, n, HOLIDAYS), R.deadlineHour);

/**
 * Every instant of the scenario for `period`, from the rules and the working-day calendar: the
 * default deadlines, their reminders, and the deadlines the scenario's misses and decisions lead to.
 */
function timeline(period: string) {
  const d = defaultDeadlines(period, HOLIDAYS, R);
  const after = (iso: string, n: number) => workingDaysAfter(iso, n, HOLIDAYS, R);
  const later = (a: string, b: string) => (toMs(a) >= toMs(b) ? a : b);
  // khanh's self-assessment is extended to the working day after the review deadline, within the limit.
  const khanhExtended = after(d.review, 1);
  // cuong's missed review climbs once, and HR reviews it when it reaches them: the last review comes in then,
  // and the deliberation that opens gives the head at least the climb's working days.
  const reviewLevel1Due = after(d.review, R.escalationClimbWorkingDays);
  const reviewLevel2Due = after(reviewLevel1Due, R.escalationClimbWorkingDays);
  const deliberationDue = later(d.deliberation, after(reviewLevel1Due, R.escalationClimbWorkingDays));
  return {
    deadlines: d,
    planReminders: reminderTimes(d.plan, HOLIDAYS, R),
    selfOpens: selfAssessmentOpensAt(d.selfAssessment, HOLIDAYS, R),
    selfReminders: reminderTimes(d.selfAssessment, HOLIDAYS, R),
    reviewReminders: reminderTimes(d.review, HOLIDAYS, R),
    khanhExtended,
    khanhExtendedReminders: reminderTimes(khanhExtended, HOLIDAYS, R),
    khanhReviewDue: later(d.review, reviewFloorAfterExtension(khanhExtended, HOLIDAYS, R)),
    // One working day past the longest extension counted from the missed deadline.
    tooLongExtension: after(d.selfAssessment, R.maxExtensionWorkingDays + 1),
    reviewLevel1Due,
    reviewLevel2Due,
    deliberationDue,
    deliberationReminders: reminderTimes(deliberationDue, HOLIDAYS, R),
    deliberationEscalationDue: after(deliberationDue, R.escalationClimbWorkingDays),
    // The list is decided just after the deliberation deadline, so the window counts from that day.
    windowEndsAt: after(deliberationDue, R.complaintWindowWorkingDays),
  };
}

// The month after the test server's "now" (it starts at the real time and only skips forward), set in beforeAll.
let P: string;
let T: ReturnType<typeof timeline>;
let CYCLE_ID: string;
let dungEval: string;
let khanhEval: string;
let cuongEval: string;

const MINUTE = 60_000;
const me = (id: string): Actor => ({ id, roles: [] });
const scores = (discipline: number, tasks: number, bonus: number): Scores => ({ discipline, tasks, bonus });
/** The outbox key of a reminder of `step` (due at `deadline`) sent at `at`. */
const reminderKey = (workflowId: string, step: string, deadline: string, at: string) =>
  `${workflowId}:reminder:${step}:${deadline}:${at}`;

/* ---- the month's state and helpers, shared by its steps in order ---- */

let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let sql: Sql;
let cycle: WorkflowHandle<typeof cycleWorkflow>;

// ---- the scenario's state, carried from step to step ----
let reviewReminder1: string;
let reviewReminder2: string;
let delibEsc: Awaited<ReturnType<typeof escalationsOf>>[number];
let windowEndsAt: string;
const line = (personId: string, grade: DecisionLine['grade'], rationale?: string): DecisionLine => ({
  personId,
  grade,
  ...(rationale ? { rationale } : {}),
});
const head = me('an');
const finalList = [
  line('an', 'A'),
  line('binh', 'B'),
  line('cuong', 'B', 'Trễ hạn nhận xét, cân đối tỷ lệ'),
  line('dung', 'C'),
  line('em', 'C', 'Bị kỷ luật khiển trách'),
  line('khanh', 'B', 'Nộp tự đánh giá trễ'),
];

/** The step that failed; each later step refuses to run on a month that did not get to it. */
let failedAt: string | undefined;
/** True once the last step passed: only a whole month's histories are recorded. */
let monthDone = false;
/** One step of the month, run only when every step before it passed. */
function step(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    if (failedAt !== undefined) throw new Error(`not run: the month stopped at the step "${failedAt}"`);
    try {
      await fn();
    } catch (err) {
      failedAt = name;
      throw err;
    }
  });
}

// ---- helpers -------------------------------------------------------------------------------

/** Skips the server's clock to `iso` plus `margin` (negative: just before it). Time only moves forward. */
async function sleepUntil(iso: string, margin = MINUTE): Promise<void> {
  const target = toMs(iso) + margin;
  const ms = target - (await env.currentTimeMs());
  if (ms <= 0) throw new Error(`already past ${fromMs(target)} (now ${fromMs(await env.currentTimeMs())})`);
  await env.sleep(ms);
}
const justBefore = (iso: string) => sleepUntil(iso, -MINUTE);
const justAfter = (iso: string) => sleepUntil(iso, MINUTE);

const evalHandle = (personId: string) => env.client.workflow.getHandle(evaluationWorkflowId(P, personId));

/** Sends an update to one person's evaluation workflow and waits for its answer. */
function onEval<Ret, Arg>(personId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  return evalHandle(personId).executeUpdate(update, { args: [arg] });
}
function onCycle<Ret, Arg>(update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  return cycle.executeUpdate(update, { args: [arg] });
}

/** The business failure an update was rejected with (fails the test when it was accepted). */
async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the update should have been rejected').toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/** Polls (in real time, the clock stays put) until `fn` returns something truthy; activities finish asynchronously. */
// Generous: on a loaded machine an activity's write can take a while; the server's clock does not move meanwhile.
async function eventually<T>(fn: () => Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Outbox rows whose key matches a LIKE pattern, oldest first. */
const outbox = (like: string) =>
  sql<
    { key: string; recipientId: string; subject: string }[]
  >`select key, recipient_id, subject from outbox where key like ${like} order by id`;
const hasRow = async (like: string) => (await outbox(like)).length > 0;

const escalationsOf = (personId: string, kind: string) =>
  sql<
    {
      id: string;
      level: number;
      targetId: string;
      dueAt: Date;
      status: string;
      trail: { level: number; targetId: string }[];
      decision: { action: string; by: string; until?: string } | null;
    }[]
  >`
    select id, level, target_id, due_at, status, trail, decision from escalations
    where period = ${P} and person_id = ${personId} and kind = ${kind} order by created_at`;

const evaluationRow = async (personId: string) => {
  const [row] = await sql<
    {
      status: string;
      missed: string[];
      reviewerId: string | null;
      proposedGrade: string | null;
      finalGrade: string | null;
      total: number | null;
    }[]
  >`
    select status, missed, reviewer_id, proposed_grade, final_grade, total from evaluations where period = ${P} and person_id = ${personId}`;
  return row;
};

const auditActions = async (subject: string) =>
  await sql<
    { action: string; actor: string; payload: Record<string, unknown> }[]
  >`select action, actor, payload from audit where subject = ${subject} order by id`;

// ---- setup: one server and one database for the whole file; the month runs across the describes below, in order ----

beforeAll(async () => {
  stack = await startTimeSkippingStack('month');
  ({ env } = stack);
  sql = stack.db.sql;
  P = nextPeriod(localDate(fromMs(await env.currentTimeMs())).slice(0, 7));
  T = timeline(P);
  CYCLE_ID = cycleWorkflowId('hn', P);
  dungEval = evaluationWorkflowId(P, 'dung');
  khanhEval = evaluationWorkflowId(P, 'khanh');
  cuongEval = evaluationWorkflowId(P, 'cuong');
  reviewReminder1 = reminderKey(cuongEval, 'review', T.deadlines.review, T.reviewReminders[0]);
  reviewReminder2 = reminderKey(cuongEval, 'review', T.deadlines.review, T.reviewReminders[1]);
});

afterAll(async () => {
  try {
    if (monthDone && process.env.RECORD_HISTORIES === '1') {
      mkdirSync(HISTORIES_DIR, { recursive: true });
      for (const id of [CYCLE_ID, cuongEval, khanhEval, dungEval]) {
        const history = await env.client.workflow.getHandle(id).fetchHistory();
        writeFileSync(join(HISTORIES_DIR, `${id.replaceAll(':', '__')}.json`), historyToJson(history));
      }
    }
  } finally {
    await stack?.stop();
  }
});

describe('a full month of hn on the time-skipping server: the plans', () => {
  step('opens the cycle and fans out one evaluation per member, with the default deadlines', async () => {
    // The month starts after the server's "now", which only skips forward: its first reminder lies ahead.
    expect(await env.currentTimeMs()).toBeLessThan(toMs(T.planReminders[0]) - MINUTE);

    const op = new WithStartWorkflowOperation(cycleWorkflow, {
      workflowId: CYCLE_ID,
      taskQueue: TASK_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ unitId: 'hn', period: P, requestId: 'month-1', openedBy: 'admin' }],
    });
    const opened = await env.client.workflow.executeUpdateWithStart(openCycle, {
      startWorkflowOperation: op,
      args: [{ requestId: 'month-1' }],
    });
    cycle = env.client.workflow.getHandle(CYCLE_ID);
    expect(opened.created).toBe(true);
    expect(opened.view.members.map((m) => m.personId)).toEqual(MEMBERS);
    expect(opened.view.collective).toEqual(['an', 'binh']);
    expect(opened.view.deadlines).toEqual({
      plan: nthWorkingDayAt(P, R.defaultDueWorkingDay.plan),
      selfAssessment: nthWorkingDayAt(nextPeriod(P), R.defaultDueWorkingDay.selfAssessment),
      review: nthWorkingDayAt(nextPeriod(P), R.defaultDueWorkingDay.review),
      deliberation: nthWorkingDayAt(nextPeriod(P), R.defaultDueWorkingDay.deliberation),
    });
    const reviewers = Object.fromEntries(opened.view.members.map((m) => [m.personId, m.reviewerId]));
    expect(reviewers).toEqual({ an: null, binh: 'an', cuong: 'binh', dung: 'an', em: 'an', khanh: 'an' });
    await eventually(
      async () => (await sql`select 1 from evaluations where period = ${P}`).length === MEMBERS.length,
      'every evaluation row',
    );

    // HR records a reprimand for em in the month, before deliberation opens: em cannot be better than C.
    await sql`insert into discipline (person_id, date, level, note) values ('em', ${`${P}-15`}, 'reprimand', 'Khiển trách')`;
  });

  step(
    'takes the plans filed on time, refusing a plan filed for another and a self-assessment before it opens',
    async () => {
      for (const id of ['an', 'binh', 'cuong', 'em', 'khanh']) {
        const planned = await onEval(id, submitPlan, {
          actor: me(id),
          tasks: [{ title: `Kế hoạch tháng 3 của ${id}`, target: '100%' }],
        });
        expect(planned.status).toBe('planned');
      }
      expect(
        (await refusal(onEval('dung', submitPlan, { actor: me('an'), tasks: [{ title: 'x', target: 'y' }] }))).type,
      ).toBe('forbidden');
      expect(
        (await refusal(onEval('cuong', submitSelfAssessment, { actor: me('cuong'), scores: scores(18, 60, 5) }))).type,
      ).toBe('wrong_phase');
    },
  );

  step('reminds only the one who owes a plan, two working days before and on the morning of the deadline', async () => {
    // Plan reminders go to dung only (the others have filed): 2 working days before and that morning.
    const [at1, at2] = T.planReminders;
    expect([at1, at2]).toEqual([
      atLocal(addWorkingDays(localDate(T.deadlines.plan), -R.reminderWorkingDaysBefore, HOLIDAYS), R.reminderHour),
      atLocal(localDate(T.deadlines.plan), R.reminderHour),
    ]);
    const planReminder1 = reminderKey(dungEval, 'plan', T.deadlines.plan, at1);
    const planReminder2 = reminderKey(dungEval, 'plan', T.deadlines.plan, at2);
    await justBefore(at1);
    expect(await hasRow(`%:reminder:%`)).toBe(false);
    await justAfter(at1);
    const [r1] = await eventually(
      () => outbox(planReminder1).then((r) => (r.length ? r : null)),
      'the first plan reminder',
    );
    expect(r1.recipientId).toBe('dung');
    expect(await hasRow(planReminder2)).toBe(false);
    await justBefore(at2);
    expect(await hasRow(planReminder2)).toBe(false);
    await justAfter(at2);
    await eventually(() => hasRow(planReminder2), 'the plan reminder on the morning of the deadline');
    expect((await outbox('%:reminder:plan:%')).map((r) => r.recipientId)).toEqual(['dung', 'dung']);
  });

  step('tells the reviewer of a missed plan at its deadline, records the miss, and closes the plan step', async () => {
    await justBefore(T.deadlines.plan);
    expect(await hasRow(`${dungEval}:plan-missed`)).toBe(false);
    expect((await evaluationRow('dung')).missed).toEqual([]);
    await justAfter(T.deadlines.plan);
    const [notice] = await eventually(
      () => outbox(`${dungEval}:plan-missed`).then((r) => (r.length ? r : null)),
      'the plan-missed notice',
    );
    expect(notice.recipientId).toBe('an');
    expect(
      await eventually(async () => (await evaluationRow('dung')).missed.includes('plan'), 'missed plan recorded'),
    ).toBe(true);
    expect((await evaluationRow('cuong')).missed).toEqual([]);
    expect(
      (await refusal(onEval('dung', submitPlan, { actor: me('dung'), tasks: [{ title: 'late', target: '-' }] }))).type,
    ).toBe('wrong_phase');
  });
});

describe('a full month of hn on the time-skipping server: the self-assessments and the reviews', () => {
  step(
    'opens the self-assessment five working days before its deadline and takes those filed, refusing scores out of range',
    async () => {
      await justBefore(T.selfOpens);
      expect(
        (await refusal(onEval('cuong', submitSelfAssessment, { actor: me('cuong'), scores: scores(18, 60, 5) }))).type,
      ).toBe('wrong_phase');
      await justAfter(T.selfOpens);
      const self: Record<string, Scores> = {
        an: scores(19, 66, 8),
        binh: scores(18, 62, 5),
        cuong: scores(18, 64, 8),
        dung: scores(15, 48, 2),
        em: scores(18, 60, 4),
      };
      for (const [id, s] of Object.entries(self)) {
        const filed = await onEval(id, submitSelfAssessment, {
          actor: me(id),
          scores: s,
          comment: `Tự đánh giá của ${id}`,
        });
        expect(filed.selfScores).toEqual(s);
        // The reply is the line as accepted, even when the workflow moves on at once.
        expect(filed.status).toBe('self-assessed');
      }
      expect(
        (await refusal(onEval('khanh', submitSelfAssessment, { actor: me('khanh'), scores: scores(30, 60, 5) }))).type,
      ).toBe('bad_input');
    },
  );

  step("lets the top head's self-assessment stand as the reviewed proposal", async () => {
    // The top head has nobody above: their self-assessment stands as the reviewed proposal.
    await eventually(
      async () => (await evaluationRow('an'))?.status === 'reviewed',
      "an's evaluation reviewed by its self-assessment",
    );
    expect((await evaluationRow('an')).status).toBe('reviewed');
    await eventually(
      async () => (await evaluationRow('an'))?.proposedGrade === 'A',
      "an's proposal from the self-assessment",
    );
  });

  step(
    "takes the reviewer's reviews, each proposing a grade, and refuses a review by someone else's reviewer",
    async () => {
      // an reviews binh, dung and em at once; binh leaves cuong's review.
      const reviewed: Record<string, [Scores, string]> = {
        binh: [scores(18, 62, 5), 'B'],
        dung: [scores(15, 45, 2), 'C'],
        em: [scores(18, 60, 4), 'B'],
      };
      for (const [id, [s, grade]] of Object.entries(reviewed)) {
        const review = await onEval(id, submitReview, { actor: me('an'), scores: s, comment: 'Nhận xét' });
        expect(review.proposedGrade).toBe(grade);
      }
      expect((await refusal(onEval('cuong', submitReview, { actor: me('an'), scores: scores(1, 1, 1) }))).type).toBe(
        'forbidden',
      );
    },
  );

  step('reminds of the self-assessment and of the review owed, at their instants', async () => {
    // Self-assessment reminders to khanh, review reminders to binh for cuong. The review is due two working
    // days after the self-assessment, so its first reminder comes on the morning the self-assessment is due.
    const [self1, self2] = T.selfReminders;
    expect(T.reviewReminders[0]).toBe(self2);
    const selfReminder1 = reminderKey(khanhEval, 'selfAssessment', T.deadlines.selfAssessment, self1);
    const selfReminder2 = reminderKey(khanhEval, 'selfAssessment', T.deadlines.selfAssessment, self2);
    await justBefore(self1);
    expect(await hasRow('%:reminder:selfAssessment:%')).toBe(false);
    await justAfter(self1);
    await eventually(() => hasRow(selfReminder1), 'the first self-assessment reminder');
    expect((await outbox('%:reminder:selfAssessment:%')).map((r) => r.recipientId)).toEqual(['khanh']);
    await justBefore(self2);
    expect(await hasRow(selfReminder2)).toBe(false);
    expect(await hasRow('%:reminder:review:%')).toBe(false);
    await justAfter(self2);
    await eventually(
      async () => (await hasRow(selfReminder2)) && (await hasRow(reviewReminder1)),
      'the reminders of the morning the self-assessment is due',
    );
    expect((await outbox(reviewReminder1))[0].recipientId).toBe('binh');
    // Reviews an already gave owe no reminder.
    expect((await outbox('%:reminder:review:%')).map((r) => r.key)).toEqual([reviewReminder1]);
  });
});

describe('a full month of hn on the time-skipping server: missed steps and their escalations', () => {
  step(
    'escalates a missed self-assessment to the reviewer, who alone may extend it, within the review deadline',
    async () => {
      await justBefore(T.deadlines.selfAssessment);
      expect(await escalationsOf('khanh', 'self-assessment')).toHaveLength(0);
      await justAfter(T.deadlines.selfAssessment);
      const [selfEsc] = await eventually(
        () => escalationsOf('khanh', 'self-assessment').then((r) => (r.length ? r : null)),
        'the self-assessment escalation',
      );
      expect(selfEsc).toMatchObject({ level: 1, targetId: 'an', status: 'open' });
      // Undecided, "review without it" would apply at the review deadline.
      expect(selfEsc.dueAt.getTime()).toBe(toMs(T.deadlines.review));
      expect((await outbox(`${khanhEval}:escalation:${selfEsc.id}:%`)).map((r) => r.recipientId)).toEqual(['an']);
      expect((await evaluationRow('khanh')).missed).toEqual(['self-assessment']);
      expect(
        (await refusal(onEval('khanh', submitSelfAssessment, { actor: me('khanh'), scores: scores(19, 65, 8) }))).type,
      ).toBe('wrong_phase');
      expect(
        (
          await refusal(
            onEval('khanh', decideEscalation, {
              actor: me('binh'),
              escalationId: selfEsc.id,
              action: 'extend',
              until: T.khanhExtended,
            }),
          )
        ).type,
      ).toBe('forbidden');
      const tooLate = await refusal(
        onEval('khanh', decideEscalation, {
          actor: me('an'),
          escalationId: selfEsc.id,
          action: 'extend',
          until: T.tooLongExtension,
        }),
      );
      expect(tooLate.type).toBe('rule_refused');
      const extended = await onEval('khanh', decideEscalation, {
        actor: me('an'),
        escalationId: selfEsc.id,
        action: 'extend',
        until: T.khanhExtended,
        note: 'Đi công tác',
      });
      expect(extended.status).toBe('decided');
      expect(extended.decision).toMatchObject({ action: 'extend', by: 'an', until: T.khanhExtended });
      await eventually(
        async () => (await escalationsOf('khanh', 'self-assessment'))[0].status === 'decided',
        'the decision in Postgres',
      );
    },
  );

  step(
    'takes the self-assessment within the extension, reminded of its new deadline, and gives the reviewer two working days after it',
    async () => {
      // The extended deadline gets its own reminders (the first 2 working days before it), and khanh files in time.
      const [extended1] = T.khanhExtendedReminders;
      expect(toMs(extended1)).toBeLessThan(toMs(T.reviewReminders[1]));
      const extendedReminder = reminderKey(khanhEval, 'selfAssessment', T.khanhExtended, extended1);
      await justAfter(extended1);
      await eventually(() => hasRow(extendedReminder), 'the reminder of the extended deadline');
      const khanhLine = await onEval('khanh', submitSelfAssessment, {
        actor: me('khanh'),
        scores: scores(19, 65, 8),
        comment: 'Nộp trong gia hạn',
      });
      expect(khanhLine.status).toBe('self-assessed');
      // The review opens with the self-assessment; the reviewer keeps two working days after the extension.
      const khanhReview = await onEval('khanh', submitReview, { actor: me('an'), scores: scores(19, 65, 8) });
      expect(khanhReview.proposedGrade).toBe('A');
      const khanhDeadlines = (
        await sql<
          { deadlines: Record<string, string> }[]
        >`select deadlines from evaluations where period = ${P} and person_id = 'khanh'`
      )[0].deadlines;
      expect(khanhDeadlines.selfAssessment).toBe(T.khanhExtended);
      expect(khanhDeadlines.review).toBe(T.khanhReviewDue);
    },
  );

  step('climbs a missed review to HR, level by level, and lets HR take it over', async () => {
    await justBefore(T.reviewReminders[1]);
    expect(await hasRow(reviewReminder2)).toBe(false);
    await justAfter(T.reviewReminders[1]);
    await eventually(() => hasRow(reviewReminder2), 'the review reminder on the morning of the deadline');
    await justBefore(T.deadlines.review);
    expect(await escalationsOf('cuong', 'review')).toHaveLength(0);
    await justAfter(T.deadlines.review);
    const [level1] = await eventually(
      () => escalationsOf('cuong', 'review').then((r) => (r.length ? r : null)),
      'the review escalation',
    );
    expect(level1).toMatchObject({ level: 1, targetId: 'an', status: 'open' });
    expect(level1.dueAt.getTime()).toBe(toMs(T.reviewLevel1Due));
    expect((await evaluationRow('cuong')).missed).toEqual(['review']);
    await justBefore(T.reviewLevel1Due);
    expect((await escalationsOf('cuong', 'review'))[0]).toMatchObject({ level: 1, targetId: 'an' });
    await justAfter(T.reviewLevel1Due);
    const level2 = await eventually(async () => {
      const [e] = await escalationsOf('cuong', 'review');
      return e.level === 2 ? e : null;
    }, 'the climb to level 2');
    expect(level2).toMatchObject({ targetId: 'hr', status: 'open' });
    expect(level2.dueAt.getTime()).toBe(toMs(T.reviewLevel2Due));
    expect(level2.trail.map((t) => [t.level, t.targetId])).toEqual([
      [1, 'an'],
      [2, 'hr'],
    ]);
    expect((await outbox(`${cuongEval}:escalation:${level2.id}:%`)).map((r) => r.recipientId)).toEqual(['an', 'hr']);
    expect(
      (
        await refusal(
          onEval('cuong', decideEscalation, { actor: me('an'), escalationId: level2.id, action: 'take-over' }),
        )
      ).type,
    ).toBe('forbidden');
    const takenOver = await onEval('cuong', decideEscalation, {
      actor: HR,
      escalationId: level2.id,
      action: 'take-over',
      note: 'Ban Tổ chức nhận xét thay',
    });
    expect(takenOver.decision).toMatchObject({ action: 'take-over', by: HR.id });
    const cuongReview = await onEval('cuong', submitReview, {
      actor: HR,
      scores: scores(18, 64, 9),
      comment: 'Nhận xét thay',
    });
    expect(cuongReview).toMatchObject({ reviewerId: HR.id, proposedGrade: 'A' });
    expect((await evaluationRow('cuong')).reviewerId).toBe(HR.id);
  });
});

describe('a full month of hn on the time-skipping server: the deliberation', () => {
  step('opens the deliberation once every review is in, with two working days for the head', async () => {
    const deliberating = await eventually(async () => {
      const v = await cycle.query(getCycle);
      return v.phase === 'deliberation' ? v : null;
    }, 'the deliberation to open');
    expect(deliberating.members.map((m) => [m.personId, m.proposedGrade])).toEqual([
      ['an', 'A'],
      ['binh', 'B'],
      ['cuong', 'A'],
      ['dung', 'C'],
      ['em', 'B'],
      ['khanh', 'A'],
    ]);
    // Opened late, the head still gets 2 working days.
    expect(deliberating.deadlines.deliberation).toBe(T.deliberationDue);
    await eventually(() => hasRow(`${CYCLE_ID}:deliberation-open`), 'the deliberation notice');
  });

  step('refuses a list over the quota of A grades', async () => {
    // Refused for quota: 3 A among 6 rated, 30% allows 1.
    const quota = await refusal(
      onCycle(putDeliberation, {
        actor: head,
        decisions: [
          line('an', 'A'),
          line('binh', 'B'),
          line('cuong', 'A'),
          line('dung', 'C'),
          line('em', 'C', 'Bị kỷ luật khiển trách'),
          line('khanh', 'A'),
        ],
      }),
    );
    expect(quota.type).toBe('rule_refused');
    const quotaBreaches = (
      quota.details?.[0] as { breaches: { rule: string; allowed?: number; given?: number; excess?: number }[] }
    ).breaches;
    expect(quotaBreaches).toEqual([expect.objectContaining({ rule: 'quota', allowed: 1, given: 3, excess: 2 })]);
  });

  step("refuses a list over a member's cap and a list put by anyone but the head, leaving no trace", async () => {
    // Refused for a cap: em was disciplined in the month, so B is above his C cap.
    const cap = await refusal(
      onCycle(putDeliberation, {
        actor: head,
        decisions: [
          line('an', 'A'),
          line('binh', 'B'),
          line('cuong', 'B', 'Trễ hạn nhận xét, cân đối tỷ lệ'),
          line('dung', 'C'),
          line('em', 'B'),
          line('khanh', 'B', 'Nộp tự đánh giá trễ'),
        ],
      }),
    );
    expect(cap.type).toBe('rule_refused');
    const capBreaches = (
      cap.details?.[0] as { breaches: { rule: string; personId?: string; maxGrade?: string; capRules?: string[] }[] }
    ).breaches;
    expect(capBreaches).toEqual([
      expect.objectContaining({ rule: 'cap', personId: 'em', maxGrade: 'C', capRules: ['discipline'] }),
    ]);
    // Only the head puts the list.
    expect((await refusal(onCycle(putDeliberation, { actor: me('binh'), decisions: [] }))).type).toBe('forbidden');
    // Rejected updates leave no trace.
    expect((await auditActions(CYCLE_ID)).filter((a) => a.action === 'deliberation.put')).toHaveLength(0);
  });

  step(
    'reminds the head of the deliberation on the morning of its deadline and escalates it to HR when missed',
    async () => {
      // The deliberation reminder reaches the head on the morning of its deadline while no list is in.
      const morning = T.deliberationReminders.at(-1)!;
      expect(localDate(morning)).toBe(localDate(T.deliberationDue));
      const delibReminder = `${reminderKey(CYCLE_ID, 'deliberation', T.deliberationDue, morning)}:an`;
      await justBefore(morning);
      expect(await hasRow(delibReminder)).toBe(false);
      await justAfter(morning);
      await eventually(() => hasRow(delibReminder), 'the deliberation reminder');

      // The head lets the deadline pass: the top unit has no superior head, so the escalation goes to HR.
      await justBefore(T.deliberationDue);
      expect(await escalationsOf('an', 'deliberation')).toHaveLength(0);
      await justAfter(T.deliberationDue);
      [delibEsc] = await eventually(
        () => escalationsOf('an', 'deliberation').then((r) => (r.length ? r : null)),
        'the deliberation escalation',
      );
      expect(delibEsc).toMatchObject({ level: 1, targetId: 'hr', status: 'open' });
      expect(delibEsc.dueAt.getTime()).toBe(toMs(T.deliberationEscalationDue));
      expect((await outbox(`${CYCLE_ID}:escalation:${delibEsc.id}:%`)).map((r) => r.recipientId)).toEqual(['hr']);
    },
  );

  step("takes the head's late list as one approval, but not on the head's own line", async () => {
    // The head still puts the list late (the escalation has not been decided): the head's submission is
    // one approval, but not on their own line.
    const put = await onCycle(putDeliberation, { actor: head, decisions: finalList });
    expect(put.phase).toBe('deliberation');
    expect(put.deliberation?.approvals).toEqual(['an']);
    expect(put.deliberation?.pending).toEqual([
      { personId: 'an', approvals: 0, needed: 1 },
      { personId: 'cuong', approvals: 1, needed: 2 },
      { personId: 'dung', approvals: 1, needed: 2 },
      { personId: 'em', approvals: 1, needed: 2 },
      { personId: 'khanh', approvals: 1, needed: 2 },
    ]);
    // Someone outside the collective cannot approve.
    expect((await refusal(onCycle(approveDeliberation, { actor: me('cuong') }))).type).toBe('forbidden');
  });

  step('decides the list by majority with recusal, publishes it, and closes the deliberation escalation', async () => {
    // binh approves: a majority on every line; on her own line she is recused and the head's approval carries it.
    const approved = await onCycle(approveDeliberation, { actor: me('binh') });
    expect(approved.phase).toBe('published');
    expect(approved.deliberation?.pending).toEqual([]);
    expect(approved.members.map((m) => [m.personId, m.finalGrade])).toEqual(
      finalList.map((d) => [d.personId, d.grade]),
    );
    expect(approved.members.find((m) => m.personId === 'em')?.caps).toEqual([
      expect.objectContaining({ rule: 'discipline', maxGrade: 'C' }),
    ]);
    const approval = (await auditActions(CYCLE_ID)).find((a) => a.action === 'deliberation.approved');
    expect(approval).toMatchObject({ actor: 'binh', payload: { recusedOn: ['binh'] } });
    windowEndsAt = approved.complaintWindowEndsAt!;
    expect(windowEndsAt).toBe(T.windowEndsAt);
    // The list is decided, so the escalation about it is over: it neither climbs nor holds the cycle open.
    expect(approved.escalations.find((e) => e.id === delibEsc.id)?.status).toBe('closed');
    await eventually(
      async () => (await escalationsOf('an', 'deliberation'))[0].status === 'closed',
      'the deliberation escalation closed in Postgres',
    );
  });
});

describe('a full month of hn on the time-skipping server: publication, complaint and lock', () => {
  step('writes the final grades to Postgres and tells every member', async () => {
    await eventually(async () => {
      const rows = await sql<
        { personId: string; finalGrade: string | null }[]
      >`select person_id, final_grade from evaluations where period = ${P} order by person_id`;
      return rows.every((r) => r.finalGrade !== null) ? rows : null;
    }, 'final grades').then((rows) =>
      expect(rows.map((r) => [r.personId, r.finalGrade])).toEqual(finalList.map((d) => [d.personId, d.grade])),
    );
    expect((await outbox(`${CYCLE_ID}:published:%`)).map((r) => r.recipientId).sort()).toEqual(MEMBERS);
  });

  step('hears a complaint from the person alone and lets the head change the grade', async () => {
    expect((await refusal(onCycle(fileComplaint, { actor: me('an'), personId: 'dung', reason: 'x' }))).type).toBe(
      'forbidden',
    );
    const complaint = await onCycle(fileComplaint, {
      actor: me('dung'),
      personId: 'dung',
      reason: 'Kết quả nhiệm vụ bị đánh giá thấp',
    });
    expect(complaint).toMatchObject({ status: 'open', personId: 'dung' });
    expect(
      (
        await refusal(
          onCycle(resolveComplaint, {
            actor: me('binh'),
            complaintId: complaint.id,
            outcome: 'changed',
            grade: 'B',
            rationale: 'x',
          }),
        )
      ).type,
    ).toBe('forbidden');
    const resolved = await onCycle(resolveComplaint, {
      actor: head,
      complaintId: complaint.id,
      outcome: 'changed',
      grade: 'B',
      rationale: 'Đã xem xét lại kết quả nhiệm vụ',
    });
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'changed', grade: 'B', resolvedBy: 'an' });
    await eventually(async () => (await evaluationRow('dung')).finalGrade === 'B', "dung's changed grade");
    const [complaintRow] = await sql<
      { status: string; outcome: string; grade: string }[]
    >`select status, outcome, grade from complaints where id = ${complaint.id}`;
    expect(complaintRow).toEqual({ status: 'resolved', outcome: 'changed', grade: 'B' });
  });

  step(
    "locks when the complaint window closes, by the workflow's clock, and each evaluation closes with its result",
    async () => {
      await justBefore(windowEndsAt);
      expect((await cycle.query(getCycle)).phase).toBe('published');
      const [stillOpen] = await sql<
        { phase: string }[]
      >`select phase from cycles where unit_id = 'hn' and period = ${P}`;
      expect(stillOpen.phase).toBe('published');
      await justAfter(windowEndsAt);
      await eventually(async () => (await cycle.query(getCycle)).phase === 'locked', 'the lock');
      // The cycle's close asks its open evaluations to close (its parent close policy). This server
      // does not apply that policy, and would skip its clock to their run timeout while the test
      // awaits the cycle, so the test asks first, as the dev server does when the cycle completes
      // (test/e2e/faults.test.ts checks the real thing). Each completes with its result.
      for (const personId of MEMBERS) {
        const evaluation = env.client.workflow.getHandle(evaluationWorkflowId(P, personId));
        expect((await evaluation.describe()).status.name).toBe('RUNNING');
        await evaluation.cancel();
        expect(await evaluation.result()).toMatchObject({ personId });
        expect((await evaluation.describe()).status.name).toBe('COMPLETED');
      }
      await cycle.result();
      // No review woke the cycle: every evaluation marked its row closed, and the one that closed
      // last signalled the cycle once.
      const cycleEvents = (await cycle.fetchHistory()).events ?? [];
      expect(cycleEvents.filter((e) => e.childWorkflowExecutionCompletedEventAttributes)).toEqual([]);
      expect(
        cycleEvents.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'evaluationsClosed'),
      ).toHaveLength(1);
      expect(await sql`select person_id from evaluations where period = ${P} and closed_at is null`).toEqual([]);
      const [locked] = await sql<
        { phase: string; lockedAt: Date | null }[]
      >`select phase, locked_at from cycles where unit_id = 'hn' and period = ${P}`;
      expect(locked.phase).toBe('locked');
      // Locked when the window closed, by the workflow's clock (not the activity's wall clock).
      expect(locked.lockedAt!.getTime()).toBeGreaterThanOrEqual(toMs(windowEndsAt));
      expect(locked.lockedAt!.getTime()).toBeLessThan(toMs(windowEndsAt) + MINUTE);
    },
  );

  step('notified the deliberation escalation once, and it never climbed after the list was decided', async () => {
    expect(await outbox(`${CYCLE_ID}:escalation:%`)).toHaveLength(1);
    expect((await escalationsOf('an', 'deliberation'))[0]).toMatchObject({ level: 1, status: 'closed' });
  });

  step('keeps every accepted action in the audit trail, once, in order, by whoever took it', async () => {
    const trail = async (subject: string) => (await auditActions(subject)).map((a) => [a.action, a.actor]);
    // Refused updates (the lists over quota and cap, the complaint filed for another) left nothing.
    expect(await trail(CYCLE_ID)).toEqual([
      ['cycle.opened', 'admin'],
      ['deliberation.opened', 'system'],
      ['escalation.opened', 'system'],
      ['deliberation.put', 'an'],
      ['deliberation.approved', 'binh'],
      ['cycle.published', 'binh'],
      ['complaint.filed', 'dung'],
      ['complaint.resolved', 'an'],
      ['cycle.locked', 'system'],
    ]);
    // cuong's review missed, climbed to HR, taken over and given by HR.
    expect(await trail(cuongEval)).toEqual([
      ['evaluation.opened', 'system'],
      ['evaluation.plan', 'cuong'],
      ['evaluation.self-assessment', 'cuong'],
      ['escalation.opened', 'system'],
      ['escalation.climbed', 'system'],
      ['escalation.decided', HR.id],
      ['evaluation.review', HR.id],
      ['evaluation.closed', 'system'],
    ]);
    // khanh's self-assessment missed, extended by an, then filed in the extension.
    expect(await trail(khanhEval)).toEqual([
      ['evaluation.opened', 'system'],
      ['evaluation.plan', 'khanh'],
      ['escalation.opened', 'system'],
      ['escalation.decided', 'an'],
      ['evaluation.self-assessment', 'khanh'],
      ['evaluation.review', 'an'],
      ['evaluation.closed', 'system'],
    ]);
    // dung's plan missed, and the month went on without it.
    expect(await trail(dungEval)).toEqual([
      ['evaluation.opened', 'system'],
      ['evaluation.plan-missed', 'system'],
      ['evaluation.self-assessment', 'dung'],
      ['evaluation.review', 'an'],
      ['evaluation.closed', 'system'],
    ]);
  });

  step('leaves nobody owing anything once the month is locked', async () => {
    expect(await sql`select workflow_id, step_key, owner_id from open_steps`).toEqual([]);
  });

  step("keeps the month's whole audit trail in one unbroken hash chain", async () => {
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from audit`;
    // Every plan, review, escalation, deliberation and complaint of the month, and the directory.
    expect(n).toBeGreaterThan(40);
    expect(await verifyAuditChain(sql)).toEqual({ rows: n, broken: null });
    monthDone = true;
  });
});

describe('cap facts of another month of the same directory', () => {
  it("ties a subordinate unit's head to the others of that unit, not to their own D", async () => {
    // Cap facts as the cycle reads them when deliberation opens, for another month of the same directory.
    const period = prevPeriod(P);
    const proposeD = (personId: string, unitId: string) => sql`
      insert into evaluations (period, person_id, unit_id, workflow_id, status, proposed_grade, deadlines, version)
      values (${period}, ${personId}, ${unitId}, ${evaluationWorkflowId(period, personId)}, 'reviewed', 'D', ${sql.json({})}, 1)`;
    const { loadCapFacts } = createActivities({ sql });
    const tied = async () =>
      Object.fromEntries(
        (await loadCapFacts({ unitId: 'hn', period, memberIds: ['em', 'khanh'] })).map((f) => [
          f.personId,
          f.ledOutsideIsD,
        ]),
      );
    await proposeD('em', 'hn');
    expect(await tied()).toEqual({ em: false, khanh: false });
    await proposeD('hai', 'sxd');
    expect(await tied()).toEqual({ em: true, khanh: false });
  });
});
