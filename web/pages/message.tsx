/** A page that only says something: a refusal (a stale form, a page not found) with a way back. */
import { Layout, type Frame } from '../layout';

export function MessagePage(props: { frame: Frame; title: string; message: string }) {
  const { t } = props.frame.speech;
  return (
    <Layout frame={props.frame} title={props.title}>
      <h1>{props.title}</h1>
      <p class="alert" role="alert">
        {props.message}
      </p>
      <p>
        <a href="/tasks">{t('nav.tasks')}</a>
      </p>
    </Layout>
  );
}
