/** GET /tasks: the reader's open steps, read by the same function as `GET /v1/me/tasks`. */
import { Hono } from 'hono';
import { identities } from '../../api/auth';
import type { ApiDeps } from '../../api/deps';
import { tasksFor } from '../../api/read-model';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import { frameFor, requireSession } from '../frame';
import type { WebEnv } from '../session';
import { TasksPage } from './tasks';

export function tasksRoutes(deps: ApiDeps) {
  return new Hono<WebEnv>().get('/tasks', async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const { items } = await tasksFor(deps.sql, identities(session.caller), { limit: MAX_PAGE_SIZE });
    return c.html(<TasksPage frame={await frameFor(c, deps, session)} tasks={items} now={new Date()} />);
  });
}
