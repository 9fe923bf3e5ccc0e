/**
 * The API's single error shape, `{"error": {"code", "message", "details"}}`, and the mapping
 * from workflow failures (typed with domain ErrorType) to HTTP statuses.
 */
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { ZodError } from 'zod';
import { HTTP_STATUS, isErrorTypeName, type ErrorTypeName } from '../domain/errors';

const CODES: Record<number, string> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'wrong_phase',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'rule_refused',
  429: 'too_many_requests',
  500: 'internal',
  503: 'unavailable',
};

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get code(): string {
    return CODES[this.status];
  }

  static of(type: ErrorTypeName, message: string, details?: unknown): HttpError {
    return new HttpError(HTTP_STATUS[type] as HttpError['status'], message, details);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, message, details);
/** 422: a rule refuses it; `details.rule` names the rule. */
export const ruleRefused = (message: string, details: { rule: string } & Record<string, unknown>) =>
  new HttpError(422, message, details);

/** Field-level details from a zod failure: one entry per bad field, naming the rule it broke. */
export function zodDetails(error: ZodError): { field: string; rule: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', rule: i.code, message: i.message }));
}

/**
 * Translates what a Temporal call threw into an HttpError: a refused update keeps the type and
 * details the workflow's validator gave it; a workflow that is gone means its step has closed.
 */
export function fromTemporal(err: unknown, closedMessage: string, closedPhase = 'closed'): HttpError | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(err)) {
    return new HttpError(
      503,
      'The process did not answer in time. Nothing is lost: send the same request again with the same Idempotency-Key.',
    );
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isErrorTypeName(cause.type)) {
      return HttpError.of(cause.type, cause.message, cause.details?.[0]);
    }
    return undefined;
  }
  if (
    err instanceof WorkflowNotFoundError ||
    (err instanceof Error && /already completed|not found/i.test(err.message))
  ) {
    return conflict(closedMessage, { phase: closedPhase });
  }
  return undefined;
}

/** gRPC's DEADLINE_EXCEEDED (4), as a start or a query reports it when the bound runs out. */
function isDeadlineExceeded(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === 4;
}

export function errorBody(err: HttpError): { error: { code: string; message: string; details?: unknown } } {
  return {
    error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
  };
}
