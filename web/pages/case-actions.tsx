/**
 * The actions a case asks of the reader now, each a form posting to /cases/{id}/{action}: an opinion,
 * a vote (nothing shows how they voted once cast), an explanation, HR's proposal, a handover or a
 * receipt; HR may withdraw a case still in progress. Which
 * steps are open and whom they ask is the workflow's; the page offers a form for each open step
 * that names the reader, and the command still checks.
 */
import { identities, isHr } from '../../api/auth';
import type { CaseView } from '../../api/case-commands';
import type { Frame } from '../layout';
import type { WebSession } from '../session';
import { ActionForm, stepName } from './cases';

export function CaseActions(props: {
  frame: Frame & { session: WebSession };
  c: CaseView;
  voted: boolean;
  errors: Record<string, string>;
  formKey: string;
  people: Record<string, string>;
}) {
  const { t } = props.frame.speech;
  const { c, errors } = props;
  // An HR role holder answers for the `hr` actor a step may name.
  const me = identities(props.frame.session.caller);
  const open =
    c.status === 'open' || c.status === 'approved'
      ? c.steps.filter((s) => s.doneAt === null && s.actorIds.some((id) => me.includes(id)))
      : [];
  const err = (action: string) => (errors.action === action ? (errors.form ?? null) : null);
  const fieldError = (action: string, f: string) =>
    errors.action === action && errors[f] && errors[f] !== errors.form ? (
      <p class="error" id={`${action}-${f}-error`}>
        {errors[f]}
      </p>
    ) : null;
  const base = `/cases/${c.id}`;
  const forms = open.map((s) => {
    const name = s.name.split(':')[0];
    const common = { frame: props.frame, formKey: props.formKey, legend: stepName(t, s.name) };
    if (name === 'opinion')
      return (
        <ActionForm {...common} action={`${base}/opinion`} error={err('opinion') ?? undefined}>
          {['agree', 'disagree'].map((o, i) => (
            <div class="choice">
              <input type="radio" name="opinion" id={`opinion-${o}`} value={o} checked={i === 0} />
              <label for={`opinion-${o}`}>{t(`cases.opinion.${o}`)}</label>
            </div>
          ))}
          <label for="opinion-note">{t('cases.note')}</label>
          <textarea id="opinion-note" name="note" rows={2} maxlength={5000}></textarea>
          {fieldError('opinion', 'note')}
          <div class="actions">
            <button type="submit">{t('cases.send.opinion')}</button>
          </div>
        </ActionForm>
      );
    if (name === 'vote')
      return props.voted ? null : (
        <ActionForm {...common} action={`${base}/vote`} error={err('vote') ?? undefined}>
          <p class="hint">{t(c.kind === 'replacement' ? 'cases.votes.secretHint' : 'cases.votes.openHint')}</p>
          {['approve', 'reject'].map((v) => (
            <div class="choice">
              <input type="radio" name="vote" id={`vote-${v}`} value={v} />
              <label for={`vote-${v}`}>{t(`cases.vote.${v}`)}</label>
            </div>
          ))}
          {fieldError('vote', 'vote')}
          <div class="actions">
            <button type="submit">{t('cases.send.vote')}</button>
          </div>
        </ActionForm>
      );
    if (name === 'explanation')
      return (
        <ActionForm {...common} action={`${base}/explanation`} error={err('explanation') ?? undefined}>
          <label for="explanation-text">{t('cases.explanationText')}</label>
          <textarea id="explanation-text" name="text" rows={4} maxlength={5000}></textarea>
          {fieldError('explanation', 'text')}
          <div class="actions">
            <button type="submit">{t('cases.send.explanation')}</button>
          </div>
        </ActionForm>
      );
    if (name === 'handover' || name === 'receipt')
      return (
        <ActionForm {...common} action={`${base}/${name}`} error={err(name) ?? undefined}>
          <p class="hint">{t(`cases.confirm.${name}Hint`)}</p>
          <div class="actions">
            <button type="submit">{t(`cases.send.${name}`)}</button>
          </div>
        </ActionForm>
      );
    if (name === 'proposal')
      return (
        <ActionForm {...common} action={`${base}/proposal`} error={err('proposal') ?? undefined}>
          {['replace', 'keep'].map((r, i) => (
            <div class="choice">
              <input type="radio" name="recommendation" id={`recommendation-${r}`} value={r} checked={i === 0} />
              <label for={`recommendation-${r}`}>{t(`cases.recommendation.${r}`)}</label>
            </div>
          ))}
          <label for="actingPersonId">{t('cases.actingPerson')}</label>
          <select id="actingPersonId" name="actingPersonId">
            <option value="">{t('escalations.nobody')}</option>
            {Object.entries(props.people)
              .filter(([id]) => !id.startsWith('unit:'))
              .map(([id, fullName]) => (
                <option value={id}>{fullName}</option>
              ))}
          </select>
          {fieldError('proposal', 'actingPersonId')}
          <label for="proposal-note">{t('cases.rationale')}</label>
          <textarea id="proposal-note" name="note" rows={3} maxlength={5000}></textarea>
          {fieldError('proposal', 'note')}
          <div class="actions">
            <button type="submit">{t('cases.send.proposal')}</button>
          </div>
        </ActionForm>
      );
    return null;
  });
  const withdraw = isHr(props.frame.session.caller) && (c.status === 'open' || c.status === 'approved') && (
    <ActionForm
      frame={props.frame}
      formKey={props.formKey}
      legend={t('cases.withdraw')}
      action={`${base}/withdraw`}
      error={err('withdraw') ?? undefined}
    >
      <label for="withdraw-note">{t('cases.withdrawNote')}</label>
      <textarea id="withdraw-note" name="note" rows={2} maxlength={5000}></textarea>
      {fieldError('withdraw', 'note')}
      <div class="actions">
        <button type="submit" class="secondary">
          {t('cases.send.withdraw')}
        </button>
      </div>
    </ActionForm>
  );
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('cases.yourActions')}</h2>
      {forms.some((f) => f !== null) ? forms : <p>{t('cases.nothingForYou')}</p>}
      {withdraw}
    </section>
  );
}
