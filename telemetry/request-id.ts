/**
 * One request ID from the HTTP request to the activities that serve it: the API runs each request
 * inside `requestIdContext`; the client interceptor puts the ID in the Temporal headers of every
 * call made within it; the workflow interceptors (workflows/interceptors.ts) pass it on to the
 * activities; the activity interceptor binds it, with the workflow and activity, to the logger
 * the activity's code gets from `currentLogger`.
 */
import type { Context as ActivityContext } from '@temporalio/activity';
import type {
  Next,
  WorkflowClientInterceptor,
  WorkflowQueryInput,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateWithStartInput,
} from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { REQUEST_ID_HEADER } from '../contracts/headers';
import { logContext, type Logger } from './log';

export const requestIdContext = new AsyncLocalStorage<string>();

const withId = (headers: Headers): Headers => {
  const id = requestIdContext.getStore();
  return id ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } : headers;
};

export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>) {
    return next({ ...input, headers: withId(input.headers) });
  }
  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>) {
    return next({ ...input, headers: withId(input.headers) });
  }
  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>) {
    return next({ ...input, headers: withId(input.headers) });
  }
  startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>) {
    return next({ ...input, headers: withId(input.headers) });
  }
  startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ) {
    return next({
      ...input,
      workflowStartHeaders: withId(input.workflowStartHeaders),
      updateHeaders: withId(input.updateHeaders),
    });
  }
  query(input: WorkflowQueryInput, next: Next<WorkflowClientInterceptor, 'query'>) {
    return next({ ...input, headers: withId(input.headers) });
  }
}

/** The request ID an activity was scheduled with, if any. */
export function requestIdOf(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  const id = defaultPayloadConverter.fromPayload<unknown>(payload);
  return typeof id === 'string' ? id : undefined;
}

/**
 * Binds each activity's logger: its request ID, workflow and activity type on every line it
 * writes, a debug line when it completes and a warning when an attempt fails.
 */
export function activityLogging(logger: Logger) {
  return (ctx: ActivityContext): ActivityInterceptors => ({
    inbound: {
      async execute(input, next) {
        const { workflowExecution, activityType, attempt } = ctx.info;
        const requestId = requestIdOf(input.headers);
        const log = logger.child({
          requestId,
          workflowId: workflowExecution?.workflowId,
          activity: activityType,
          attempt,
        });
        const started = performance.now();
        const ms = () => Math.round(performance.now() - started);
        const run = async () => {
          try {
            const result = await next(input);
            log.debug({ ms: ms() }, 'activity completed');
            return result;
          } catch (err) {
            log.warn({ ms: ms(), err }, 'activity attempt failed');
            throw err;
          }
        };
        // The ID stays current too, so workflows the activity calls (the monthly opener's cycles) carry it on.
        return logContext.run(log, () => (requestId ? requestIdContext.run(requestId, run) : run()));
      },
    },
  });
}
