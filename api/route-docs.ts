/** The OpenAPI pieces every router repeats: a JSON body, an answer, an error, the command errors. */
import type { z } from '@hono/zod-openapi';
import { AnyJson, ErrorSchema } from './schemas';

export const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });
/** A 2xx answer: its schema where the route describes one, else any JSON object. */
export const ok = <S extends z.ZodType = typeof AnyJson>(description: string, schema: S = AnyJson as unknown as S) => ({
  description,
  content: { 'application/json': { schema } },
});
export const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

/** The errors a command on `thing` can answer with (api.md "Conventions"). */
export const commandErrors = (thing: string) => ({
  400: err('Invalid input'),
  403: err('Not allowed'),
  404: err(`Unknown ${thing}`),
  409: err('Wrong phase'),
  422: err('A rule refuses it'),
});
