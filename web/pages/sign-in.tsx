/** The sign-in page: one button to the OpenID provider, and why the last attempt failed, if it did. */
import { Layout, type Frame } from '../layout';

export function SignInPage(props: { frame: Frame; message: string | null; configured: boolean; next: string }) {
  const { t } = props.frame.speech;
  return (
    <Layout frame={props.frame} title={t('signIn.title')}>
      <h1>{t('signIn.title')}</h1>
      {props.message && (
        <p class="alert" role="alert">
          {props.message}
        </p>
      )}
      {props.configured ? (
        <>
          <p>{t('signIn.intro')}</p>
          <a class="button" href={`/auth/start?next=${encodeURIComponent(props.next)}`}>
            {t('signIn.button')}
          </a>
        </>
      ) : (
        <p class="alert">{t('signIn.notConfigured')}</p>
      )}
    </Layout>
  );
}
