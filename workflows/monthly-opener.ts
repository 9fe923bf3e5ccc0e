/**
 * Started by the monthly Schedule on the first day of each month (Asia/Ho_Chi_Minh): opens the
 * cycle of every active unit for that month, then scans for automatic proposals (position changes
 * due or overdue, replacement triggers). Both are idempotent, so a retried or duplicated run is
 * harmless.
 */
import { deprecatePatch, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { fromMs } from '../domain/calendar';

const { openCyclesForPeriod, scanProposals } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function monthlyOpenerWorkflow(
  input: { period?: string } = {},
): Promise<{ period: string; opened: number; existing: number }> {
  // The workflow clock is the scheduled instant; its local month is the month to open.
  const today = fromMs(Date.now()).slice(0, 10);
  const period = input.period ?? today.slice(0, 7);
  const opened = await openCyclesForPeriod({ period });
  // Step 1 of retiring the patch (docs/patches.md): no run without the scan is open any more.
  deprecatePatch('monthly-proposal-scan');
  await scanProposals({ onDate: today });
  return opened;
}
