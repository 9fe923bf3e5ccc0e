/**
 * The HR case pages' views: the list, one case (steps, opinions, vote progress, and the actions the
 * reader may take now), and the form that opens a case with its dry run. A secret ballot shows only
 * how many have voted until it closes; nobody's page shows how they voted.
 */
import type { Child } from 'hono/jsx';
import type { CaseView } from '../../api/case-commands';
import { HR_ACTOR } from '../../domain/actors';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

type SignedIn = Frame & { session: WebSession };
export type Names = Record<string, string>;

const ErrorText = (props: { id: string; text: string | undefined }) =>
  props.text ? (
    <p class="error" id={props.id}>
      {props.text}
    </p>
  ) : null;

/** A form posting one case action, carrying the CSRF token and the idempotency key; htmx disables it while in flight. */
export function ActionForm(props: {
  frame: SignedIn;
  action: string;
  formKey: string;
  legend: string;
  error?: string;
  children: Child;
}) {
  return (
    <form
      method="post"
      action={props.action}
      hx-post={props.action}
      hx-select="main"
      hx-target="main"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
      class="card"
    >
      <CsrfField session={props.frame.session} />
      <input type="hidden" name="key" value={props.formKey} />
      <fieldset>
        <legend>{props.legend}</legend>
        {props.error && (
          <p class="alert" role="alert">
            {props.error}
          </p>
        )}
        {props.children}
      </fieldset>
    </form>
  );
}

