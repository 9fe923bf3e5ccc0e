/**
 * The message catalogue (web/locales/*.json) through i18next: Vietnamese by default, English on
 * the switch (the `lang` cookie), else what `Accept-Language` prefers. Dates, numbers and times
 * are shown in the language's local format and always in Hanoi's time zone.
 */
import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import vi from './locales/vi.json' with { type: 'json' };

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'vi';
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

const i18n = i18next.createInstance();
void i18n.init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: DEFAULT_LANG,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: [...LANGS],
  initAsync: false,
  // hono/jsx escapes what it renders; escaping here too would show entities.
  interpolation: { escapeValue: false },
});

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/** The language for a request: the cookie's, else the first of `Accept-Language` we speak, else Vietnamese. */
export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1 };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q);
  return wanted.map((w) => w.lang).find(isLang) ?? DEFAULT_LANG;
}

/** What a page needs to speak the reader's language. */
export interface Speech {
  lang: Lang;
  t: TFunction;
  /** A date and time in Hanoi, e.g. "5 thg 12, 2026 17:00". */
  dateTime: (at: Date) => string;
  /** How far `at` lies from `now`, e.g. "sau 3 ngày" / "in 3 days", or "2 giờ trước". */
  relative: (at: Date, now: Date) => string;
  number: (n: number) => string;
  /** An evaluation period (`YYYY-MM`) as words, e.g. "tháng 10 năm 2026" / "October 2026". */
  month: (period: string) => string;
  /** A calendar day (YYYY-MM-DD), e.g. "17 thg 2, 2026". */
  date: (day: string) => string;
}

export function speech(lang: Lang): Speech {
  const locale = LOCALE[lang];
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
  const rt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const nf = new Intl.NumberFormat(locale);
  const mf = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const df = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    lang,
    t: i18n.getFixedT(lang),
    dateTime: (at) => dt.format(at),
    relative: (at, now) => {
      const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
      if (Math.abs(minutes) < 60) return rt.format(minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (Math.abs(hours) < 48) return rt.format(hours, 'hour');
      return rt.format(Math.round(hours / 24), 'day');
    },
    number: (n) => nf.format(n),
    month: (period) => {
      const [y, m] = period.split('-').map(Number);
      return Number.isInteger(y) && Number.isInteger(m) ? mf.format(Date.UTC(y, m - 1, 1)) : period;
    },
    date: (day) => {
      const at = Date.parse(`${day}T00:00:00Z`);
      return Number.isNaN(at) ? day : df.format(at);
    },
  };
}
