/**
 * Giám sát: a month of a unit and every unit below it (completion, lateness, escalations, grades),
 * the totals, the downloads, and the last twelve months as a server-drawn SVG chart.
 */
import type { subtreeReport, trend } from '../../api/routes/reports';
import { Layout, type Frame } from '../layout';

export type Report = Awaited<ReturnType<typeof subtreeReport>>;
export type Trend = Awaited<ReturnType<typeof trend>>;
type Line = Report['units'][number];
type Totals = Report['totals'];

const GRADES = ['A', 'B', 'C', 'D', 'unrated'] as const;
const STEPS = ['plan', 'selfAssessment', 'review'] as const;

const overdueOf = (l: Pick<Line, 'overdue'>) =>
  l.overdue.plan + l.overdue.selfAssessment + l.overdue.review + l.overdue.deliberation;

/** Done over members for one step: complete, under way, or late (the class colours it; the words say it). */
function Completion(props: { frame: Frame; done: number; members: number; overdue: number }) {
  const { t, number } = props.frame.speech;
  const state = props.overdue > 0 ? 'late' : props.done >= props.members ? 'done' : 'open';
  return (
    <span class={`state ${state}`}>
      {number(props.done)}/{number(props.members)} <span class="word">{t(`oversight.state.${state}`)}</span>
    </span>
  );
}

/** The grade distribution as CSS bars, each with its count in words beside it. */
function GradeBars(props: { frame: Frame; grades: Line['grades'] }) {
  const { t, number } = props.frame.speech;
  const max = Math.max(1, ...GRADES.map((g) => props.grades[g]));
  return (
    <ul class="bars" aria-label={t('oversight.grades')}>
      {GRADES.map((g) => (
        <li>
          <span class="bar-label">{t(`oversight.grade.${g}`)}</span>
          <span class={`bar g-${g}`} style={`width:${(props.grades[g] / max) * 100}%`}></span>
          <span class="bar-n">{number(props.grades[g])}</span>
        </li>
      ))}
    </ul>
  );
}

function UnitRow(props: {
  frame: Frame;
  line: Line | (Totals & { name: string });
  link?: string;
  period: string;
  readable: Set<string>;
}) {
  const { t, number } = props.frame.speech;
  const l = props.line;
  const late = overdueOf(l);
  return (
    <tr class={late > 0 ? 'late' : undefined}>
      <th scope="row">
        {props.link ? <a href={props.link}>{l.name}</a> : l.name}
        {'phase' in l && (
          <div class="muted">{l.phase ? t(`oversight.phase.${l.phase}`) : t('oversight.phase.none')}</div>
        )}
      </th>
      <td>{number(l.members)}</td>
      {STEPS.map((s) => (
        <td>
          <Completion frame={props.frame} done={l.done[s]} members={l.members} overdue={l.overdue[s]} />
        </td>
      ))}
      <td>
        {late > 0 ? (
          <strong class="state late">{t('oversight.lateCount', { count: late })}</strong>
        ) : (
          <span class="state done">{t('oversight.onTime')}</span>
        )}
        {l.overdue.deliberation > 0 && <div>{t('oversight.deliberationLate')}</div>}
      </td>
      <td>{number(l.escalationsOpen)}</td>
      <td>
        <GradeBars frame={props.frame} grades={l.grades} />
      </td>
      <td>
        {'unitId' in l && <ResultFiles frame={props.frame} line={l} period={props.period} readable={props.readable} />}
      </td>
    </tr>
  );
}

