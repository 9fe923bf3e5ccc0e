/** The activities the cycle calls (read-model writes go through `saveCycle` in ../steps). */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';

export const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
