/**
 * GET /directory/import, POST /directory/import/preview and /apply: HR's directory upload. The
 * file is read and checked with the API's own schema and rules (`directoryUploadIssues`), held
 * server-side for the preview, and applied through `applyDirectory`, the function `PUT /v1/org`
 * calls. The preview's key is the apply's idempotency key: a repeat answers as the first did.
 */
import { randomUUID } from 'node:crypto';
import type { TFunction } from 'i18next';
import { Hono, type Context } from 'hono';
import { applyDirectory, directoryUploadIssues, mayChangeDirectory, type LocatedIssue } from '../../api/admin-commands';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { readDirectory } from '../../db/directory';
import { diffDirectory } from '../../domain/directory-diff';
import { MAX_FILE_BYTES, readDirectoryFile, type DirectoryFile, type RowError } from '../directory-file';
import { frameFor, requireSession } from '../frame';
import { PendingStore } from '../pending-store';
import type { WebEnv, WebSession } from '../session';
import { ImportPage, type ImportState, type ShownError } from './import';
import { MessagePage } from './message';

const KEY = /^[\w-]{8,100}$/;

interface Pending {
  file: DirectoryFile;
  applied?: Promise<{ units: number; people: number }>;
}

/** A rule's words from the catalogue, else the rule's own message. */
const ruleText = (t: TFunction, rule: string, detail?: string, fallback?: string) =>
  t([`import.rule.${rule}`, fallback ? 'import.rule.asGiven' : 'import.rule.other'], {
    rule,
    detail: detail ?? '',
    message: fallback ?? '',
  });

export const rowErrorsShown = (t: TFunction, errors: RowError[]): ShownError[] =>
  errors.map((e) => ({ row: e.row, column: e.column, text: ruleText(t, e.rule, e.detail) }));

/** The directory's rules' complaints, at the row of the unit or person each concerns. */
function issuesShown(t: TFunction, issues: LocatedIssue[], rows: Record<string, number>): ShownError[] {
  return issues.map((i) => {
    const field =
      i.field
        .split('.')
        .pop()
        ?.replace(/\[\d+\]$/, '') ?? '';
    const column = field === 'fullName' ? 'name' : /^(units|people)$/.test(field) ? null : field;
    const row = i.subject ? (rows[`${i.subject.kind}:${i.subject.id}`] ?? 0) : 0;
    return { row, column, text: ruleText(t, i.rule, undefined, i.message) };
  });
}

export function importRoutes(deps: ApiDeps) {
  // Ten minutes to look at a preview; a few previews per instance at 1 MB each at most.
  const pending = new PendingStore<Pending>(10 * 60_000, 20);

  const render = async (c: Context<WebEnv>, session: WebSession, state: ImportState, status: 200 | 413 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    // htmx swaps only a 2xx answer: a refused upload comes back as one, its errors inside.
    return c.html(<ImportPage frame={frame} state={state} />, c.req.header('hx-request') ? 200 : status);
  };

  /** The signed-in HR or admin, or the page that refuses anyone else. */
  const allowed = async (c: Context<WebEnv>) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    if (mayChangeDirectory(session.caller)) return session;
    const { t } = c.get('speech');
    const frame = await frameFor(c, deps, session);
    return c.html(<MessagePage frame={frame} title={t('import.title')} message={t('import.forbidden')} />, 403);
  };

  return new Hono<WebEnv>()
    .get('/directory/import', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const key = c.req.query('applied');
      const done = key && KEY.test(key) ? pending.get(key, session.caller.id)?.applied : undefined;
      if (done) return render(c, session, { kind: 'applied', ...(await done) });
      return render(c, session, { kind: 'form' });
    })
    .post('/directory/import/preview', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const upload = (await c.req.parseBody({ all: true })).file;
      if (!(upload instanceof File) || upload.size === 0)
        return render(c, session, { kind: 'form', error: t('import.noFile') }, 422);
      if (upload.size > MAX_FILE_BYTES)
        return render(c, session, { kind: 'form', error: t('import.tooLarge', { max: '1 MB' }) }, 413);
      const file = await readDirectoryFile(new Uint8Array(await upload.arrayBuffer()));
      if (file.errors.length > 0)
        return render(c, session, { kind: 'errors', errors: rowErrorsShown(t, file.errors) }, 422);
      const issues = await directoryUploadIssues(deps.sql, file.directory);
      if (issues.length > 0)
        return render(c, session, { kind: 'errors', errors: issuesShown(t, issues, file.rows) }, 422);
      const diff = diffDirectory(await readDirectory(deps.sql), file.directory);
      const key = randomUUID();
      pending.put(key, session.caller.id, { file });
      return render(c, session, { kind: 'preview', key, diff });
    })
    .post('/directory/import/apply', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody();
      const key = typeof form.key === 'string' && KEY.test(form.key) ? form.key : null;
      const entry = key ? pending.get(key, session.caller.id) : undefined;
      if (!key || !entry) return render(c, session, { kind: 'form', error: t('import.expired') }, 422);
      // The first apply of this key does the work; a repeat waits for it and answers the same.
      entry.applied ??= applyDirectory(deps.sql, session.caller, entry.file.directory).catch((err: unknown) => {
        entry.applied = undefined;
        throw err;
      });
      try {
        await entry.applied;
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const details = Array.isArray(err.details) ? (err.details as LocatedIssue[]) : [];
        const errors = details.length > 0 ? issuesShown(t, details, entry.file.rows) : [];
        return render(
          c,
          session,
          errors.length > 0
            ? { kind: 'errors', errors }
            : { kind: 'form', error: t([`refusal.${err.status}`, 'refusal.other']) },
          422,
        );
      }
      const done = `/directory/import?applied=${key}`;
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
