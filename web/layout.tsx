/**
 * The page frame every page renders into: skip link, header (app name, who is signed in, the
 * count of my tasks, navigation, language switch, sign-out), main landmark, footer.
 */
import type { Child } from 'hono/jsx';
import type { Speech } from './i18n';
import { NAV } from './nav';
import type { WebSession } from './session';
import { CSRF_FIELD } from './session';

export interface Frame {
  speech: Speech;
  /** The current path, for the language switch to come back to and the navigation to mark. */
  path: string;
  session: WebSession | null;
  /** The signed-in person's name and open task count; absent on the sign-in page. */
  me?: { name: string; taskCount: number };
}

/** Hidden field carrying the session's CSRF token: every form that changes something includes it. */
export const CsrfField = ({ session }: { session: WebSession }) => (
  <input type="hidden" name={CSRF_FIELD} value={session.csrf} />
);

export function Layout(props: { frame: Frame; title: string; children: Child }) {
  const { speech, path, session, me } = props.frame;
  const { t, lang } = speech;
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {t('app.skip')}
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/tasks">
              {t('app.name')}
            </a>
            <a class="lang" href={`/lang?to=${other}&back=${encodeURIComponent(path)}`} hreflang={other} lang={other}>
              {t('nav.switchTo')}
            </a>
          </div>
          {me && session && (
            <div class="bar">
              <nav aria-label={t('nav.label')}>
                <ul>
                  {NAV.filter((n) => n.shows(session.caller)).map((n) => (
                    <li>
                      <a href={n.href} aria-current={path.startsWith(n.href) ? 'page' : undefined}>
                        {t(n.labelKey)}
                        {n.href === '/tasks' && (
                          <span class="count" id="task-count">
                            {' '}
                            <span aria-hidden="true">{speech.number(me.taskCount)}</span>
                            <span class="sr">{t('nav.taskCount', { count: me.taskCount })}</span>
                          </span>
                        )}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <form method="post" action="/sign-out" class="signout">
                <span class="who">{t('app.signedInAs', { name: me.name })}</span>
                <CsrfField session={session} />
                <button type="submit">{t('nav.signOut')}</button>
              </form>
            </div>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
