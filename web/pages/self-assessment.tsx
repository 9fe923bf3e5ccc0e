/**
 * Tự đánh giá: the filed plan beside a field per criterion of the month's scoring profile, the
 * total and the band shown as the person types, and a comment; filed once (idempotency key).
 */
import type { StoredEvaluation } from '../../db/evaluations';
import type { ScoringProfile } from '../../domain/scoring';
import type { Grade } from '../../domain/types';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';
import { ScoreFields, ScoreSummary, type ScoreEntry } from './scores';

export interface ScoredFormState {
  evaluation: StoredEvaluation;
  profile: ScoringProfile;
  entry: Pick<ScoreEntry, 'values' | 'errors'>;
  comment: string;
  commentError: string | null;
  formError: string | null;
  idempotencyKey: string;
  accepted: boolean;
  /** Whether the page offers the form (the workflow alone decides whether it is accepted). */
  open: boolean;
  live: { total: number | null; grade: Grade | null };
}

type Props = { frame: Frame & { session: WebSession }; state: ScoredFormState; now: Date };

/** The comment field, its limit and its message; shared with the review page. */
export function CommentField(props: { label: string; value: string; error: string | null }) {
  return (
    <>
      <label for="comment">{props.label}</label>
      <textarea
        id="comment"
        name="comment"
        rows={4}
        maxlength={10000}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? 'comment-error' : undefined}
      >
        {props.value}
      </textarea>
      {props.error && (
        <p class="error" id="comment-error">
          {props.error}
        </p>
      )}
    </>
  );
}

export function SelfAssessmentForm({ frame, state: s, now }: Props) {
  const { speech, session } = frame;
  const { t } = speech;
  const e = s.evaluation;
  const url = `/self-assessment/${e.period}`;
  const deadline = new Date(e.deadlines.selfAssessment);
  return (
    <form
      id="self-form"
      method="post"
      action={url}
      hx-post={url}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disabled-elt="find button[type=submit]"
    >
      {s.accepted && (
        <p class="notice" role="status">
          {t('selfAssessment.accepted')}
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
      </dl>
      {!s.open ? (
        <FiledScores {...{ frame, state: s, now }} />
      ) : (
        <>
          <CsrfField session={session} />
          <input type="hidden" name="key" value={s.idempotencyKey} />
          <fieldset>
            <legend>{t('selfAssessment.scores')}</legend>
            <ScoreFields
              speech={speech}
              profile={s.profile}
              entry={s.entry}
              liveUrl={`/scores/${e.period}/${e.personId}`}
              summaryId="live-summary"
            />
            <ScoreSummary speech={speech} profile={s.profile} id="live-summary" {...s.live} />
          </fieldset>
          <CommentField label={t('selfAssessment.comment')} value={s.comment} error={s.commentError} />
          <div class="actions">
            <button type="submit">
              <span class="idle">{t('selfAssessment.submit')}</span>
              <span class="busy">{t('plan.sending')}</span>
            </button>
          </div>
        </>
      )}
    </form>
  );
}

/** The self-assessment as filed, once the step is past. */
function FiledScores({ frame, state: s }: Props) {
  const { t, number } = frame.speech;
  const e = s.evaluation;
  if (!e.selfScores) return <p>{t('selfAssessment.closed')}</p>;
  return (
    <>
      <dl class="facts">
        {s.profile.criteria.map((c) => (
          <>
            <dt>{t(`scoring.criterion.${c.key}`, { defaultValue: c.label })}</dt>
            <dd>{e.selfScores?.[c.key] === undefined ? t('scoring.none') : number(e.selfScores[c.key])}</dd>
          </>
        ))}
      </dl>
      <ScoreSummary speech={frame.speech} profile={s.profile} id="filed-summary" {...s.live} />
      {e.selfComment && <p class="quote">{e.selfComment}</p>}
    </>
  );
}

/** The plan the person filed for the month, or that there is none. */
export function PlanShown(props: { frame: Frame; evaluation: StoredEvaluation; heading: string }) {
  const { t } = props.frame.speech;
  const plan = props.evaluation.plan;
  return (
    <section aria-labelledby="plan-heading" class="panel">
      <h2 id="plan-heading">{props.heading}</h2>
      {plan && plan.length > 0 ? (
        <ol class="plan">
          {plan.map((line) => (
            <li>
              <strong>{line.title}</strong> · {line.target}
            </li>
          ))}
        </ol>
      ) : (
        <p>{t('selfAssessment.noPlan')}</p>
      )}
    </section>
  );
}

export function SelfAssessmentPage(props: Props) {
  const { t } = props.frame.speech;
  const e = props.state.evaluation;
  const title = t('selfAssessment.title', { period: e.period });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      <div class="two">
        <PlanShown frame={props.frame} evaluation={e} heading={t('selfAssessment.plan')} />
        <section aria-labelledby="self-heading" class="panel">
          <h2 id="self-heading">{t('selfAssessment.form')}</h2>
          <SelfAssessmentForm {...props} />
        </section>
      </div>
      <p>
        <a href={`/month/${e.period}/${e.personId}`}>{t('month.link')}</a>
      </p>
    </Layout>
  );
}
