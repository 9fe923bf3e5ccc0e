/** The monthly opener's activities: start (or find) the cycle of every active unit; scan for proposals. */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { scanPositionChanges, scanReplacementTriggers, scanTalent } from '../db/proposals';
import { loadCaseRules, loadRules } from '../db/settings';
import type { Sql } from '../db/sql';
import { activeUnitIds } from '../db/units';
import { cycleWorkflowId } from '../contracts/messages';

export function scheduleActivities(sql: Sql, temporal: Client | undefined, taskQueue: string) {
  return {
    async openCyclesForPeriod({
      period,
    }: {
      period: string;
    }): Promise<{ period: string; opened: number; existing: number }> {
      if (!temporal) throw new Error('openCyclesForPeriod needs a Temporal client in the worker.');
      const units = await activeUnitIds(sql);
      let opened = 0;
      let existing = 0;
      for (const [i, unitId] of units.entries()) {
        try {
          await temporal.workflow.start('cycleWorkflow', {
            workflowId: cycleWorkflowId(unitId, period),
            taskQueue,
            // Running or finished, an existing cycle is left alone and counted.
            workflowIdConflictPolicy: 'FAIL',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            args: [{ unitId, period, requestId: `schedule:${period}`, openedBy: 'schedule' }],
          });
          opened += 1;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          existing += 1;
        }
        Context.current().heartbeat({ done: i + 1, of: units.length });
      }
      return { period, opened, existing };
    },

    /** The monthly scan for automatic proposals (api.md `GET /v1/proposals`). */
    async scanProposals({
      onDate,
    }: {
      onDate: string;
    }): Promise<{ positionChanges: number; replacements: number; talent: number }> {
      const [caseRules, rules] = await Promise.all([loadCaseRules(sql), loadRules(sql)]);
      const positions = await scanPositionChanges(sql, onDate, caseRules);
      const replacements = await scanReplacementTriggers(sql, caseRules, rules);
      const talent = await scanTalent(sql, onDate, rules);
      return { positionChanges: positions.added, replacements: replacements.added, talent: talent.added };
    },
  };
}
