/**
 * One error taxonomy end to end: workflow validators throw
 * `ApplicationFailure.nonRetryable(message, type)` with one of these types, and the API's
 * `onError` maps the same type to an HTTP status, so a rule refusal reads the same everywhere.
 */

/** Business error types, shared by workflows (failure `type`) and the API (status mapping). */
export const ErrorType = {
  BadInput: 'bad_input',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  WrongPhase: 'wrong_phase',
  RuleRefused: 'rule_refused',
} as const;

/**
 * The failure type of an activity whose data PostgreSQL or a rule refuses for good: retrying it
 * cannot help, so it is raised as an alert and not retried.
 */
export const DATA_REFUSED = 'DataRefused';

/** The string value of an {@link ErrorType} member, e.g. `'rule_refused'`. */
export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];

/** HTTP status for each error type; anything not typed is a 500 and must not leak internals. */
export const HTTP_STATUS: Record<ErrorTypeName, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  wrong_phase: 409,
  rule_refused: 422,
};

/** True when `value` is one of the {@link ErrorType} strings (e.g. a failure type read back from Temporal). */
export function isErrorTypeName(value: unknown): value is ErrorTypeName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(HTTP_STATUS, value);
}

/**
 * A business error raised by pure code outside a workflow (e.g. in the API before a command is
 * sent). Inside workflows convert it to `ApplicationFailure.nonRetryable(message, type)`, since
 * plain errors there would be retried as workflow task failures.
 */
export class DomainError extends Error {
  readonly type: ErrorTypeName;
  readonly details: Record<string, unknown> | undefined;

  constructor(type: ErrorTypeName, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.type = type;
    this.details = details;
  }
}
