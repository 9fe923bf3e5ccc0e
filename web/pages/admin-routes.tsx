/**
 * GET /admin and its forms (POST /admin/holidays, /admin/holidays/suggested, /admin/deadlines,
 * /admin/tokens, /admin/tokens/{id}/revoke), for admins only. Each form is checked with the API
 * route's schema and sent through the function the route calls (`addHolidays`,
 * `suggestedHolidaysFor`, `moveDeadlines`, `issueToken` in api/admin-commands.ts; `tokensFor`,
 * `revokeTokenAs` in api/token-commands.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TFunction } from 'i18next';
import { Hono, type Context } from 'hono';
import { addHolidays, issueToken, moveDeadlines, suggestedHolidaysFor } from '../../api/admin-commands';
import { isAdmin } from '../../api/auth';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { updateIdFor } from '../../api/idempotency';
import { HolidaysBody, Period, RunningDeadlines, TokenIdParam, TokenRequest } from '../../api/schemas';
import { revokeTokenAs, tokensFor } from '../../api/token-commands';
import { listHolidays } from '../../db/settings';
import { fromMs, localDate } from '../../domain/calendar';
import { TOKEN_DEFAULT_DAYS } from '../../domain/tokens';
import { frameFor, requireSession } from '../frame';
import { PendingStore } from '../pending-store';
import type { WebEnv, WebSession } from '../session';
import { AdminPage, DEADLINE_FIELDS, type AdminState, type DeadlineField } from './admin';
import { MessagePage } from './message';

const KEY = /^[\w-]{8,100}$/;
const UNIT_ID = /^[\w-]{1,64}$/;
type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string): string =>
  typeof form[name] === 'string' ? (form[name] as string).trim() : '';

/** A `datetime-local` value read in Hanoi's time, as the API's instants carry it. */
const hanoiInstant = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local);

/** A refusal in words: the rule's own text when the catalogue has one, else the status's. */
function refusal(t: TFunction, err: HttpError): string {
  const rule = (err.details as { rule?: string } | undefined)?.rule;
  return t([...(rule ? [`admin.rule.${rule}`] : []), `refusal.${err.status}`, 'refusal.other']);
}

/** The `datetime-local` value, in Hanoi's time, of an instant (ms). */
const hanoiLocal = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

/** The suggestion covers this Hanoi year and the next: the ones an admin confirms ahead of time. */
const suggestionYears = (): number[] => {
  const year = Number(localDate(fromMs(Date.now())).slice(0, 4));
  return [year, year + 1];
};

const blank = (year?: number): AdminState => {
  const years = suggestionYears();
  return {
    holidays: [],
    holiday: { date: '', name: '', errors: {}, stored: false },
    deadlines: { unitId: '', period: '', values: {}, key: randomUUID(), errors: {}, formError: null, moved: false },
    token: {
      personId: '',
      roles: [],
      expiresAt: hanoiLocal(Date.now() + TOKEN_DEFAULT_DAYS * 86_400_000),
      expiryError: null,
      key: randomUUID(),
      error: null,
      issued: null,
    },
    suggested: {
      year: year && years.includes(year) ? year : years[0],
      years,
      days: [],
      key: randomUUID(),
      confirmed: null,
    },
    tokens: { list: [], error: null, revoked: null },
  };
};

/** The admin page's rendering (with the lists it reads) and its guard, shared by its handlers. */
function adminKit(deps: ApiDeps) {
  const render = async (c: Context<WebEnv>, session: WebSession, state: AdminState, status: 200 | 422 = 200) => {
    const frame = await frameFor(c, deps, session);
    const [holidays, days, tokens] = await Promise.all([
      listHolidays(deps.sql),
      suggestedHolidaysFor(deps.sql, session.caller, state.suggested.year),
      tokensFor(deps.sql, session.caller, { limit: 100 }),
    ]);
    const full = {
      ...state,
      holidays,
      suggested: { ...state.suggested, days },
      tokens: { ...state.tokens, list: tokens.tokens },
    };
    return c.html(<AdminPage frame={frame} state={full} />, c.req.header('hx-request') ? 200 : status);
  };

  const allowed = async (c: Context<WebEnv>) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    if (isAdmin(session.caller)) return session;
    const { t } = c.get('speech');
    const frame = await frameFor(c, deps, session);
    return c.html(<MessagePage frame={frame} title={t('admin.title')} message={t('admin.forbidden')} />, 403);
  };

  return { render, allowed };
}

