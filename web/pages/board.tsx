/**
 * Bảng bình xét: the head's final list for a month. Every member with the proposed grade and a
 * select for the final one; a rationale field where the grade differs; the A quota meter and each
 * refusal, in words next to its field, as the cycle's own dry run gives them on every change (htmx).
 * The list is put through htmx with its idempotency key, the button disabled and progress shown.
 * The collective sees the list put, approves it (their own line recused) and the majority progress.
 */
import type { TFunction } from 'i18next';
import type { ListRefusal } from '../../api/cycle-commands';
import type { Cap } from '../../domain/caps';
import { GRADE_ORDER } from '../../domain/scoring';
import type { Grade } from '../../domain/types';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

export interface BoardLine {
  personId: string;
  name: string;
  total: number | null;
  proposedGrade: Grade | null;
  grade: Grade | null;
  rationale: string;
  maxGrade?: Grade | null;
  caps: Cap[];
  /** In the reader's words: what the dry run refuses about this line's grade or rationale. */
  errors: { grade?: string[]; rationale?: string[] };
}

export interface Approval {
  /** Approvals counted on each line still short, and how many it needs. */
  pending: Map<string, { approvals: number; needed: number }>;
  approvals: string[];
  putBy: string;
  collective: string[];
  decisions: { personId: string; grade: Grade | null; rationale?: string }[];
}

export interface BoardState {
  unitId: string;
  period: string;
  phase: string;
  /** Whether the reader may put the list now (the dry run did not refuse them). */
  canPut: boolean;
  lines: BoardLine[];
  quota: { rated: number; given: number; allowed: number; outstanding: boolean } | null;
  /** Refusals about the list as a whole (quota, a member without a decision), in words. */
  listErrors: string[];
  formError: string | null;
  idempotencyKey: string;
  /** The list as put, with its approvals; null before it is put. */
  list: Approval | null;
  /** Whether the reader is a collective member who may still approve. */
  mayApprove: boolean;
  notice: string | null;
}

const gradeLabel = (t: TFunction, g: Grade | null) => (g ? t(`board.grade.${g}`) : t('board.grade.none'));

/** A dry run's refusal in the reader's words, with the figures it carries. */
export function refusalWords(t: TFunction, r: ListRefusal, nameOf: (id: string) => string): string {
  const d = r.details;
  const name = r.personId ? nameOf(r.personId) : '';
  switch (r.rule) {
    case 'quota':
      return t('board.rule.quota', {
        given: d.given,
        allowed: d.allowed,
        rated: d.rated,
        excess: d.excess,
      });
    case 'rationale':
      return t('board.rule.rationale', {
        proposed: gradeLabel(t, (d.proposedGrade as Grade | null) ?? null),
        grade: gradeLabel(t, (d.grade as Grade | null) ?? null),
      });
    case 'cap':
      return t('board.rule.cap', {
        grade: gradeLabel(t, d.grade as Grade),
        max: gradeLabel(t, d.maxGrade as Grade),
        caps: ((d.capRules as string[]) ?? []).map((c) => t(`board.cap.${c}`)).join('; '),
      });
    case 'not-rated':
      return d.grade === null ? t('board.rule.needsGrade') : t('board.rule.notRated');
    case 'coverage':
      return t('board.rule.coverage', { name });
    default:
      return t('board.rule.other', { name });
  }
}

function QuotaMeter(props: { t: TFunction; quota: NonNullable<BoardState['quota']>; number: (n: number) => string }) {
  const { t, quota: q } = props;
  const over = q.given > q.allowed;
  return (
    <section class={`quota${over ? ' over' : ''}`} aria-labelledby="quota-title">
      <h2 id="quota-title">{t('board.quota.title')}</h2>
      <p id="quota-text" role="status">
        {t('board.quota.used', { given: props.number(q.given), allowed: props.number(q.allowed) })}{' '}
        {t(q.outstanding ? 'board.quota.ruleOutstanding' : 'board.quota.rule', { rated: props.number(q.rated) })}
      </p>
      <meter
        min={0}
        max={Math.max(q.allowed, q.given, 1)}
        high={q.allowed + 0.5}
        optimum={0}
        value={q.given}
        aria-labelledby="quota-title"
        aria-describedby="quota-text"
      />
    </section>
  );
}