/** The month's results of one unit as files, once published (before that there is nothing to file). */
function ResultFiles(props: { frame: Frame; line: Line; period: string; readable: Set<string> }) {
  const { t } = props.frame.speech;
  if (props.line.phase !== 'published' && props.line.phase !== 'locked')
    return <span class="muted">{t('oversight.notPublished')}</span>;
  if (!props.readable.has(props.line.unitId)) return <span class="muted">{t('oversight.filesNotYours')}</span>;
  const base = `/files/results/${props.line.unitId}/${props.period}`;
  return (
    <ul class="files" aria-label={t('oversight.resultsOf', { unit: props.line.name })}>
      {(['xlsx', 'csv', 'pdf'] as const).map((ext) => (
        <li>
          <a href={`${base}/${ext}`} download>
            {t(`oversight.file.${ext}`)}
            <span class="sr"> {props.line.name}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

const W = 640;
const H = 240;
const PAD = { left: 36, right: 12, top: 12, bottom: 36 };

/** Twelve months as stacked grade bars with the late steps as a line: SVG drawn here, with a table for screen readers. */
export function TrendChart(props: { frame: Frame; trend: Trend }) {
  const { t, number, month } = props.frame.speech;
  const months = props.trend.months;
  const lateOf = (m: Trend['months'][number]) =>
    m.late.plan + m.late.selfAssessment + m.late.review + m.late.deliberation;
  const max = Math.max(1, ...months.map((m) => m.members), ...months.map(lateOf));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, months.length);
  const y = (n: number) => H - PAD.bottom - (n / max) * (H - PAD.top - PAD.bottom);
  const x = (i: number) => PAD.left + i * slot;
  const line = months.map((m, i) => `${x(i) + slot / 2},${y(lateOf(m))}`).join(' ');
  return (
    <figure class="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="trend-caption" width="100%">
        <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} class="axis" />
        <text x={4} y={y(max) + 4} class="tick">
          {number(max)}
        </text>
        <text x={4} y={y(0)} class="tick">
          0
        </text>
        {months.map((m, i) => {
          let base = 0;
          return (
            <g>
              {GRADES.map((g) => {
                const n = m.grades[g];
                const top = y(base + n);
                const rect = (
                  <rect class={`g-${g}`} x={x(i) + slot * 0.15} y={top} width={slot * 0.7} height={y(base) - top} />
                );
                base += n;
                return rect;
              })}
              <text x={x(i) + slot / 2} y={H - PAD.bottom + 14} class="tick" text-anchor="middle">
                {m.period.slice(5)}
              </text>
            </g>
          );
        })}
        <polyline points={line} class="late-line" />
        {months.map((m, i) => (
          <circle cx={x(i) + slot / 2} cy={y(lateOf(m))} r={3} class="late-dot" />
        ))}
      </svg>
      <figcaption id="trend-caption">{t('oversight.trendCaption')}</figcaption>
      <ul class="legend">
        {GRADES.map((g) => (
          <li>
            <span class={`swatch g-${g}`}></span> {t(`oversight.grade.${g}`)}
          </li>
        ))}
        <li>
          <span class="swatch late-dot"></span> {t('oversight.trendLate')}
        </li>
      </ul>
      <details>
        <summary>{t('oversight.trendTable')}</summary>
        <div class="scroll" role="region" aria-label={t('oversight.trendTable')} tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('oversight.month')}</th>
                {GRADES.map((g) => (
                  <th scope="col">{t(`oversight.grade.${g}`)}</th>
                ))}
                <th scope="col">{t('oversight.trendLate')}</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr>
                  <th scope="row">{month(m.period)}</th>
                  {GRADES.map((g) => (
                    <td>{number(m.grades[g])}</td>
                  ))}
                  <td>{number(lateOf(m))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

export function OversightPage(props: {
  frame: Frame;
  report: Report;
  trend: Trend;
  parentLink?: string;
  readable: Set<string>;
}) {
  const { t, month } = props.frame.speech;
  const { report } = props;
  const [root, ...below] = report.units;
  const period = report.period;
  const lateUnits = report.units.filter((l) => overdueOf(l) > 0);
  const title = t('oversight.title', { unit: root.name, month: month(period) });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      {props.parentLink && (
        <p>
          <a href={props.parentLink}>{t('oversight.up')}</a>
        </p>
      )}
      <form method="get" action={`/oversight/${root.unitId}`} class="picker">
        <label for="period">{t('oversight.pickMonth')}</label>
        <input id="period" name="period" type="month" value={period} required />
        <button type="submit">{t('oversight.show')}</button>
      </form>
      <p role="status" class={lateUnits.length > 0 ? 'alert' : 'ok'}>
        {lateUnits.length > 0
          ? t('oversight.lateUnits', { count: lateUnits.length, units: lateUnits.map((l) => l.name).join(', ') })
          : t('oversight.allOnTime')}
      </p>
      <div class="scroll" role="region" aria-label={t('oversight.caption')} tabindex={0}>
        <table class="oversight">
          <caption>{t('oversight.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('oversight.unit')}</th>
              <th scope="col">{t('oversight.members')}</th>
              {STEPS.map((s) => (
                <th scope="col">{t(`oversight.step.${s}`)}</th>
              ))}
              <th scope="col">{t('oversight.overdue')}</th>
              <th scope="col">{t('oversight.escalations')}</th>
              <th scope="col">{t('oversight.grades')}</th>
              <th scope="col">{t('oversight.results')}</th>
            </tr>
          </thead>
          <tbody>
            <UnitRow frame={props.frame} line={root} period={period} readable={props.readable} />
            {below.map((l) => (
              <UnitRow
                frame={props.frame}
                line={l}
                period={period}
                readable={props.readable}
                link={`/oversight/${l.unitId}/${period}`}
              />
            ))}
          </tbody>
          <tfoot>
            <UnitRow
              frame={props.frame}
              line={{ ...report.totals, name: t('oversight.totals') }}
              period={period}
              readable={props.readable}
            />
          </tfoot>
        </table>
      </div>
      <p>
        <a href={`/files/report/${root.unitId}/${period}`} download class="button">
          {t('oversight.reportXlsx')}
        </a>{' '}
        <a href={`/annual/${root.unitId}/${period.slice(0, 4)}`}>{t('oversight.annualLink')}</a>
      </p>
      <h2>{t('oversight.trendTitle')}</h2>
      <TrendChart frame={props.frame} trend={props.trend} />
    </Layout>
  );
}
