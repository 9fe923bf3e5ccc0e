/**
 * The Temporal Schedule that opens every active unit's cycle at 00:00 on the first day of each
 * month, Asia/Ho_Chi_Minh. Created, or updated to this spec, idempotently.
 */
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

export const SCHEDULE_ID = 'monthly-cycles';

export async function ensureMonthlySchedule(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
}): Promise<'created' | 'updated'> {
  const connection = await Connection.connect({ address: opts.address });
  try {
    const client = new Client({ connection, namespace: opts.namespace });
    const spec = { cronExpressions: ['0 0 1 * *'], timezone: 'Asia/Ho_Chi_Minh' };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'monthlyOpenerWorkflow',
      taskQueue: opts.taskQueue,
      args: [{}],
    };
    try {
      await client.schedule.create({
        scheduleId: SCHEDULE_ID,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      });
      return 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
      return 'updated';
    }
  } finally {
    await connection.close();
  }
}