/** The grades' labels, looked up once per page rather than once per option of every line. */
const gradeLabels = (t: TFunction) =>
  new Map<Grade | null, string>([...GRADE_ORDER, null].map((g) => [g, gradeLabel(t, g)] as const));

function LineEditor(props: {
  t: TFunction;
  labels: Map<Grade | null, string>;
  line: BoardLine;
  i: number;
  number: (n: number) => string;
}) {
  const { t, line, i, labels } = props;
  const changed = line.grade !== line.proposedGrade;
  const gradeErr = line.errors.grade?.length ? `grade-${i}-error` : undefined;
  const ratErr = line.errors.rationale?.length ? `rationale-${i}-error` : undefined;
  return (
    <li class="line" id={`line-${i}`}>
      <input type="hidden" name={`person-${i}`} value={line.personId} />
      <h3>{line.name}</h3>
      <p class="facts">
        {t('board.proposed', {
          grade: labels.get(line.proposedGrade),
          total: line.total === null ? '—' : props.number(line.total),
        })}
      </p>
      {line.caps.length > 0 && (
        <p class="warning" id={`caps-${i}`}>
          {t('board.capped', { max: labels.get(line.maxGrade ?? null) })}{' '}
          {line.caps.map((c) => t(`board.cap.${c.rule}`)).join('; ')}
        </p>
      )}
      <label for={`grade-${i}`}>{t('board.finalGrade', { name: line.name })}</label>
      <select
        id={`grade-${i}`}
        name={`grade-${i}`}
        aria-invalid={gradeErr ? 'true' : undefined}
        aria-describedby={[gradeErr, line.caps.length ? `caps-${i}` : undefined].filter(Boolean).join(' ') || undefined}
      >
        {GRADE_ORDER.map((g) => (
          <option value={g} selected={line.grade === g}>
            {labels.get(g)}
          </option>
        ))}
        <option value="" selected={line.grade === null}>
          {labels.get(null)}
        </option>
      </select>
      {gradeErr && (
        <p class="error" id={gradeErr}>
          {line.errors.grade!.join(' ')}
        </p>
      )}
      {changed && (
        <>
          <label for={`rationale-${i}`}>{t('board.rationale')}</label>
          <textarea
            id={`rationale-${i}`}
            name={`rationale-${i}`}
            rows={2}
            maxlength={2000}
            aria-invalid={ratErr ? 'true' : undefined}
            aria-describedby={ratErr}
          >
            {line.rationale}
          </textarea>
          {ratErr && (
            <p class="error" id={ratErr}>
              {line.errors.rationale!.join(' ')}
            </p>
          )}
        </>
      )}
    </li>
  );
}

/**
 * The head's form: swapped whole on every change (ids keep the focus), put by its own button. A
 * check waits behind a request in flight (only the last one kept), so it never cuts a put short;
 * the put replaces a check still waiting.
 */
