/**
 * A list of tokens (short id, person, roles, expiry, status; never the secret) with a revoke
 * button on each active one, shown on the admin page (every token) and on "my tokens" (one's own).
 */
import type { z } from '@hono/zod-openapi';
import type { TokenView } from '../../api/schemas';
import { CsrfField, type Frame } from '../layout';
import type { WebSession } from '../session';

export type TokenItem = z.infer<typeof TokenView>;

export function TokenList(props: {
  frame: Frame & { session: WebSession };
  tokens: TokenItem[];
  /** Where a token's revoke form posts: `${base}/${id}/revoke`. */
  base: string;
  error?: string | null;
  revoked?: string | null;
}) {
  const { t, dateTime } = props.frame.speech;
  return (
    <div id="token-list">
      {props.revoked && (
        <p class="notice" role="status">
          {t('tokenList.revoked', { id: props.revoked })}
        </p>
      )}
      {props.error && (
        <p class="alert" role="alert">
          {props.error}
        </p>
      )}
      {props.tokens.length === 0 ? (
        <p>{t('tokenList.none')}</p>
      ) : (
        <>
          <p class="hint">{t('tokenList.caption')}</p>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('tokenList.id')}</th>
                <th scope="col">{t('tokenList.person')}</th>
                <th scope="col">{t('tokenList.roles')}</th>
                <th scope="col">{t('tokenList.expiresAt')}</th>
                <th scope="col">{t('tokenList.status')}</th>
                <th scope="col">{t('tokenList.action')}</th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((tok) => (
                <tr id={`token-${tok.id}`}>
                  <td data-label={t('tokenList.id')}>
                    <code>{tok.id}</code>
                  </td>
                  <td data-label={t('tokenList.person')}>{tok.personId ?? '—'}</td>
                  <td data-label={t('tokenList.roles')}>{tok.roles.length ? tok.roles.join(', ') : '—'}</td>
                  <td data-label={t('tokenList.expiresAt')}>
                    {tok.expiresAt ? dateTime(new Date(tok.expiresAt)) : t('tokenList.never')}
                  </td>
                  <td class="token-status" data-label={t('tokenList.status')}>
                    {t(`tokenList.state.${tok.status}`)}
                  </td>
                  <td data-label={t('tokenList.action')}>
                    {tok.status === 'active' && (
                      <form
                        method="post"
                        action={`${props.base}/${tok.id}/revoke`}
                        hx-post={`${props.base}/${tok.id}/revoke`}
                        hx-target="main"
                        hx-select="main"
                        hx-swap="outerHTML"
                        hx-disabled-elt="find button"
                      >
                        <CsrfField session={props.frame.session} />
                        <button type="submit" class="secondary" aria-label={t('tokenList.revokeOne', { id: tok.id })}>
                          <span class="idle">{t('tokenList.revoke')}</span>
                          <span class="busy">{t('plan.sending')}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