export function adminRoutes(deps: ApiDeps) {
  const { render, allowed } = adminKit(deps);
  // A confirmation's outcome by form key, so a repeated form answers as the first without storing again.
  const confirmedBy = new PendingStore<{ count: number }>(60 * 60_000, 200);

  return new Hono<WebEnv>()
    .get('/admin', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      return render(c, session, blank(Number(c.req.query('year'))));
    })
    .post('/admin/holidays', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody();
      const holiday = { date: text(form, 'date'), name: text(form, 'name') };
      const state = blank();
      const checked = HolidaysBody.safeParse({ holidays: [holiday] });
      if (!checked.success) {
        const errors: AdminState['holiday']['errors'] = {};
        for (const issue of checked.error.issues) {
          const field = issue.path[2];
          if (field === 'date' || field === 'name')
            errors[field] ??= holiday[field] === '' ? t('field.required') : t('field.invalid');
        }
        return render(c, session, { ...state, holiday: { ...holiday, errors, stored: false } }, 422);
      }
      await addHolidays(deps.sql, session.caller, checked.data.holidays);
      return render(c, session, { ...state, holiday: { ...state.holiday, stored: true } });
    })
    .post('/admin/holidays/suggested', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const form = await c.req.parseBody();
      const state = blank(Number(text(form, 'year')));
      // A year outside the picker's (a stale or altered form) confirms nothing rather than another year.
      if (String(state.suggested.year) !== text(form, 'year')) {
        const error = c.get('speech').t('admin.suggested.badYear');
        return render(c, session, { ...state, suggested: { ...state.suggested, error } }, 422);
      }
      const key = KEY.test(text(form, 'key')) ? text(form, 'key') : randomUUID();
      const before = confirmedBy.get(key, session.caller.id);
      if (before) return render(c, session, { ...state, suggested: { ...state.suggested, confirmed: before.count } });
      const open = (await suggestedHolidaysFor(deps.sql, session.caller, state.suggested.year))
        .filter((d) => !d.confirmed)
        .map(({ date, name }) => ({ date, name }));
      if (open.length > 0) await addHolidays(deps.sql, session.caller, open);
      confirmedBy.put(key, session.caller.id, { count: open.length });
      return render(c, session, { ...state, suggested: { ...state.suggested, confirmed: open.length } });
    })
    .post('/admin/deadlines', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody();
      const key = KEY.test(text(form, 'key')) ? text(form, 'key') : randomUUID();
      const values: Partial<Record<DeadlineField, string>> = {};
      for (const f of DEADLINE_FIELDS) if (text(form, f)) values[f] = text(form, f);
      const d: AdminState['deadlines'] = {
        unitId: text(form, 'unitId'),
        period: text(form, 'period'),
        values,
        key,
        errors: {},
        formError: null,
        moved: false,
      };
      if (!UNIT_ID.test(d.unitId)) d.errors.unitId = t('field.required');
      if (!Period.safeParse(d.period).success) d.errors.period = t('field.invalid');
      const body = Object.fromEntries(Object.entries(values).map(([f, v]) => [f, hanoiInstant(v)]));
      const checked = RunningDeadlines.safeParse(body);
      if (!checked.success)
        for (const issue of checked.error.issues) d.errors[issue.path[0] as DeadlineField] ??= t('field.invalid');
      if (Object.keys(values).length === 0) d.formError = t('admin.deadlines.none');
      if (!checked.success || Object.keys(d.errors).length > 0 || d.formError)
        return render(c, session, { ...blank(), deadlines: d }, 422);
      try {
        await moveDeadlines(
          deps,
          session.caller,
          { unitId: d.unitId, period: d.period },
          checked.data,
          updateIdFor(session.caller.id, key),
        );
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const field = (err.details as { field?: string } | undefined)?.field?.replace(/^deadlines\./, '');
        const words = refusal(t, err);
        if (field && (DEADLINE_FIELDS as readonly string[]).includes(field)) d.errors[field as DeadlineField] = words;
        else d.formError = words;
        return render(c, session, { ...blank(), deadlines: d }, 422);
      }
      return render(c, session, { ...blank(), deadlines: { ...d, key: randomUUID(), moved: true } });
    })
    .route('/', adminTokenRoutes(deps));
}

/** The token forms of the admin page: issue one (with its expiry) and revoke any. */
function adminTokenRoutes(deps: ApiDeps) {
  const { render, allowed } = adminKit(deps);
  // A token's receipt by form key, so a repeated form says it was issued instead of minting a second.
  const issued = new PendingStore<{ tokenId: string }>(60 * 60_000, 200);

  return new Hono<WebEnv>()
    .post('/admin/tokens', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const form = await c.req.parseBody({ all: true });
      const key = KEY.test(text(form, 'key')) ? text(form, 'key') : randomUUID();
      const roles = [form.roles ?? []].flat().filter((r): r is string => typeof r === 'string');
      const personId = text(form, 'personId');
      const expiresAt = text(form, 'expiresAt');
      const tok: AdminState['token'] = {
        personId,
        roles,
        expiresAt,
        expiryError: null,
        key,
        error: null,
        issued: null,
      };
      const before = issued.get(key, session.caller.id);
      if (before) return render(c, session, { ...blank(), token: { ...tok, issued: { token: null, ...before } } });
      const checked = TokenRequest.safeParse({
        personId: personId || null,
        roles,
        label: 'web',
        expiresAt: expiresAt ? hanoiInstant(expiresAt) : undefined,
      });
      if (!checked.success) {
        const onExpiry = checked.error.issues.some((i) => i.path[0] === 'expiresAt');
        const words = { [onExpiry ? 'expiryError' : 'error']: t('field.invalid') };
        return render(c, session, { ...blank(), token: { ...tok, ...words } }, 422);
      }
      try {
        const { token, tokenId } = await issueToken(deps.sql, session.caller, checked.data);
        issued.put(key, session.caller.id, { tokenId });
        return render(c, session, { ...blank(), token: { ...tok, issued: { token, tokenId } } });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const onExpiry = (err.details as { field?: string } | undefined)?.field === 'expiresAt';
        const words = { [onExpiry ? 'expiryError' : 'error']: refusal(t, err) };
        return render(c, session, { ...blank(), token: { ...tok, ...words } }, 422);
      }
    })
    .post('/admin/tokens/:id/revoke', async (c) => {
      const session = await allowed(c);
      if (session instanceof Response) return session;
      const state = blank();
      const id = TokenIdParam.safeParse({ id: c.req.param('id') });
      if (!id.success)
        return render(
          c,
          session,
          { ...state, tokens: { ...state.tokens, error: c.get('speech').t('field.invalid') } },
          422,
        );
      try {
        await revokeTokenAs(deps.sql, session.caller, id.data.id);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return render(
          c,
          session,
          { ...state, tokens: { ...state.tokens, error: refusal(c.get('speech').t, err) } },
          422,
        );
      }
      return render(c, session, { ...state, tokens: { ...state.tokens, revoked: id.data.id } });
    });
}
