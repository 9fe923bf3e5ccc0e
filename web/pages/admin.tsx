/**
 * Quản trị: the stored holidays and a form to add one, a year's suggested holidays to confirm, a
 * cycle's deadlines moved, a token issued (shown once) and every token listed with its revoke
 * button. Each form posts to its own path and the page comes back with its outcome.
 */
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';
import { TokenList, type TokenItem } from './token-list';

export const DEADLINE_FIELDS = ['plan', 'selfAssessment', 'review', 'deliberation', 'complaints'] as const;
export type DeadlineField = (typeof DEADLINE_FIELDS)[number];

export interface AdminState {
  holidays: { date: string; name: string }[];
  holiday: { date: string; name: string; errors: Partial<Record<'date' | 'name', string>>; stored: boolean };
  deadlines: {
    unitId: string;
    period: string;
    values: Partial<Record<DeadlineField, string>>;
    key: string;
    errors: Partial<Record<'unitId' | 'period' | DeadlineField, string>>;
    formError: string | null;
    moved: boolean;
  };
  token: {
    personId: string;
    roles: string[];
    /** `datetime-local` in Hanoi's time; the default lifetime's end when the form is new. */
    expiresAt: string;
    expiryError: string | null;
    key: string;
    error: string | null;
    issued: { token: string | null; tokenId: string } | null;
  };
  suggested: {
    year: number;
    years: number[];
    days: { date: string; name: string; kind: 'holiday' | 'substitute'; confirmed: boolean }[];
    key: string;
    /** How many days the last confirmation stored (0 when all were already stored). */
    confirmed: number | null;
    error?: string;
  };
  tokens: { list: TokenItem[]; error: string | null; revoked: string | null };
}

type PageFrame = Frame & { session: WebSession };

function Field(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  type?: string;
  hint?: string;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].join(' ').trim();
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        type={props.type ?? 'text'}
        id={props.id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </>
  );
}

const formAttrs = (action: string) => ({
  method: 'post' as const,
  action,
  'hx-post': action,
  'hx-target': 'main',
  'hx-select': 'main',
  'hx-swap': 'outerHTML',
  'hx-disabled-elt': 'find button',
});

