/**
 * A real OpenID provider (`oidc-provider`) on loopback for development and tests: it knows the
 * directory's people (log-in name = the person's id, one shared dev password), and the app as its
 * only client. Its sign-in form is ours, so the password is really checked; consent is implied,
 * the app being the provider's own.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface DevPerson {
  id: string;
  fullName: string;
  email?: string | null;
}

export interface DevProviderOptions {
  people: DevPerson[];
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  password: string;
  /** 0 picks a free port. */
  port: number;
}

export interface DevProvider {
  issuer: string;
  stop: () => Promise<void>;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function loginPage(uid: string, error: string | null): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Đăng nhập (nhà cung cấp thử nghiệm)</title>
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:1rem}
input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1rem;font:inherit}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}.err{color:#991b1b}</style></head>
<body><main><h1>Đăng nhập</h1><p>Nhà cung cấp OpenID thử nghiệm (chỉ dùng khi phát triển).</p>
${error ? `<p class="err" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Tên đăng nhập</label><input id="login" name="login" autocomplete="username" required autofocus>
<label for="password">Mật khẩu</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button></form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startDevProvider(opts: DevProviderOptions): Promise<DevProvider> {
  const byId = new Map(opts.people.map((p) => [p.id, p]));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.client.clientId,
        client_secret: opts.client.clientSecret,
        redirect_uris: opts.client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'dev', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const p = byId.get(sub);
      if (!p) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: p.fullName, ...(p.email ? { email: p.email, email_verified: true } : {}) }),
      };
    },
  });

  const interact = async (req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!submitted) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, null));
        return;
      }
      const form = await formBody(req);
      const login = form.get('login') ?? '';
      if (!byId.has(login) || form.get('password') !== opts.password) {
        res
          .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
          .end(loginPage(uid, 'Sai tên đăng nhập hoặc mật khẩu.'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    // The app is the provider's own client: what it asks for is granted without a consent page.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant!.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!m) {
      void callback(req, res);
      return;
    }
    interact(req, res, m[1], req.method === 'POST' && !!m[2]).catch((err: unknown) => {
      if (!res.headersSent)
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Sign-in failed: ${String(err)}`);
    });
  });
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
