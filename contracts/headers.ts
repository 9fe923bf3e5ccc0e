/** Temporal headers the API, the workflows and the activities agree on. */

/** The HTTP request's ID, carried from the API's client calls into workflows and on to their activities. */
export const REQUEST_ID_HEADER = 'request-id';

/** The HTTP header a caller may send its own request ID in, and the API echoes it in. */
export const HTTP_REQUEST_ID = 'X-Request-Id';

/** A caller's request ID is kept only when it looks like one (safe to log, bounded). */
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
