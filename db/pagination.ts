/**
 * Keyset pagination for every list: a page is read after the key of the last row the previous
 * page showed, in the list's own order with an id as the last tiebreaker, so a walk sees every row
 * once even while rows are added. The cursor carries that key, opaque to clients: base64url of
 * `{"l": list, "k": [key values as text]}`. Instants in a key are UTC with microseconds
 * (`KEY_INSTANT` below), exact where a JavaScript Date would round to milliseconds; a query
 * casts them `::text::timestamptz`, since postgres.js would pass a `timestamptz` parameter
 * through a Date (and lose the microseconds).
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** The shape of each list's key: `instant` a timestamp as `KEY_INSTANT` writes it, `int` a row id, `text` anything. */
const KEYS = {
  audit: ['int'],
  cases: ['instant', 'text'],
  proposals: ['instant', 'text'],
  escalations: ['instant', 'text'],
  tokens: ['instant', 'text'],
  // Undated steps come last: their instant is `infinity`.
  tasks: ['instant', 'text', 'text', 'text', 'text'],
} as const;

export type ListName = keyof typeof KEYS;

export interface PageRequest {
  /** Rows per page, 1 to {@link MAX_PAGE_SIZE}. */
  limit: number;
  /** The previous page's `next`; absent for the first page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; null when this page is the last. */
  next: string | null;
}

/** SQL (to_char format) of a key instant: UTC, microseconds, e.g. 2026-05-01T03:04:05.123456Z. */
export const KEY_INSTANT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

export class InvalidCursor extends Error {}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** An instant as KEY_INSTANT writes it, and a real one (no 30 February): its milliseconds round-trip through Date. */
function isKeyInstant(value: string): boolean {
  if (value === 'infinity') return true;
  if (!INSTANT.test(value)) return false;
  const ms = `${value.slice(0, 23)}Z`;
  const d = new Date(ms);
  return !Number.isNaN(d.getTime()) && d.toISOString() === ms;
}

function keyFits(shape: 'instant' | 'int' | 'text', value: string): boolean {
  if (shape === 'text') return true;
  // A bigint id, kept under 2^63 so the query's cast cannot fail.
  if (shape === 'int') return /^\d{1,18}$/.test(value);
  return isKeyInstant(value);
}

export function encodeCursor(list: ListName, key: string[]): string {
  return Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');
}

/** The key a cursor of `list` carries; throws {@link InvalidCursor} for anything else. */
export function decodeCursor(list: ListName, cursor: string): string[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursor('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor(`not a cursor of ${list}`);
  }
  const shape = KEYS[list];
  const { l, k } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { l?: unknown; k?: unknown };
  const ok =
    l === list &&
    Array.isArray(k) &&
    k.length === shape.length &&
    k.every((v, i) => typeof v === 'string' && v.length <= 1000 && keyFits(shape[i], v));
  if (!ok) throw new InvalidCursor(`not a cursor of ${list}`);
  return k as string[];
}

export function isCursorOf(list: ListName, cursor: string): boolean {
  try {
    decodeCursor(list, cursor);
    return true;
  } catch {
    return false;
  }
}

/**
 * The page from rows read with `limit + 1` (the extra row only tells that more follow), each with
 * its key as `cursorKey`, which the page's items do not carry.
 */
export function pageOf<R extends { cursorKey: string[] }>(
  list: ListName,
  rows: readonly R[],
  limit: number,
): Page<Omit<R, 'cursorKey'>> {
  const shown = rows.slice(0, limit);
  const items = shown.map(({ cursorKey: _, ...item }) => item);
  const last = shown[shown.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor(list, last.cursorKey) : null };
}
