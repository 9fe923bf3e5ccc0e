/**
 * Started by the monthly Schedule on the first day of each month (Asia/Ho_Chi_Minh): opens the
 * cycle of every active unit for that month. Opening is idempotent, so a retried or duplicated
 * run is harmless.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { fromMs } from '../domain/calendar';

const { openCyclesForPeriod } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function monthlyOpenerWorkflow(input: { period?: string } = {}): Promise<{ period: string; opened: number; existing: number }> {
  // The workflow clock is the scheduled instant; its local month is the month to open.
  const period = input.period ?? fromMs(Date.now()).slice(0, 7);
  return openCyclesForPeriod({ period });
}
