/**
 * Leo thang (GET/POST /escalations): the escalations open for the reader, read as `GET /v1/escalations`
 * reads them, each with the four decisions and what each will do; a decision goes through the API's
 * own command (`decideEscalationAs`), the form's idempotency key becoming its update ID.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { identities } from '../../api/auth';
import { decideEscalationAs } from '../../api/commands';
import type { ApiDeps } from '../../api/deps';
import { escalationsFor } from '../../api/read-model';
import { DecisionBody } from '../../api/schemas';
import { loadNeighbourhood } from '../../db/directory';
import { findEscalation } from '../../db/escalations';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import { collectiveOf } from '../../domain/scope';
import { frameFor, requireSession } from '../frame';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebEnv, WebSession } from '../session';
import { field, formKey, refusalByField, schemaErrors } from './hr-forms';
import { MessagePage } from './message';

type Escalation = Awaited<ReturnType<typeof escalationsFor>>['items'][number];
const ACTIONS = ['extend', 'take-over', 'reassign', 'accept-default'] as const;
/** A date picked on the page means the end of that working day in Hanoi. */
const endOfDay = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T17:00:00+07:00` : date);

interface Card {
  esc: Escalation;
  names: Record<string, string>;
  /** Whom a reassignment may name: the leaders of the unit, not the person. */
  assignees: string[];
  errors: Record<string, string>;
  key: string;
}

function EscalationCard(props: { frame: Frame & { session: WebSession }; card: Card; now: Date }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const { esc, errors, names } = props.card;
  const id = (f: string) => `esc-${esc.id}-${f}`;
  const err = (f: string) =>
    errors[f] && (
      <p class="error" id={id(`${f}-error`)}>
        {errors[f]}
      </p>
    );
  const due = esc.dueAt ? new Date(esc.dueAt) : null;
  return (
    <section class="card" aria-labelledby={id('title')}>
      <h2 id={id('title')}>
        {t('escalations.about', {
          step: t(`escalations.kind.${esc.kind}`, { defaultValue: esc.kind }),
          name: names[esc.personId] ?? esc.personId,
        })}
      </h2>
      <dl class="facts">
        <dt>{t('escalations.period')}</dt>
        <dd>{esc.period}</dd>
        <dt>{t('escalations.level')}</dt>
        <dd>{speech.number(esc.level)}</dd>
        {due && (
          <>
            <dt>{t('escalations.due')}</dt>
            <dd>
              {speech.dateTime(due)} · {speech.relative(due, props.now)}
            </dd>
          </>
        )}
      </dl>
      <form
        method="post"
        action={`/escalations/${esc.id}`}
        hx-post={`/escalations/${esc.id}`}
        hx-target="closest section"
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
      >
        <CsrfField session={session} />
        <input type="hidden" name="key" value={props.card.key} />
        {errors.form && (
          <p class="alert" role="alert">
            {errors.form}
          </p>
        )}
        <fieldset>
          <legend>{t('escalations.decision')}</legend>
          {ACTIONS.map((a, i) => (
            <div class="choice">
              <input
                type="radio"
                name="action"
                id={id(a)}
                value={a}
                checked={i === 0}
                aria-describedby={id(`${a}-hint`)}
              />
              <label for={id(a)}>{t(`escalations.action.${a}`)}</label>
              <p class="hint" id={id(`${a}-hint`)}>
                {t(`escalations.effect.${a}`)}
              </p>
            </div>
          ))}
          {err('action')}
        </fieldset>
        <label for={id('until')}>{t('escalations.until')}</label>
        <input
          type="date"
          id={id('until')}
          name="until"
          aria-invalid={errors.until ? 'true' : undefined}
          aria-describedby={errors.until ? id('until-error') : undefined}
        />
        {err('until')}
        <label for={id('assigneeId')}>{t('escalations.assignee')}</label>
        <select
          id={id('assigneeId')}
          name="assigneeId"
          aria-invalid={errors.assigneeId ? 'true' : undefined}
          aria-describedby={errors.assigneeId ? id('assigneeId-error') : undefined}
        >
          <option value="">{t('escalations.nobody')}</option>
          {props.card.assignees.map((p) => (
            <option value={p}>{names[p] ?? p}</option>
          ))}
        </select>
        {err('assigneeId')}
        <label for={id('note')}>{t('escalations.note')}</label>
        <textarea id={id('note')} name="note" rows={2} maxlength={5000}></textarea>
        {err('note')}
        <div class="actions">
          <button type="submit">{t('escalations.submit')}</button>
        </div>
      </form>
    </section>
  );
}

export function escalationRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const open = async (session: WebSession) =>
    (await escalationsFor(sql, identities(session.caller), 'open', { limit: MAX_PAGE_SIZE })).items;
  const cardOf = async (
    esc: Escalation,
    errors: Record<string, string> = {},
    key: string = randomUUID(),
  ): Promise<Card> => {
    const dir = await loadNeighbourhood(sql, esc.unitId);
    const names = Object.fromEntries(dir.people.map((p) => [p.id, p.fullName]));
    const assignees = collectiveOf(dir, esc.unitId).filter((p) => p !== esc.personId);
    return { esc, names, assignees, errors, key };
  };
  const page = async (
    c: Context<WebEnv>,
    session: WebSession,
    cards: Card[],
    done: boolean,
    status: 200 | 422 = 200,
  ) => {
    const frame = await frameFor(c, deps, session);
    const { t } = frame.speech;
    const now = new Date();
    return c.html(
      <Layout frame={frame} title={t('escalations.title')}>
        <h1>{t('escalations.title')}</h1>
        {done && (
          <p class="notice" role="status">
            {t('escalations.decided')}
          </p>
        )}
        {cards.length === 0 ? (
          <p>{t('escalations.empty')}</p>
        ) : (
          cards.map((card) => <EscalationCard frame={frame} card={card} now={now} />)
        )}
      </Layout>,
      status,
    );
  };

  return new Hono<WebEnv>()
    .get('/escalations', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const cards = await Promise.all((await open(session)).map((e) => cardOf(e)));
      return page(c, session, cards, c.req.query('done') === '1');
    })
    .post('/escalations/:id', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const mine = await open(session);
      const esc = mine.find((e) => e.id === c.req.param('id'));
      const key = formKey(form);
      const done = () =>
        c.req.header('hx-request')
          ? c.body(null, 200, { 'HX-Redirect': '/escalations?done=1' })
          : c.redirect('/escalations?done=1', 303);
      if (!esc || !key) {
        // A repeat of the reader's own decision lands where the first did; anything else is not theirs to decide.
        const stored = await findEscalation(sql, c.req.param('id'));
        if (stored && (stored.decision as { by?: string } | null)?.by === session.caller.id) return done();
        const frame = await frameFor(c, deps, session);
        const status = stored ? 403 : 404;
        return c.html(
          <MessagePage frame={frame} title={t('escalations.title')} message={t(`refusal.${status}`)} />,
          status,
        );
      }
      const until = field(form, 'until');
      const checked = DecisionBody.safeParse({
        action: field(form, 'action'),
        ...(until ? { until: endOfDay(until) } : {}),
        ...(field(form, 'assigneeId') ? { assigneeId: field(form, 'assigneeId') } : {}),
        ...(field(form, 'note') ? { note: field(form, 'note') } : {}),
      });
      let errors: Record<string, string> | null = checked.success ? null : schemaErrors(t, checked.error);
      if (checked.success) {
        try {
          await decideEscalationAs(deps, session.caller, esc.id, checked.data, key);
          return done();
        } catch (err) {
          errors = refusalByField(t, err);
          if (!errors) throw err;
        }
      }
      const card = await cardOf(esc, errors ?? {}, key);
      if (c.req.header('hx-request'))
        return c.html(<EscalationCard frame={await frameFor(c, deps, session)} card={card} now={new Date()} />, 200);
      const cards = await Promise.all(mine.map((e) => (e.id === esc.id ? card : cardOf(e))));
      return page(c, session, cards, false, 422);
    });
}
