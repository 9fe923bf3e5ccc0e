/**
 * Khiếu nại chờ giải quyết: the complaints waiting on the reader (the head), each with its
 * resolution form: uphold the grade, or change it, always with a rationale.
 */
import { GRADE_ORDER } from '../../domain/scoring';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

export interface InboxItem {
  id: string;
  period: string;
  unitId: string;
  personId: string;
  fullName: string | null;
  reason: string;
  finalGrade: string | null;
  dueAt: string;
  createdAt: string;
  /** The form as last sent, and what was refused about it, in the reader's words. */
  sent: { outcome: string; grade: string; rationale: string };
  errors: { outcome?: string; grade?: string; rationale?: string; form?: string };
  idempotencyKey: string;
}

function ResolutionForm(props: { frame: Frame & { session: WebSession }; item: InboxItem }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const c = props.item;
  const id = (f: string) => `c-${c.id}-${f}`;
  const err = (f: 'grade' | 'rationale') =>
    c.errors[f] ? (
      <p class="error" id={id(`${f}-error`)}>
        {c.errors[f]}
      </p>
    ) : null;
  return (
    <form
      method="post"
      action={`/complaints/${c.id}`}
      hx-post={`/complaints/${c.id}`}
      hx-target="#main"
      hx-select="#main"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
      hx-indicator={`#${id('progress')}`}
    >
      <CsrfField session={session} />
      <input type="hidden" name="key" value={c.idempotencyKey} />
      {c.errors.form && (
        <p class="alert" role="alert">
          {c.errors.form}
        </p>
      )}
      <fieldset>
        <legend>{t('complaints.decision')}</legend>
        {(['upheld', 'changed'] as const).map((o) => (
          <label class="choice">
            <input type="radio" name="outcome" value={o} checked={c.sent.outcome === o} />{' '}
            {t(`complaints.outcome.${o}`)}
          </label>
        ))}
      </fieldset>
      <label for={id('grade')}>{t('complaints.newGrade')}</label>
      <select
        id={id('grade')}
        name="grade"
        aria-invalid={c.errors.grade ? 'true' : undefined}
        aria-describedby={c.errors.grade ? id('grade-error') : undefined}
      >
        <option value="">{t('complaints.keepGrade')}</option>
        {GRADE_ORDER.map((g) => (
          <option value={g} selected={c.sent.grade === g}>
            {t(`board.grade.${g}`)}
          </option>
        ))}
      </select>
      {err('grade')}
      <label for={id('rationale')}>{t('complaints.rationale')}</label>
      <textarea
        id={id('rationale')}
        name="rationale"
        rows={3}
        maxlength={4000}
        aria-invalid={c.errors.rationale ? 'true' : undefined}
        aria-describedby={c.errors.rationale ? id('rationale-error') : undefined}
      >
        {c.sent.rationale}
      </textarea>
      {err('rationale')}
      <div class="actions">
        <button type="submit">{t('complaints.resolve')}</button>
        <p id={id('progress')} class="htmx-indicator progress" role="status">
          {t('board.sending')}
        </p>
      </div>
    </form>
  );
}

export function ComplaintsPage(props: {
  frame: Frame & { session: WebSession };
  items: InboxItem[];
  notice: string | null;
  /** A refusal about a complaint not (or no longer) listed here. */
  alert?: string;
  now: Date;
}) {
  const { speech } = props.frame;
  const { t } = speech;
  return (
    <Layout frame={props.frame} title={t('complaints.title')}>
      <h1>{t('complaints.title')}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.alert && (
        <p class="alert" role="alert">
          {props.alert}
        </p>
      )}
      {props.items.length === 0 && <p>{t('complaints.empty')}</p>}
      <ul class="tasks">
        {props.items.map((c) => (
          <li class="task">
            <h2>{t('complaints.from', { name: c.fullName ?? c.personId, period: c.period })}</h2>
            <p>
              {t('complaints.grade', {
                grade: c.finalGrade ? t(`board.grade.${c.finalGrade}`) : t('board.grade.none'),
              })}
            </p>
            <p>
              {t('complaints.due', {
                at: speech.dateTime(new Date(c.dueAt)),
                left: speech.relative(new Date(c.dueAt), props.now),
              })}
            </p>
            <blockquote>{c.reason}</blockquote>
            <ResolutionForm frame={props.frame} item={c} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}
