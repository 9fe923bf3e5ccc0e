/**
 * GET /complaints and POST /complaints/{id}: the complaints waiting on the reader, read by the
 * same function as `GET /v1/me/complaints`, each resolved by the API's own command
 * (`resolveGradeComplaint`, as `POST /v1/complaints/{id}/resolution`).
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { TFunction } from 'i18next';
import { resolveGradeComplaint } from '../../api/cycle-commands';
import { complaintsToResolve } from '../../api/cycle-reads';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { ResolutionBody } from '../../api/schemas';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { refusalWords } from './board';
import { ComplaintsPage, type InboxItem } from './complaints';
import { refusalText } from './plan-routes';

const KEY = /^[\w-]{8,100}$/;

/** A refused resolution in words, next to the field it concerns. */
function resolutionErrors(t: TFunction, err: HttpError): InboxItem['errors'] {
  const details = (err.details ?? {}) as {
    rule?: string;
    field?: string;
    breaches?: { rule: string; personId?: string; message: string }[];
  };
  if (err.status === 422 && details.rule === 'rationale') return { rationale: t('field.required') };
  if (err.status === 422 && details.breaches?.length) {
    const words = details.breaches.map(({ rule, personId, message, ...rest }) =>
      refusalWords(t, { rule, field: 'grade', personId, message, details: rest }, (id) => id),
    );
    return { grade: words.join(' ') };
  }
  if (err.status === 400 && details.field === 'grade') return { grade: t('complaints.gradeNeeded') };
  return { form: refusalText(t, err) ?? t('refusal.other') };
}

export function complaintsRoutes(deps: ApiDeps) {
  const render = async (
    c: Context<WebEnv>,
    session: WebSession,
    opts: { notice?: string; refused?: { id: string; item: Partial<InboxItem> } } = {},
  ) => {
    const items: InboxItem[] = (await complaintsToResolve(deps.sql, session.caller)).map((x) => ({
      ...x,
      sent: { outcome: 'upheld', grade: '', rationale: '' },
      errors: {},
      idempotencyKey: randomUUID(),
      ...(opts.refused?.id === x.id ? opts.refused.item : {}),
    }));
    const status = opts.refused && !c.req.header('hx-request') ? 422 : 200;
    return c.html(
      <ComplaintsPage
        frame={await frameFor(c, deps, session)}
        items={items}
        notice={opts.notice ?? null}
        alert={
          opts.refused && !items.some((i) => i.id === opts.refused!.id)
            ? (Object.values(opts.refused.item.errors ?? {})[0] ?? undefined)
            : undefined
        }
        now={new Date()}
      />,
      status,
    );
  };

  return new Hono<WebEnv>()
    .get('/complaints', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      return render(c, session, c.req.query('resolved') === '1' ? { notice: t('complaints.resolved') } : {});
    })
    .post('/complaints/:id', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const id = c.req.param('id');
      const form = await c.req.parseBody({ all: true });
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const key = KEY.test(field('key')) ? field('key') : randomUUID();
      const sent = { outcome: field('outcome'), grade: field('grade'), rationale: field('rationale') };
      const refused = (errors: InboxItem['errors']) =>
        render(c, session, { refused: { id, item: { sent, errors, idempotencyKey: key } } });
      const checked = ResolutionBody.safeParse({
        outcome: sent.outcome,
        rationale: sent.rationale,
        ...(sent.grade ? { grade: sent.grade } : {}),
      });
      if (!checked.success) {
        const errors: InboxItem['errors'] = {};
        for (const issue of checked.error.issues) {
          const f = issue.path[0];
          if (f === 'rationale') errors.rationale = t('field.required');
          else if (f === 'grade') errors.grade = t('field.invalid');
          else errors.form = t('complaints.chooseOutcome');
        }
        return refused(errors);
      }
      try {
        await resolveGradeComplaint(deps, session.caller, id, checked.data, key);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return refused(resolutionErrors(t, err));
      }
      const done = '/complaints?resolved=1';
      if (c.req.header('hx-request')) return c.body(null, 200, { 'HX-Redirect': done });
      return c.redirect(done, 303);
    });
}