export function CasesPage(props: { frame: SignedIn; cases: CaseView[]; names: Names; hr: boolean }) {
  const { t, dateTime } = props.frame.speech;
  return (
    <Layout frame={props.frame} title={t('cases.title')}>
      <h1>{t('cases.title')}</h1>
      {props.hr && (
        <p class="actions">
          <a href="/cases/new">{t('cases.open')}</a> <a href="/proposals">{t('proposals.title')}</a>
        </p>
      )}
      {props.cases.length === 0 ? (
        <p>{t('cases.empty')}</p>
      ) : (
        <ul class="cases">
          {props.cases.map((k) => (
            <li class="card">
              <a href={`/cases/${k.id}`}>
                {t(`cases.kind.${k.kind}`)}: {props.names[k.personId] ?? k.personId}
              </a>
              <p>
                {t(`cases.status.${k.status}`)} · {t('cases.stepNow', { step: stepName(t, k.step) })} ·{' '}
                {dateTime(new Date(k.createdAt!))}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** A step's name in words: `opinion:sending-head` is the sending head's opinion. */
export const stepName = (t: SignedIn['speech']['t'], step: string | null) =>
  step ? t(`cases.step.${step.replace(':', '.')}`, { defaultValue: step }) : t('cases.step.none');

export function VoteProgress(props: { frame: SignedIn; c: CaseView; voted: boolean }) {
  const { t, number } = props.frame.speech;
  const { c } = props;
  const vote = c.steps.find((s) => s.name === 'vote');
  const closed = !vote || vote.doneAt !== null || c.status !== 'open';
  const votes = c.votes as { approve?: number; reject?: number; of?: number; cast?: number };
  const secret = c.kind === 'replacement';
  const cast = secret ? (votes.cast ?? 0) : (votes.approve ?? 0) + (votes.reject ?? 0);
  return (
    <section aria-labelledby="votes-title">
      <h2 id="votes-title">{t(secret ? 'cases.votes.secretTitle' : 'cases.votes.title')}</h2>
      {/* Until the vote closes only the count shows, open or secret: totals would tell a voter's choice. */}
      {!closed ? (
        <p>{t('cases.votes.cast', { cast: number(cast), of: number(votes.of ?? 0) })}</p>
      ) : (
        <p>
          {t('cases.votes.totals', {
            approve: number(votes.approve ?? 0),
            reject: number(votes.reject ?? 0),
            of: number(votes.of ?? 0),
          })}
        </p>
      )}
      {props.voted && <p class="notice">{t('cases.votes.youVoted')}</p>}
    </section>
  );
}

export function CasePage(props: {
  frame: SignedIn;
  c: CaseView;
  names: Names;
  voted: boolean;
  notice: string | null;
  children: Child;
}) {
  const { t, dateTime } = props.frame.speech;
  const { c, names } = props;
  const name = (id: string) => (id === HR_ACTOR ? t('cases.hrActor') : (names[id] ?? id));
  const req = c.request as { toUnitId?: string; toRole?: string; effectiveDate?: string; reason?: string };
  return (
    <Layout
      frame={props.frame}
      title={t('cases.caseTitle', { kind: t(`cases.kind.${c.kind}`), name: name(c.personId) })}
    >
      <h1>{t('cases.caseTitle', { kind: t(`cases.kind.${c.kind}`), name: name(c.personId) })}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <dl class="facts">
        <dt>{t('cases.statusLabel')}</dt>
        <dd>{t(`cases.status.${c.status}`)}</dd>
        <dt>{t('cases.stepLabel')}</dt>
        <dd>{stepName(t, c.step)}</dd>
        {req.toUnitId && (
          <>
            <dt>{t('cases.to')}</dt>
            <dd>
              {names[`unit:${req.toUnitId}`] ?? req.toUnitId} · {t(`cases.role.${req.toRole}`)}
            </dd>
            <dt>{t('cases.effectiveDate')}</dt>
            <dd>{req.effectiveDate}</dd>
          </>
        )}
        {req.reason && (
          <>
            <dt>{t('cases.reason')}</dt>
            <dd>{req.reason}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('cases.steps')}</h2>
        <ol class="steps">
          {c.steps.map((s) => (
            <li>
              <strong>{stepName(t, s.name)}</strong> ({s.actorIds.map(name).join(', ')}):{' '}
              {s.doneAt
                ? t('cases.stepDone', {
                    at: dateTime(new Date(s.doneAt)),
                    outcome:
                      s.name === 'vote' ? '' : t(`cases.outcome.${s.outcome}`, { defaultValue: s.outcome ?? '' }),
                  })
                : s.dueAt
                  ? t('cases.stepDue', { at: dateTime(new Date(s.dueAt)) })
                  : t('cases.stepWaiting')}
              {s.note && s.name.startsWith('opinion:') && <p class="hint">{s.note}</p>}
            </li>
          ))}
        </ol>
      </section>
      {c.steps.some((s) => s.name === 'vote') && <VoteProgress frame={props.frame} c={c} voted={props.voted} />}
      {props.children}
    </Layout>
  );
}

export interface OpenCaseState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The dry run's words, once it passed. */
  verdict: string[] | null;
  key: string;
  /** Deferrals a refusal named, which the person may ask to set aside; and those the form waives. */
  waivable: string[];
  waived: string[];
}

export function OpenCasePage(props: {
  frame: SignedIn;
  state: OpenCaseState;
  people: { id: string; fullName: string }[];
  units: { id: string; name: string }[];
}) {
  const { t } = props.frame.speech;
  const { values: v, errors: e } = props.state;
  const described = (f: string) => (e[f] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${f}-error` } : {});
  const select = (f: string, options: { value: string; label: string }[]) => (
    <>
      <label for={f}>{t(`cases.field.${f}`)}</label>
      <select id={f} name={f} {...described(f)}>
        {options.map((o) => (
          <option value={o.value} selected={v[f] === o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`${f}-error`} text={e[f]} />
    </>
  );
  return (
    <Layout frame={props.frame} title={t('cases.open')}>
      <h1>{t('cases.open')}</h1>
      <form
        method="post"
        action="/cases/new"
        hx-post="/cases/new"
        hx-select="main"
        hx-target="main"
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
      >
        <CsrfField session={props.frame.session} />
        <input type="hidden" name="key" value={props.state.key} />
        {v.proposalId && <input type="hidden" name="proposalId" value={v.proposalId} />}
        {e.form && (
          <p class="alert" role="alert">
            {e.form}
          </p>
        )}
        {select(
          'kind',
          ['transfer', 'rotation', 'position-change', 'replacement'].map((k) => ({
            value: k,
            label: t(`cases.kind.${k}`),
          })),
        )}
        {select(
          'personId',
          props.people.map((p) => ({ value: p.id, label: p.fullName })),
        )}
        {select(
          'toUnitId',
          props.units.map((u) => ({ value: u.id, label: u.name })),
        )}
        {select(
          'toRole',
          ['staff', 'deputy', 'head'].map((r) => ({ value: r, label: t(`cases.role.${r}`) })),
        )}
        <label for="effectiveDate">{t('cases.field.effectiveDate')}</label>
        <input
          type="date"
          id="effectiveDate"
          name="effectiveDate"
          value={v.effectiveDate ?? ''}
          {...described('effectiveDate')}
        />
        <ErrorText id="effectiveDate-error" text={e.effectiveDate} />
        <label for="termMonths">{t('cases.field.termMonths')}</label>
        <input
          type="number"
          id="termMonths"
          name="termMonths"
          min={1}
          max={1200}
          value={v.termMonths ?? ''}
          {...described('termMonths')}
        />
        <ErrorText id="termMonths-error" text={e.termMonths} />
        <label for="reason">{t('cases.field.reason')}</label>
        <textarea id="reason" name="reason" rows={3} maxlength={5000} {...described('reason')}>
          {v.reason ?? ''}
        </textarea>
        <ErrorText id="reason-error" text={e.reason} />
        {props.state.waivable.length > 0 && (
          <fieldset>
            <legend>{t('cases.waivers')}</legend>
            {props.state.waivable.map((rule) => (
              <div class="choice">
                <input
                  type="checkbox"
                  name="waive"
                  id={`waive-${rule}`}
                  value={rule}
                  checked={props.state.waived.includes(rule)}
                />
                <label for={`waive-${rule}`}>
                  {t('cases.waive', {
                    reason: t(`hrRules.deferralReason.${rule.split(':')[1]}`, { defaultValue: rule }),
                  })}
                </label>
              </div>
            ))}
            <label for="waiverNote">{t('cases.waiverNote')}</label>
            <textarea id="waiverNote" name="waiverNote" rows={2} maxlength={5000} {...described('waivers')}>
              {v.waiverNote ?? ''}
            </textarea>
            <ErrorText id="waivers-error" text={e.waivers} />
          </fieldset>
        )}
        {props.state.verdict && (
          <div class="notice" role="status" id="verdict">
            {props.state.verdict.map((line) => (
              <p>{line}</p>
            ))}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="secondary" name="action" value="check">
            {t('cases.check')}
          </button>
          <button type="submit" name="action" value="open">
            {t('cases.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
