/** The web pages' settings: the OpenID provider and how long an idle session lives. */
import { z } from 'zod';

export const WebEnv = z.object({
  /** The provider's issuer URL; without it the pages say sign-in is not configured. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where browsers reach the app (for the redirect URI behind a proxy); else the request's own origin. */
  PUBLIC_URL: z.url().optional(),
  /** A session ends after this long without a request. */
  WEB_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});

export interface WebOptions {
  oidc: { issuer: string; clientId: string; clientSecret: string } | null;
  publicUrl: string | null;
  idleSeconds: number;
}

export function webOptions(env: z.infer<typeof WebEnv>): WebOptions {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  return {
    oidc: issuer && clientId && clientSecret ? { issuer, clientId, clientSecret } : null,
    publicUrl: env.PUBLIC_URL ?? null,
    idleSeconds: env.WEB_SESSION_IDLE_MINUTES * 60,
  };
}

export const DEFAULT_WEB: WebOptions = webOptions(WebEnv.parse({}));
