/**
 * Kế hoạch: the month's task lines, added and removed, then filed. The form works without
 * JavaScript (every button posts it); with htmx, adding or removing a line swaps the form only.
 * The form carries an idempotency key, so a double submit files once.
 */
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

export interface PlanLine {
  title: string;
  target: string;
}

export interface PlanFormState {
  period: string;
  lines: PlanLine[];
  /** Per line, per field, what is wrong with it (already in the reader's language). */
  fieldErrors: Record<number, Partial<Record<keyof PlanLine, string>>>;
  /** What the workflow or the form as a whole refused, in words. */
  formError: string | null;
  idempotencyKey: string;
  accepted: boolean;
  /** Whether the plan step is still open for this person. */
  open: boolean;
  deadline: Date | null;
  status: string;
}

export function PlanForm(props: { frame: Frame & { session: WebSession }; state: PlanFormState; now: Date }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const s = props.state;
  const statusKey = s.status === 'pending' || s.status === 'planned' ? s.status : 'other';
  const errId = (i: number, f: keyof PlanLine) => `line-${i}-${f}-error`;
  return (
    <form
      id="plan-form"
      method="post"
      action={`/plan/${s.period}`}
      hx-post={`/plan/${s.period}`}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      {s.accepted && (
        <p class="notice" role="status">
          {t('plan.accepted')}
        </p>
      )}
      {s.formError && (
        <p class="alert" role="alert" id="plan-error">
          {s.formError}
        </p>
      )}
      <dl class="facts">
        <dt>{t('plan.status')}</dt>
        <dd>{t(`plan.statusValue.${statusKey}`)}</dd>
        {s.deadline && (
          <>
            <dt>{t('tasks.dueHeader')}</dt>
            <dd>
              {speech.dateTime(s.deadline)} · {speech.relative(s.deadline, props.now)}
            </dd>
          </>
        )}
      </dl>
      {!s.open ? (
        <p>{t('plan.closed')}</p>
      ) : (
        <>
          <CsrfField session={session} />
          <input type="hidden" name="key" value={s.idempotencyKey} />
          {s.lines.map((line, i) => (
            <fieldset>
              <legend>{t('plan.line', { n: i + 1 })}</legend>
              <label for={`line-${i}-title`}>{t('plan.taskTitle')}</label>
              <input
                type="text"
                id={`line-${i}-title`}
                name="title"
                value={line.title}
                maxlength={500}
                aria-invalid={s.fieldErrors[i]?.title ? 'true' : undefined}
                aria-describedby={s.fieldErrors[i]?.title ? errId(i, 'title') : undefined}
              />
              {s.fieldErrors[i]?.title && (
                <p class="error" id={errId(i, 'title')}>
                  {s.fieldErrors[i].title}
                </p>
              )}
              <label for={`line-${i}-target`}>{t('plan.taskTarget')}</label>
              <input
                type="text"
                id={`line-${i}-target`}
                name="target"
                value={line.target}
                maxlength={500}
                aria-invalid={s.fieldErrors[i]?.target ? 'true' : undefined}
                aria-describedby={s.fieldErrors[i]?.target ? errId(i, 'target') : undefined}
              />
              {s.fieldErrors[i]?.target && (
                <p class="error" id={errId(i, 'target')}>
                  {s.fieldErrors[i].target}
                </p>
              )}
              {s.lines.length > 1 && (
                <div class="actions">
                  <button type="submit" class="secondary" name="action" value={`remove-${i}`}>
                    {t('plan.remove', { n: i + 1 })}
                  </button>
                </div>
              )}
            </fieldset>
          ))}
          <div class="actions">
            <button type="submit" class="secondary" name="action" value="add">
              {t('plan.add')}
            </button>
            <button type="submit" name="action" value="submit">
              {t('plan.submit')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

export function PlanPage(props: { frame: Frame & { session: WebSession }; state: PlanFormState; now: Date }) {
  const { t, month } = props.frame.speech;
  const title = t('plan.title', { month: month(props.state.period) });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      <PlanForm {...props} />
    </Layout>
  );
}

export function NoEvaluationPage(props: { frame: Frame; period: string }) {
  const { t, month } = props.frame.speech;
  const title = t('plan.title', { month: month(props.period) });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      <p>{t('plan.none', { month: month(props.period) })}</p>
    </Layout>
  );
}
