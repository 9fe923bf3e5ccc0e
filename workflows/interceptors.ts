/**
 * Carries the request ID header (contracts/headers.ts) from whatever started or updated a
 * workflow to the activities and child workflows it schedules while handling it, so an activity's
 * log lines name the HTTP request they serve. Headers only: no command is added or changed, so
 * histories recorded without this interceptor replay unchanged.
 */
import {
  AsyncLocalStorage,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type StartChildWorkflowExecutionInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Headers, Payload } from '@temporalio/common';
import { REQUEST_ID_HEADER } from '../contracts/headers';

export const interceptors = (): WorkflowInterceptors => {
  // One store per workflow: the factory runs once for each workflow the worker instantiates.
  const current = new AsyncLocalStorage<Payload>();
  const within = <T>(headers: Headers, fn: () => T): T => {
    const id = headers[REQUEST_ID_HEADER];
    return id ? current.run(id, fn) : fn();
  };
  const carry = <T extends { headers: Headers }>(input: T): T => {
    const id = current.getStore();
    return id ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: id } } : input;
  };
  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => within(input.headers, () => next(input)),
    handleUpdate: (input, next) => within(input.headers, () => next(input)),
    handleSignal: (input, next) => within(input.headers, () => next(input)),
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) =>
      next(carry(input)),
    scheduleLocalActivity: (
      input: LocalActivityInput,
      next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
    ) => next(carry(input)),
    startChildWorkflowExecution: (
      input: StartChildWorkflowExecutionInput,
      next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
    ) => next(carry(input)),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
