/**
 * One unit's month: loads who is settled here, runs an evaluation per member, then the
 * collective's deliberation (quota and caps checked, majority with recusal), publication, the
 * complaint window with each complaint's resolution, and the lock.
 *
 * Its parts: the state (./state), the handlers (./handlers), what it shows (./view), and its
 * phases in turn: ./members (opening and evaluations), ./deliberation (with ./publication),
 * ./complaints and ./lock.
 */
import { patched } from '@temporalio/workflow';
import { registerHandlers } from './handlers';
import { openWithMembers } from './members';
import { deliberate } from './deliberation';
import { hearComplaints } from './complaints';
import { lock } from './lock';
import { CycleState, type CycleInput } from './state';

/**
 * Each phase starts the next one itself, in the same turn, rather than returning to be awaited
 * here: an await between phases would move every later command by a microtask against the
 * handlers and timers running beside them, and recorded histories must replay unchanged.
 */
export function cycleWorkflow(input: CycleInput): Promise<void> {
  // Decided before the first command, so a cycle and its evaluations always agree on it: each
  // review used to complete its evaluation and wake the cycle, the dearest submission of the month
  // on the server (docs/benchmarks.md). Cycles started before keep awaiting their children.
  const learnsFromReadModel = patched('cycle-learns-reviews-from-read-model');
  const cycle = new CycleState(input, { learnsFromReadModel });
  void cycle.writes.run();
  registerHandlers(cycle);
  cycle.announce();
  return openWithMembers(cycle, () => deliberate(cycle, () => hearComplaints(cycle, () => lock(cycle))));
}
