/**
 * Kết quả: a unit's published grades for a month, as the API's results read gives them, and for a
 * member inside the complaint window, the time left and a complaint form.
 */
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

export interface ResultsState {
  unitId: string;
  period: string;
  phase: string;
  results: { personId: string; fullName: string | null; finalGrade: string | null; total: number | null }[];
  /** For a member of the unit: the window and their complaints; null for everyone else. */
  complaint: null | {
    windowEndsAt: Date | null;
    open: boolean;
    mine: { status: string; outcome: string | null; grade: string | null; createdAt: Date }[];
    reason: string;
    reasonError: string | null;
    formError: string | null;
    idempotencyKey: string;
  };
  notice: string | null;
}

export function ResultsPage(props: { frame: Frame & { session: WebSession }; state: ResultsState; now: Date }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const s = props.state;
  const title = t('results.title', { unit: s.unitId, period: s.period });
  const me = session.caller.id;
  const c = s.complaint;
  const grade = (g: string | null) => (g ? t(`board.grade.${g}`) : t('board.grade.none'));
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      {s.notice && (
        <p class="notice" role="status">
          {s.notice}
        </p>
      )}
      <p>{t(s.phase === 'locked' ? 'results.locked' : 'results.published')}</p>
      <table class="results">
        <caption class="sr">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.person')}</th>
            <th scope="col">{t('results.total')}</th>
            <th scope="col">{t('results.grade')}</th>
          </tr>
        </thead>
        <tbody>
          {s.results.map((r) => (
            <tr class={r.personId === me ? 'mine' : undefined}>
              <th scope="row">{r.fullName ?? r.personId}</th>
              <td>{r.total === null ? '—' : speech.number(r.total)}</td>
              <td>{grade(r.finalGrade)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {c && (
        <section aria-labelledby="complaint-title">
          <h2 id="complaint-title">{t('results.complaintTitle')}</h2>
          {c.mine.map((m) => (
            <p class="facts">
              {t(`results.mine.${m.status === 'open' ? 'open' : 'resolved'}`, {
                at: speech.dateTime(m.createdAt),
                outcome: m.outcome ? t(`complaints.outcome.${m.outcome}`) : '',
                grade: grade(m.grade),
              })}
            </p>
          ))}
          {c.open && c.windowEndsAt ? (
            <form
              method="post"
              action={`/results/${s.unitId}/${s.period}/complaint`}
              hx-post={`/results/${s.unitId}/${s.period}/complaint`}
              hx-target="#main"
              hx-select="#main"
              hx-swap="outerHTML"
              hx-disabled-elt="find button"
              hx-indicator="#complaint-progress"
            >
              <p id="window-left">
                {t('results.windowLeft', {
                  at: speech.dateTime(c.windowEndsAt),
                  left: speech.relative(c.windowEndsAt, props.now),
                })}
              </p>
              {c.formError && (
                <p class="alert" role="alert">
                  {c.formError}
                </p>
              )}
              <CsrfField session={session} />
              <input type="hidden" name="key" value={c.idempotencyKey} />
              <label for="reason">{t('results.reason')}</label>
              <textarea
                id="reason"
                name="reason"
                rows={4}
                maxlength={4000}
                aria-invalid={c.reasonError ? 'true' : undefined}
                aria-describedby={c.reasonError ? 'reason-error window-left' : 'window-left'}
              >
                {c.reason}
              </textarea>
              {c.reasonError && (
                <p class="error" id="reason-error">
                  {c.reasonError}
                </p>
              )}
              <div class="actions">
                <button type="submit">{t('results.complain')}</button>
                <p id="complaint-progress" class="htmx-indicator progress" role="status">
                  {t('board.sending')}
                </p>
              </div>
            </form>
          ) : (
            <p>{t('results.windowClosed')}</p>
          )}
        </section>
      )}
    </Layout>
  );
}