export function BoardForm(props: { frame: Frame & { session: WebSession }; state: BoardState }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const s = props.state;
  const action = `/board/${s.unitId}/${s.period}`;
  const labels = gradeLabels(t);
  return (
    <form
      id="board-form"
      method="post"
      action={action}
      hx-post={action}
      hx-trigger="change"
      hx-target="this"
      hx-swap="outerHTML"
      hx-sync="this:queue last"
    >
      <CsrfField session={session} />
      <input type="hidden" name="key" value={s.idempotencyKey} />
      {s.quota && <QuotaMeter t={t} quota={s.quota} number={speech.number} />}
      <div id="list-errors" aria-live="polite">
        {s.formError && (
          <p class="alert" role="alert">
            {s.formError}
          </p>
        )}
        {s.listErrors.length > 0 && (
          <div class="alert">
            <p>{t('board.refused', { count: s.listErrors.length })}</p>
            <ul>
              {s.listErrors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <ol class="board">
        {s.lines.map((line, i) => (
          <LineEditor t={t} labels={labels} line={line} i={i} number={speech.number} />
        ))}
      </ol>
      <div class="actions">
        <button type="submit" class="secondary" name="action" value="check">
          {t('board.check')}
        </button>
        <button
          type="submit"
          name="action"
          value="submit"
          id="put-list"
          hx-post={action}
          hx-target="#board-form"
          hx-swap="outerHTML"
          hx-disabled-elt="this"
          hx-indicator="#put-progress"
          hx-sync="closest form:replace"
        >
          {t('board.submit')}
        </button>
        <p id="put-progress" class="htmx-indicator progress" role="status">
          {t('board.sending')}
        </p>
      </div>
    </form>
  );
}

/** The list as put: each line's final grade and its approvals, and the reader's approve button. */
function ListAsPut(props: { frame: Frame & { session: WebSession }; state: BoardState }) {
  const { speech, session } = props.frame;
  const { t } = speech;
  const s = props.state;
  const list = s.list!;
  const me = session.caller.id;
  const voters = list.collective.length;
  return (
    <section aria-labelledby="list-title">
      <h2 id="list-title">{t('board.listTitle')}</h2>
      <p>
        {t('board.approvalsSoFar', {
          approvals: speech.number(list.approvals.filter((a) => list.collective.includes(a)).length),
          collective: speech.number(voters),
        })}{' '}
        {list.pending.size === 0 ? t('board.majorityReached') : t('board.linesShort', { count: list.pending.size })}
      </p>
      <ol class="board">
        {list.decisions.map((d) => {
          const line = s.lines.find((l) => l.personId === d.personId);
          const name = line?.name ?? d.personId;
          const short = list.pending.get(d.personId);
          return (
            <li class="line">
              <h3>{name}</h3>
              <p>
                {t('board.final', {
                  grade: gradeLabel(t, d.grade),
                  proposed: gradeLabel(t, line?.proposedGrade ?? null),
                })}
              </p>
              {d.rationale && <p class="facts">{t('board.rationaleShown', { text: d.rationale })}</p>}
              <p class="progress-line">
                {short
                  ? t('board.lineShort', {
                      approvals: speech.number(short.approvals),
                      needed: speech.number(short.needed),
                    })
                  : t('board.lineDecided')}
                {d.personId === me && list.collective.includes(me) ? ` ${t('board.recused')}` : ''}
              </p>
            </li>
          );
        })}
      </ol>
      {s.mayApprove && (
        <form
          method="post"
          action={`/board/${s.unitId}/${s.period}/approve`}
          hx-post={`/board/${s.unitId}/${s.period}/approve`}
          hx-target="#main"
          hx-select="#main"
          hx-swap="outerHTML"
          hx-disabled-elt="find button"
          hx-indicator="#approve-progress"
        >
          <CsrfField session={session} />
          <input type="hidden" name="key" value={s.idempotencyKey} />
          <p>{t('board.approveHint')}</p>
          <div class="actions">
            <button type="submit">{t('board.approve')}</button>
            <p id="approve-progress" class="htmx-indicator progress" role="status">
              {t('board.sending')}
            </p>
          </div>
        </form>
      )}
    </section>
  );
}

export function BoardPage(props: { frame: Frame & { session: WebSession }; state: BoardState }) {
  const { t } = props.frame.speech;
  const s = props.state;
  const title = t('board.title', { unit: s.unitId, period: s.period });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      {s.notice && (
        <p class="notice" role="status" id="board-notice">
          {s.notice}
        </p>
      )}
      <p>{t(`board.phase.${['open', 'deliberation', 'published', 'locked'].includes(s.phase) ? s.phase : 'other'}`)}</p>
      {!s.canPut && s.formError && (
        <p class="alert" role="alert">
          {s.formError}
        </p>
      )}
      {s.canPut && <BoardForm {...props} />}
      {s.list && <ListAsPut {...props} />}
    </Layout>
  );
}
