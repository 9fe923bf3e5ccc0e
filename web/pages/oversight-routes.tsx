/**
 * GET /oversight/{unitId}/{period} (the subtree's month and its trend), GET /annual/{unitId}/{year},
 * and the downloads under /files/: the pages read and stream through the same functions as
 * /v1/reports, /v1/annual and the /v1 downloads, with the session's caller, so a page shows and
 * files exactly what that person's bearer token would.
 */
import { Hono, type Context } from 'hono';
import { annualFor } from '../../api/routes/annual';
import { readScope } from '../../api/cycle-reads';
import { annualFile, resultsFile } from '../../api/routes/exports';
import { reportFile, requireOverseer, subtreeReport, trend } from '../../api/routes/reports';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { AnnualParams, CycleParams } from '../../api/schemas';
import { findCycle } from '../../db/cycles';
import { peopleNames, unitName } from '../../db/reports';
import { fromMs, prevPeriod } from '../../domain/calendar';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { AnnualPage } from './annual';
import { MessagePage } from './message';
import { OversightPage } from './oversight';
import { refusalText } from './plan-routes';

const TREND_MONTHS = 12;

/** The month `months - 1` before `period`, so that the range holds `months` months. */
function startOf(period: string, months: number): string {
  let p = period;
  for (let i = 1; i < months; i++) p = prevPeriod(p);
  return p;
}

export function oversightRoutes(deps: ApiDeps) {
  const { sql } = deps;

  /** Runs `work` for the signed-in reader; a refusal of the API becomes a page saying it in words. */
  const page =
    (work: (c: Context<WebEnv>, session: WebSession) => Promise<Response>, forbidden = 'oversight.forbidden') =>
    async (c: Context<WebEnv>) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      try {
        return await work(c, session);
      } catch (err) {
        if (!(err instanceof HttpError) || err.status >= 500) throw err;
        const { t } = c.get('speech');
        const frame = await frameFor(c, deps, session);
        return c.html(
          <MessagePage
            frame={frame}
            title={t('oversight.refusedTitle')}
            message={err.status === 403 ? t(forbidden) : (refusalText(t, err) ?? '')}
          />,
          err.status as 400 | 403 | 404 | 409,
        );
      }
    };
  const badInput = () => new HttpError(400, 'Invalid input.');
  const cycleParams = (c: Context<WebEnv>) => {
    const parsed = CycleParams.safeParse({ unitId: c.req.param('unitId'), period: c.req.param('period') });
    if (!parsed.success) throw badInput();
    return parsed.data;
  };
  const annualParams = (c: Context<WebEnv>) => {
    const parsed = AnnualParams.safeParse({ unitId: c.req.param('unitId'), year: c.req.param('year') });
    if (!parsed.success) throw badInput();
    return parsed.data;
  };

  /** The units whose whole published results the reader may download (the rights of the /v1 downloads). */
  const filesReadable = async (
    caller: WebSession['caller'],
    period: string,
    units: { unitId: string; phase: string | null }[],
  ) => {
    const readable = new Set<string>();
    for (const u of units) {
      if (u.phase !== 'published' && u.phase !== 'locked') continue;
      const cycle = await findCycle(sql, u.unitId, period);
      const scope = cycle ? await readScope(sql, caller, cycle).catch(() => 'none') : 'none';
      if (scope === 'all') readable.add(u.unitId);
    }
    return readable;
  };

  return new Hono<WebEnv>()
    .get(
      '/oversight',
      page(async (c, session) => {
        const unitId = session.caller.person?.unitId;
        if (!unitId) throw new HttpError(404, 'No unit.');
        return c.redirect(`/oversight/${unitId}/${fromMs(Date.now()).slice(0, 7)}`, 303);
      }),
    )
    .get(
      '/oversight/:unitId',
      // The month picker sends the month as a query; the page itself lives at the month's own path.
      page(async (c) => {
        const parsed = CycleParams.safeParse({ unitId: c.req.param('unitId'), period: c.req.query('period') });
        if (!parsed.success) throw badInput();
        return c.redirect(`/oversight/${parsed.data.unitId}/${parsed.data.period}`, 303);
      }),
    )
    .get(
      '/oversight/:unitId/:period',
      page(async (c, session) => {
        const { unitId, period } = cycleParams(c);
        const report = await subtreeReport(sql, session.caller, unitId, period);
        const months = await trend(sql, unitId, startOf(period, TREND_MONTHS), period);
        const readable = await filesReadable(session.caller, period, report.units);
        const parentId = report.units[0].parentId;
        const parentLink =
          parentId &&
          (await requireOverseer(sql, session.caller, parentId).then(
            () => true,
            () => false,
          ))
            ? `/oversight/${parentId}/${period}`
            : undefined;
        return c.html(
          <OversightPage
            frame={await frameFor(c, deps, session)}
            report={report}
            trend={months}
            parentLink={parentLink}
            readable={readable}
          />,
        );
      }),
    )
    .get(
      '/annual/:unitId/:year',
      page(async (c, session) => {
        const { unitId, year } = annualParams(c);
        const annual = await annualFor(sql, session.caller, unitId, year);
        const [name, names] = await Promise.all([
          unitName(sql, unitId),
          peopleNames(
            sql,
            annual.people.map((p) => p.personId),
          ),
        ]);
        return c.html(
          <AnnualPage
            frame={await frameFor(c, deps, session)}
            annual={annual}
            unitName={name ?? unitId}
            names={names}
          />,
        );
      }, 'annual.forbidden'),
    )
    .get(
      '/files/results/:unitId/:period/:ext{xlsx|csv|pdf}',
      page(async (c, session) => {
        const { unitId, period } = cycleParams(c);
        return resultsFile(sql, session.caller, unitId, period, c.req.param('ext') as 'xlsx' | 'csv' | 'pdf');
      }),
    )
    .get(
      '/files/report/:unitId/:period',
      page(async (c, session) => {
        const { unitId, period } = cycleParams(c);
        return reportFile(sql, session.caller, unitId, period);
      }),
    )
    .get(
      '/files/annual/:unitId/:year',
      page(async (c, session) => {
        const { unitId, year } = annualParams(c);
        return annualFile(sql, session.caller, unitId, year);
      }, 'annual.forbidden'),
    );
}
