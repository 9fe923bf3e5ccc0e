/**
 * The OpenID Connect client (`openid-client`): authorization code with PKCE, state and nonce.
 * The library checks the answer: its issuer, the ID token's issuer, audience, signature, expiry
 * and nonce; anything off is thrown, and the caller refuses the sign-in.
 */
import * as client from 'openid-client';
import type { WebOptions } from './config';
import type { PendingSignIn } from '../db/web-sessions';

export interface OidcClient {
  start: (redirectUri: string, returnTo: string) => Promise<{ url: URL; pending: PendingSignIn }>;
  /** The claims of a verified ID token for the provider's answer at `callbackUrl`. */
  finish: (callbackUrl: URL, pending: PendingSignIn) => Promise<{ sub: string; email?: string }>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function oidcClient(oidc: NonNullable<WebOptions['oidc']>): OidcClient {
  let config: Promise<client.Configuration> | undefined;
  // Discovered on first use, and again after a failure, so the app starts while its provider is away.
  const discover = () =>
    (config ??= client
      .discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        undefined,
        client.ClientSecretBasic(oidc.clientSecret),
        // Plain http only for a provider on this machine (the development one).
        LOOPBACK.has(new URL(oidc.issuer).hostname) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        config = undefined;
        throw err;
      }));
  return {
    start: async (redirectUri, returnTo) => {
      const cfg = await discover();
      const pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        returnTo,
      };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },
    finish: async (callbackUrl, pending) => {
      const cfg = await discover();
      const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      // Many providers put the e-mail in the UserInfo answer only; it must name the same subject.
      const info =
        typeof claims.email === 'string'
          ? claims
          : await client.fetchUserInfo(cfg, tokens.access_token, claims.sub).catch(() => claims);
      // An e-mail the provider has not verified could be anyone's: only a verified one maps to a person.
      const email = info.email_verified === true && typeof info.email === 'string' ? info.email : undefined;
      return { sub: claims.sub, ...(email ? { email } : {}) };
    },
  };
}
