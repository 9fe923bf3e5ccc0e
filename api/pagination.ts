/**
 * The paging contract of every list route: `?cursor=&limit=` in, the page and its `next` cursor
 * out. A list answered as an object carries `next` beside its field; a list answered as a bare
 * array (kept as it was for its clients) carries it in the `Next-Cursor` header instead.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DEFAULT_PAGE_SIZE, isCursorOf, MAX_PAGE_SIZE, type ListName, type PageRequest } from '../db/pagination';
import { AnyJson } from './schemas';

export const NEXT_CURSOR_HEADER = 'Next-Cursor';

const NEXT_DESCRIPTION = 'The cursor of the next page, to send back as `cursor`; null on the last page.';

/** The query fields of a paged list: merge them into the route's query schema. */
export const pageQuery = (list: ListName) => ({
  cursor: z
    .string()
    .max(2000)
    .refine((c) => isCursorOf(list, c), {
      message: 'not a cursor of this list; send back the `next` of the page before',
    })
    .optional()
    .openapi({
      description: `Where the page starts: the \`next\` of the page before (opaque). Absent for the first page.`,
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({
      description: `Items per page, 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent.`,
      example: DEFAULT_PAGE_SIZE,
    }),
});

/** The page a validated query asks for. */
export const pageRequest = (query: { cursor?: string; limit: number }): PageRequest => ({
  limit: query.limit,
  ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
});

/** A 200 answer `{ <field>: [...], next }`, its items of `item` where the route describes them. */
export const pagedOk = <K extends string>(description: string, field: K, item: z.ZodType = AnyJson) => ({
  description: `${description}, one page; \`next\` is the cursor of the next page (null on the last).`,
  content: {
    'application/json': {
      schema: z.object({
        [field]: z.array(item),
        next: z.string().nullable().openapi({ description: NEXT_DESCRIPTION }),
      } as Record<K, z.ZodArray<z.ZodType>> & {
        next: z.ZodNullable<z.ZodString>;
      }),
    },
  },
});

/** A 200 answer that is a bare array, its next page's cursor in the `Next-Cursor` header. */
export const pagedArrayOk = (description: string) => ({
  description: `${description}, one page; the \`${NEXT_CURSOR_HEADER}\` header holds \`next\`, the cursor of the next page (absent on the last).`,
  headers: {
    [NEXT_CURSOR_HEADER]: {
      description: `\`next\`: ${NEXT_DESCRIPTION.replace('null on the last page', 'absent on the last page')}`,
      schema: { type: 'string' as const },
    },
  },
  content: { 'application/json': { schema: z.array(AnyJson) } },
});

/** Sets the `Next-Cursor` header of a bare-array page (none on the last page). */
export function setNextCursor(c: Context, next: string | null): void {
  if (next !== null) c.header(NEXT_CURSOR_HEADER, next);
}
