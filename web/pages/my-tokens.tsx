/** Thẻ truy cập của tôi: the signed-in person's own tokens, each active one with its revoke button. */
import { Layout, type Frame } from '../layout';
import type { WebSession } from '../session';
import { TokenList, type TokenItem } from './token-list';

export function MyTokensPage(props: {
  frame: Frame & { session: WebSession };
  tokens: TokenItem[];
  error: string | null;
  revoked: string | null;
}) {
  const { t } = props.frame.speech;
  return (
    <Layout frame={props.frame} title={t('myTokens.title')}>
      <h1>{t('myTokens.title')}</h1>
      <p>{t('myTokens.intro')}</p>
      <TokenList
        frame={props.frame}
        tokens={props.tokens}
        base="/my-tokens"
        error={props.error}
        revoked={props.revoked}
      />
    </Layout>
  );
}
