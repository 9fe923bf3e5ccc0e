/**
 * Tháng của một người: every step of the month (plan, self-assessment, review, deliberation,
 * publication, complaint, lock) with its deadline and when it happened, then the escalations and
 * the audit trail of that person's month.
 */
import type { AuditRow } from '../../db/audit';
import { Layout, type Frame } from '../layout';

export interface MonthStep {
  key: 'plan' | 'selfAssessment' | 'review' | 'deliberation' | 'publication' | 'complaint' | 'lock';
  dueAt: Date | null;
  doneAt: Date | null;
  by: string | null;
  missed: boolean;
}

export interface MonthEscalation {
  kind: string;
  level: number;
  targetId: string;
  status: string;
  dueAt: Date | null;
  createdAt: Date | null;
  decision: string | null;
}

export interface MonthView {
  period: string;
  personId: string;
  name: string;
  steps: MonthStep[];
  escalations: MonthEscalation[];
  audit: AuditRow[];
  /** The directory's name of each person the page mentions, by id. */
  names: Record<string, string>;
}

function stepState(s: MonthStep, now: Date): 'done' | 'missed' | 'overdue' | 'waiting' {
  if (s.doneAt) return 'done';
  if (s.missed) return 'missed';
  if (s.dueAt && s.dueAt.getTime() < now.getTime()) return 'overdue';
  return 'waiting';
}

export function MonthPage(props: { frame: Frame; view: MonthView; now: Date }) {
  const { speech } = props.frame;
  const { t } = speech;
  const v = props.view;
  const who = (id: string) => v.names[id] ?? t(`month.actor.${id}`, { defaultValue: id });
  const when = (d: Date | null) => (d ? speech.dateTime(d) : t('month.never'));
  const title = t('month.title', { name: v.name, period: v.period });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">{t('month.steps')}</h2>
        <ol class="timeline">
          {v.steps.map((s) => {
            const state = stepState(s, props.now);
            return (
              <li class={`step ${state}`}>
                <h3>
                  {t(`month.step.${s.key}`)} <span class={`badge ${state}`}>{t(`month.state.${state}`)}</span>
                </h3>
                <dl class="facts">
                  <dt>{t('month.due')}</dt>
                  <dd>{s.dueAt ? speech.dateTime(s.dueAt) : t('month.noDeadline')}</dd>
                  <dt>{t('month.happened')}</dt>
                  <dd>
                    {when(s.doneAt)}
                    {s.by && ` · ${t('month.by', { who: who(s.by) })}`}
                  </dd>
                </dl>
              </li>
            );
          })}
        </ol>
      </section>
      <section aria-labelledby="esc-heading">
        <h2 id="esc-heading">{t('month.escalations')}</h2>
        {v.escalations.length === 0 ? (
          <p>{t('month.noEscalations')}</p>
        ) : (
          <ul class="tasks">
            {v.escalations.map((e) => (
              <li class="task">
                <h3>
                  {t('month.escalation', { kind: t(`month.kind.${e.kind}`, { defaultValue: e.kind }), level: e.level })}
                </h3>
                <p>
                  {t('month.escalationFacts', {
                    target: who(e.targetId),
                    status: t(`month.escalationStatus.${e.status}`, { defaultValue: e.status }),
                    created: when(e.createdAt),
                    due: when(e.dueAt),
                  })}
                  {e.decision &&
                    ` · ${t('month.decision', { action: t(`month.decisionAction.${e.decision}`, { defaultValue: e.decision }) })}`}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t('month.audit')}</h2>
        {v.audit.length === 0 ? (
          <p>{t('month.noAudit')}</p>
        ) : (
          <div class="scroll" tabindex={0} role="region" aria-labelledby="audit-heading">
            <table class="audit">
              <thead>
                <tr>
                  <th scope="col">{t('month.auditAt')}</th>
                  <th scope="col">{t('month.auditWho')}</th>
                  <th scope="col">{t('month.auditWhat')}</th>
                </tr>
              </thead>
              <tbody>
                {v.audit.map((a) => (
                  <tr>
                    <td>{speech.dateTime(new Date(a.at))}</td>
                    <td>{who(a.actor)}</td>
                    <td>{t(`month.action.${a.action.replace(/\./g, '_')}`, { defaultValue: a.action })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
