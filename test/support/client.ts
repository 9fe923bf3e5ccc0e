/**
 * The API's client as a generated one: openapi-fetch typed by contracts/openapi.d.ts, which
 * openapi-typescript generates from the served document. A test that calls the API through it
 * proves the document by compiling and running against the real server.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../contracts/openapi';
import type { Stack } from './stack';

export type ApiClient = ReturnType<typeof createClient<paths>>;

/** A client calling the stack as `who` (a person id or 'admin'). */
export function clientFor(s: Stack, who: string): ApiClient {
  const token = who === 'admin' ? s.adminToken : s.tokens[who];
  if (!token) throw new Error(`no token for ${who}`);
  return createClient<paths>({ baseUrl: s.url, headers: { authorization: `Bearer ${token}` } });
}
