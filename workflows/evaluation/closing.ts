/**
 * The end of the steps: the evaluation is done (the top head's self-assessment standing in for a
 * review), and, under `closesWithCycle`, it stays open until its cycle asks it to close.
 */
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { auditEntry } from './documents';
import type { Evaluation } from './state';

/** Enters `done` and records the closing with the proposal, if any. */
export function closeSteps(ev: Evaluation): void {
  ev.enter('done');
  // The top head's self-assessment stands in for the review.
  if (ev.status !== 'reviewed' && ev.proposedGrade) ev.status = 'reviewed';
  ev.persist([auditEntry(ev, 'evaluation.closed', { payload: { total: ev.total, proposedGrade: ev.proposedGrade } })]);
}

/** Waits until the cycle closes, which asks its open evaluations to close (ParentClosePolicy.REQUEST_CANCEL). */
export async function closedByCycle(): Promise<void> {
  try {
    await CancellationScope.current().cancelRequested;
  } catch (err) {
    unlessCancelled(err);
  }
}

/** A wait ended by the cycle closing is not an error; anything else is. */
export function unlessCancelled(err: unknown): void {
  if (!isCancellation(err)) throw err;
}