function Holidays({ frame, s }: { frame: PageFrame; s: AdminState }) {
  const { t } = frame.speech;
  return (
    <section aria-labelledby="holidays-title">
      <h2 id="holidays-title">{t('admin.holidays.title')}</h2>
      {s.holiday.stored && (
        <p class="notice" role="status">
          {t('admin.holidays.stored')}
        </p>
      )}
      {s.holidays.length === 0 ? (
        <p>{t('admin.holidays.none')}</p>
      ) : (
        <table id="holiday-list">
          <thead>
            <tr>
              <th scope="col">{t('admin.holidays.date')}</th>
              <th scope="col">{t('admin.holidays.name')}</th>
            </tr>
          </thead>
          <tbody>
            {s.holidays.map((h) => (
              <tr>
                <td>{frame.speech.date(h.date)}</td>
                <td>{h.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form {...formAttrs('/admin/holidays')}>
        <CsrfField session={frame.session} />
        <Field
          id="holiday-date"
          name="date"
          type="date"
          label={t('admin.holidays.date')}
          value={s.holiday.date}
          error={s.holiday.errors.date}
        />
        <Field
          id="holiday-name"
          name="name"
          label={t('admin.holidays.name')}
          value={s.holiday.name}
          error={s.holiday.errors.name}
        />
        <div class="actions">
          <button type="submit">{t('admin.holidays.add')}</button>
        </div>
      </form>
    </section>
  );
}

function Suggested({ frame, s }: { frame: PageFrame; s: AdminState['suggested'] }) {
  const { t } = frame.speech;
  const open = s.days.filter((d) => !d.confirmed).length;
  return (
    <section aria-labelledby="suggested-title" id="suggested">
      <h2 id="suggested-title">{t('admin.suggested.title', { year: s.year })}</h2>
      <p class="hint">{t('admin.suggested.note')}</p>
      <form method="get" action="/admin#suggested">
        <label for="suggested-year">{t('admin.suggested.year')}</label>
        <select id="suggested-year" name="year">
          {s.years.map((y) => (
            <option value={String(y)} selected={y === s.year}>
              {String(y)}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit" class="secondary">
            {t('admin.suggested.show')}
          </button>
        </div>
      </form>
      {s.error && (
        <p class="alert" role="alert">
          {s.error}
        </p>
      )}
      {s.confirmed !== null && (
        <p class="notice" role="status">
          {t('admin.suggested.done', { count: s.confirmed })}
        </p>
      )}
      <div class="scroll">
        <table id="suggested-list">
          <thead>
            <tr>
              <th scope="col">{t('admin.holidays.date')}</th>
              <th scope="col">{t('admin.holidays.name')}</th>
              <th scope="col">{t('admin.suggested.state')}</th>
            </tr>
          </thead>
          <tbody>
            {s.days.map((d) => (
              <tr>
                <td>{frame.speech.date(d.date)}</td>
                <td>{d.name}</td>
                <td class="suggested-state">{t(d.confirmed ? 'admin.suggested.yes' : 'admin.suggested.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open > 0 && (
        <form {...formAttrs('/admin/holidays/suggested')}>
          <CsrfField session={frame.session} />
          <input type="hidden" name="key" value={s.key} />
          <input type="hidden" name="year" value={String(s.year)} />
          <div class="actions">
            <button type="submit">
              <span class="idle">{t('admin.suggested.confirm', { count: open })}</span>
              <span class="busy">{t('plan.sending')}</span>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Deadlines({ frame, s }: { frame: PageFrame; s: AdminState['deadlines'] }) {
  const { t } = frame.speech;
  return (
    <section aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t('admin.deadlines.title')}</h2>
      {s.moved && (
        <p class="notice" role="status">
          {t('admin.deadlines.moved')}
        </p>
      )}
      {s.formError && (
        <p class="alert" role="alert">
          {s.formError}
        </p>
      )}
      <form {...formAttrs('/admin/deadlines')}>
        <CsrfField session={frame.session} />
        <input type="hidden" name="key" value={s.key} />
        <Field id="dl-unit" name="unitId" label={t('admin.deadlines.unit')} value={s.unitId} error={s.errors.unitId} />
        <Field
          id="dl-period"
          name="period"
          type="month"
          label={t('admin.deadlines.period')}
          value={s.period}
          error={s.errors.period}
        />
        <p class="hint" id="dl-hint">
          {t('admin.deadlines.hint')}
        </p>
        {DEADLINE_FIELDS.map((f) => (
          <Field
            id={`dl-${f}`}
            name={f}
            type="datetime-local"
            label={t(`admin.deadlines.field.${f}`)}
            value={s.values[f] ?? ''}
            error={s.errors[f]}
          />
        ))}
        <div class="actions">
          <button type="submit">{t('admin.deadlines.submit')}</button>
        </div>
      </form>
    </section>
  );
}

function Tokens({ frame, s, list }: { frame: PageFrame; s: AdminState['token']; list: AdminState['tokens'] }) {
  const { t } = frame.speech;
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('admin.tokens.title')}</h2>
      <p>{t('admin.tokens.intro')}</p>
      {s.issued && (
        <div class="notice" role="status">
          <p>{t('admin.tokens.issued', { id: s.issued.tokenId })}</p>
          {s.issued.token ? (
            <p>
              <code id="issued-token">{s.issued.token}</code>
            </p>
          ) : (
            <p>{t('admin.tokens.shownOnce')}</p>
          )}
        </div>
      )}
      {s.error && (
        <p class="alert" role="alert">
          {s.error}
        </p>
      )}
      <form {...formAttrs('/admin/tokens')}>
        <CsrfField session={frame.session} />
        <input type="hidden" name="key" value={s.key} />
        <Field id="tok-person" name="personId" label={t('admin.tokens.person')} value={s.personId} />
        <Field
          id="tok-expires"
          name="expiresAt"
          type="datetime-local"
          label={t('admin.tokens.expiresAt')}
          hint={t('admin.tokens.expiresHint')}
          value={s.expiresAt}
          error={s.expiryError ?? undefined}
        />
        <fieldset>
          <legend>{t('admin.tokens.roles')}</legend>
          {['hr', 'admin'].map((r) => (
            <label class="check">
              <input type="checkbox" name="roles" value={r} checked={s.roles.includes(r)} />{' '}
              {t(`admin.tokens.role.${r}`)}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t('admin.tokens.submit')}</button>
        </div>
      </form>
      <h3>{t('admin.tokens.listTitle')}</h3>
      <TokenList frame={frame} tokens={list.list} base="/admin/tokens" error={list.error} revoked={list.revoked} />
    </section>
  );
}

export function AdminPage({ frame, state }: { frame: PageFrame; state: AdminState }) {
  const { t } = frame.speech;
  return (
    <Layout frame={frame} title={t('admin.title')}>
      <h1>{t('admin.title')}</h1>
      <Holidays frame={frame} s={state} />
      <Suggested frame={frame} s={state.suggested} />
      <Deadlines frame={frame} s={state.deadlines} />
      <Tokens frame={frame} s={state.token} list={state.tokens} />
    </Layout>
  );
}
