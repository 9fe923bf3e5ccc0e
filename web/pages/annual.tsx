/** Năm: a unit's annual roll-up, each person's months, annual grade and proposed emulation title. */
import type { annualFor } from '../../api/routes/annual';
import { Layout, type Frame } from '../layout';

export type Annual = Awaited<ReturnType<typeof annualFor>>;

export function AnnualPage(props: { frame: Frame; annual: Annual; unitName: string; names: Map<string, string> }) {
  const { t, number, month } = props.frame.speech;
  const { annual } = props;
  const title = t('annual.title', { unit: props.unitName, year: annual.year });
  return (
    <Layout frame={props.frame} title={title}>
      <h1>{title}</h1>
      {annual.quota && (
        <p>
          {t('annual.quota', {
            a: number(annual.quota.aCount),
            b: number(annual.quota.bCount),
            allowed: number(annual.quota.allowedA),
          })}{' '}
          {annual.quota.breached && <strong class="state late">{t('annual.breached')}</strong>}
        </p>
      )}
      {annual.quota && (
        <p>
          <a href={`/files/annual/${annual.unitId}/${annual.year}`} download class="button">
            {t('annual.xlsx')}
          </a>
        </p>
      )}
      {annual.people.length === 0 ? (
        <p>{t('annual.empty')}</p>
      ) : (
        <div class="scroll" role="region" aria-label={t('annual.caption')} tabindex={0}>
          <table>
            <caption>{t('annual.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('annual.person')}</th>
                <th scope="col">{t('annual.months')}</th>
                <th scope="col">{t('annual.rated')}</th>
                <th scope="col">{t('annual.mean')}</th>
                <th scope="col">{t('annual.grade')}</th>
                <th scope="col">{t('annual.titleProposed')}</th>
              </tr>
            </thead>
            <tbody>
              {annual.people.map((p) => (
                <tr>
                  <th scope="row">{props.names.get(p.personId) ?? p.personId}</th>
                  <td>
                    <ul class="months">
                      {p.months.map((m) => (
                        <li>
                          {month(m.period)}: {m.grade ?? t('annual.notRated')}
                          {m.total !== null && ` (${number(m.total)})`}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{number(p.ratedMonths)}</td>
                  <td>{p.mean === null ? '—' : number(p.mean)}</td>
                  <td>{p.grade ?? t('annual.notRated')}</td>
                  <td>{p.title ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
