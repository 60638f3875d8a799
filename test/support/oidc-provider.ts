/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified implementation) on
 * 127.0.0.1, for tests of single sign-on: one confidential client that must use PKCE, and
 * accounts whose claims the test chooses. Its login page is a tiny form of our own (a username
 * and a "Sign in" button, or "Cancel"), so tests and browsers go through a real interaction;
 * consent is granted automatically, as a first-party provider would.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestAccount {
  /** What is typed into the provider's username box; also the account's `sub`. */
  username: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or replaces an account (claims can change between sign-ins). */
  setAccount(account: TestAccount): void;
  close(): Promise<void>;
}

export interface TestOidcProviderOptions {
  /** The app's callback URLs, e.g. http://localhost:3000/sign-in/sso/callback */
  redirectUris: string[];
  /** 0 (default) for any free port. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  accounts?: TestAccount[];
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid: string, error?: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return [
    error ? `<p role="alert" id="login-error">${escapeHtml(error)}</p>` : '',
    `<form method="post" action="${action}/login">`,
    `<label for="login">Username</label> `,
    `<input id="login" name="login" autocomplete="username"${error ? ' aria-describedby="login-error"' : ''}> `,
    `<button type="submit">Sign in</button></form>`,
    `<form method="post" action="${action}/abort"><button type="submit">Cancel</button></form>`,
  ].join('');
}

export async function startOidcProvider(
  options: TestOidcProviderOptions,
): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? 'digicap-test';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const accounts = new Map<string, TestAccount>();
  for (const account of options.accounts ?? []) accounts.set(account.username, account);

  // The issuer URL holds the port, so the server listens first and handles requests once the
  // provider exists (nobody can reach it before then: nobody knows the port).
  const server = createServer();

  async function handleInteraction(
    current: Provider,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const [, , uid = '', action] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    const details = await current.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction does not match its cookie');
    if (req.method === 'GET' && details.prompt.name === 'login') {
      page(res, 200, 'Sign in to the test identity provider', loginForm(uid));
      return;
    }
    if (req.method === 'GET' && details.prompt.name === 'consent') {
      // A first-party provider: grant what was asked without asking.
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('consent without a signed-in account');
      const grant = details.grantId
        ? await current.Grant.find(details.grantId)
        : new current.Grant({ accountId, clientId: String(details.params.client_id) });
      if (!grant) throw new Error('grant not found');
      const missing = details.prompt.details.missingOIDCScope;
      if (Array.isArray(missing)) grant.addOIDCScope(missing.join(' '));
      const missingClaims = details.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
      const grantId = await grant.save();
      await current.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const login = (await formBody(req)).get('login')?.trim() ?? '';
      if (!accounts.has(login)) {
        page(res, 200, 'Sign in to the test identity provider', loginForm(uid, 'Unknown username'));
        return;
      }
      await current.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === 'POST' && action === 'abort') {
      await current.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person cancelled' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    page(res, 400, 'Unexpected interaction', '');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    // Short, explicit lifetimes (the defaults print notices asking for them).
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    features: { devInteractions: { enabled: false } },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => {
          const { username, ...claims } = account;
          return { sub: username, ...claims };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><title>Error</title></head><body><main><h1>Error</h1><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p></main></body></html>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    void handle(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount(account) {
      accounts.set(account.username, account);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
