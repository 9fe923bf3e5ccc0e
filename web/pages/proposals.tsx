/**
 * Đề xuất (GET /proposals, POST /proposals/{id}/dismiss): HR's inbox of the automatic proposals, as
 * `GET /v1/proposals?status=open` reads it; each opens a case (the case form, filled from it) or is
 * dismissed with a reason through the API's own `dismissProposalAs`.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { isHr } from '../../api/auth';
import { dismissProposalAs } from '../../api/case-commands';
import type { ApiDeps } from '../../api/deps';
import { LongText } from '../../api/schemas';
import { directoryChoices } from '../../db/directory';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import { listProposals, type ProposalRow } from '../../db/proposals';
import { frameFor, requireSession } from '../frame';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebEnv, WebSession } from '../session';
import { field, refusalByField } from './hr-forms';
import { MessagePage } from './message';

export function ProposalsPage(props: {
  frame: Frame & { session: WebSession };
  proposals: ProposalRow[];
  names: Record<string, string>;
  errors: Record<string, string>;
  done: boolean;
}) {
  const { t, number, dateTime } = props.frame.speech;
  return (
    <Layout frame={props.frame} title={t('proposals.title')}>
      <h1>{t('proposals.title')}</h1>
      {props.done && (
        <p class="notice" role="status">
          {t('proposals.dismissed')}
        </p>
      )}
      {props.proposals.length === 0 && <p>{t('proposals.empty')}</p>}
      {props.proposals.map((p) => {
        const ev = p.evidence as { months?: number; threshold?: number };
        const err = props.errors[p.id];
        return (
          <section class="card" aria-labelledby={`p-${p.id}`}>
            <h2 id={`p-${p.id}`}>
              {t(`proposals.kind.${p.kind}`)}: {props.names[p.personId] ?? p.personId}
            </h2>
            <p>
              {p.kind === 'position-change' && ev.months !== undefined
                ? t('proposals.evidence', {
                    months: number(ev.months),
                    threshold: number(ev.threshold ?? 0),
                    level: t(`proposals.level.${p.level}`, { defaultValue: p.level ?? '' }),
                  })
                : t('proposals.since', { at: dateTime(p.createdAt) })}
            </p>
            <p>
              <a href={`/cases/new?personId=${encodeURIComponent(p.personId)}&proposalId=${encodeURIComponent(p.id)}`}>
                {t('proposals.openCase')}
              </a>
            </p>
            <form
              method="post"
              action={`/proposals/${p.id}/dismiss`}
              hx-post={`/proposals/${p.id}/dismiss`}
              hx-select="main"
              hx-target="main"
              hx-swap="outerHTML"
              hx-disabled-elt="find button"
            >
              <CsrfField session={props.frame.session} />
              <input type="hidden" name="key" value={randomUUID()} />
              <label for={`note-${p.id}`}>{t('proposals.reason')}</label>
              <textarea
                id={`note-${p.id}`}
                name="note"
                rows={2}
                maxlength={5000}
                aria-invalid={err ? 'true' : undefined}
                aria-describedby={err ? `note-${p.id}-error` : undefined}
              ></textarea>
              {err && (
                <p class="error" id={`note-${p.id}-error`}>
                  {err}
                </p>
              )}
              <div class="actions">
                <button type="submit" class="secondary">
                  {t('proposals.dismiss')}
                </button>
              </div>
            </form>
          </section>
        );
      })}
    </Layout>
  );
}

export function proposalRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const render = async (
    c: Context<WebEnv>,
    session: WebSession,
    errors: Record<string, string>,
    status: 200 | 422 = 200,
  ) => {
    const { items } = await listProposals(sql, 'open', { limit: MAX_PAGE_SIZE });
    const names = Object.fromEntries((await directoryChoices(sql)).people.map((p) => [p.id, p.fullName]));
    const frame = await frameFor(c, deps, session);
    return c.html(
      <ProposalsPage
        frame={frame}
        proposals={items}
        names={names}
        errors={errors}
        done={c.req.query('done') === '1'}
      />,
      c.req.header('hx-request') ? 200 : status,
    );
  };
  /** HR only, as `GET /v1/proposals`: anyone else gets the refusal page. */
  const hrSession = async (c: Context<WebEnv>) => {
    const session = requireSession(c);
    if (session instanceof Response || isHr(session.caller)) return session;
    const { t } = c.get('speech');
    const frame = await frameFor(c, deps, session);
    return c.html(<MessagePage frame={frame} title={t('cases.refused403')} message={t('refusal.403')} />, 403);
  };
  return new Hono<WebEnv>()
    .get('/proposals', async (c) => {
      const session = await hrSession(c);
      return session instanceof Response ? session : render(c, session, {});
    })
    .post('/proposals/:id/dismiss', async (c) => {
      const session = await hrSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const id = c.req.param('id');
      const note = LongText.safeParse(field(await c.req.parseBody({ all: true }), 'note'));
      if (!note.success) return render(c, session, { [id]: t('proposals.needsReason') }, 422);
      try {
        await dismissProposalAs(deps, session.caller, id, note.data);
      } catch (err) {
        const errors = refusalByField(t, err, 'note');
        if (!errors) throw err;
        return render(c, session, { [id]: errors.note ?? errors.form }, 422);
      }
      return c.req.header('hx-request')
        ? c.body(null, 200, { 'HX-Redirect': '/proposals?done=1' })
        : c.redirect('/proposals?done=1', 303);
    });
}
