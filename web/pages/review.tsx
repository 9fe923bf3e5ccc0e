/**
 * Đánh giá cán bộ: the reviewer's queue, and for one person the self-assessment beside a field
 * per criterion of the review, with the total and band as the reviewer types; filed once.
 */
import type { Grade } from '../../domain/types';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';
import { ScoreFields, ScoreSummary } from './scores';
import { CommentField, PlanShown, type ScoredFormState } from './self-assessment';

export interface QueueRow {
  period: string;
  personId: string;
  name: string;
  dueAt: Date | null;
}

export function ReviewQueuePage(props: { frame: Frame; rows: QueueRow[]; now: Date }) {
  const { speech } = props.frame;
  const { t } = speech;
  return (
    <Layout frame={props.frame} title={t('review.queueTitle')}>
      <h1>{t('review.queueTitle')}</h1>
      {props.rows.length === 0 ? (
        <p>{t('review.queueEmpty')}</p>
      ) : (
        <ul class="tasks">
          {props.rows.map((r) => {
            const overdue = r.dueAt !== null && r.dueAt.getTime() < props.now.getTime();
            return (
              <li class={overdue ? 'task overdue' : 'task'}>
                <h2>
                  <a href={`/review/${r.period}/${r.personId}`}>{t('review.of', { name: r.name, period: r.period })}</a>{' '}
                  {overdue && <span class="badge">{t('tasks.overdue')}</span>}
                </h2>
                <p>
                  {t('tasks.dueHeader')}:{' '}
                  {r.dueAt
                    ? `${speech.dateTime(r.dueAt)} · ${speech.relative(r.dueAt, props.now)}`
                    : t('tasks.noDeadline')}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

type Props = {
  frame: Frame & { session: WebSession };
  state: ScoredFormState;
  now: Date;
  person: string;
  self: { total: number | null; grade: Grade | null };
};

export function ReviewForm({ frame, state: s, now, self }: Props) {
  const { speech, session } = frame;
  const { t } = speech;
  const e = s.evaluation;
  const url = `/review/${e.period}/${e.personId}`;
  const deadline = new Date(e.deadlines.review);
  return (
    <form
      id="review-form"
      method="post"
      action={url}
      hx-post={url}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disabled-elt="find button[type=submit]"
    >
      {s.accepted && (
        <p class="notice" role="status">
          {t('review.accepted')}
        </p>
      )}
      {s.formError && (
        <p class="alert" role="alert" id="form-error">
          {s.formError}
        </p>
      )}
      <dl class="facts">
        <dt>{t('tasks.dueHeader')}</dt>
        <dd>
          {speech.dateTime(deadline)} · {speech.relative(deadline, now)}
        </dd>
        <dt>{t('review.selfTotal')}</dt>
        <dd>
          {self.total === null || self.grade === null
            ? t('review.noSelf')
            : `${speech.number(self.total)} · ${self.grade} · ${t(`scoring.band.${self.grade}`)}`}
        </dd>
      </dl>
      {e.selfComment && (
        <>
          <h3>{t('review.selfComment')}</h3>
          <p class="quote">{e.selfComment}</p>
        </>
      )}
      {s.open && <CsrfField session={session} />}
      {s.open && <input type="hidden" name="key" value={s.idempotencyKey} />}
      <fieldset disabled={!s.open}>
        <legend>{t('review.scores')}</legend>
        <ScoreFields
          speech={speech}
          profile={s.profile}
          entry={s.entry}
          liveUrl={`/scores/${e.period}/${e.personId}?summary=review`}
          summaryId="review-summary"
          beside={{ label: t('review.selfScore'), scores: e.selfScores }}
        />
        <ScoreSummary speech={speech} profile={s.profile} id="review-summary" {...s.live} />
      </fieldset>
      {s.open ? (
        <>
          <CommentField label={t('review.comment')} value={s.comment} error={s.commentError} />
          <div class="actions">
            <button type="submit">
              <span class="idle">{t('review.submit')}</span>
              <span class="busy">{t('plan.sending')}</span>
            </button>
          </div>
        </>
      ) : (
        <p>{e.reviewScores ? t('review.done') : t('review.closed')}</p>
      )}
    </form>
  );
}

export function ReviewPage(props: Props) {
  const { t } = props.frame.speech;
  const e = props.state.evaluation;
  const title = t('review.title', { name: props.person, period: e.period });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      <p>
        <a href="/review">{t('review.back')}</a> · <a href={`/month/${e.period}/${e.personId}`}>{t('month.link')}</a>
      </p>
      <div class="two">
        <PlanShown frame={props.frame} evaluation={e} heading={t('review.plan')} />
        <section aria-labelledby="review-heading" class="panel">
          <h2 id="review-heading">{t('review.form')}</h2>
          <ReviewForm {...props} />
        </section>
      </div>
    </Layout>
  );
}
