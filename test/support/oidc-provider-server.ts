/**
 * The test OpenID provider as a process, for Playwright's webServer (playwright.config.ts):
 * `npx tsx test/support/oidc-provider-server.ts`. Listens on 127.0.0.1:OIDC_PROVIDER_PORT with
 * one client (OIDC_CLIENT_ID / OIDC_CLIENT_SECRET) whose only redirect URI is
 * OIDC_REDIRECT_URI, and fixed accounts for test/e2e/sso.spec.ts. Stops on SIGTERM or SIGINT.
 */
import { startOidcProvider } from './oidc-provider.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the test OpenID provider`);
  return value;
}

const port = Number(process.env.OIDC_PROVIDER_PORT ?? 3108);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  throw new Error(`OIDC_PROVIDER_PORT must be a port number (got ${String(port)})`);

const provider = await startOidcProvider({
  port,
  redirectUris: [required('OIDC_REDIRECT_URI')],
  clientId: required('OIDC_CLIENT_ID'),
  clientSecret: required('OIDC_CLIENT_SECRET'),
  accounts: [
    // One per Playwright project, so that the projects can run side by side.
    ...['chromium-js', 'chromium-no-js'].map((project) => ({
      username: `sso-${project}`,
      email: `sso-${project}@nhs.example`,
      email_verified: true,
      name: `Sam Single (${project})`,
    })),
    { username: 'sso-unverified', email: 'unverified@nhs.example', email_verified: false },
  ],
});
console.log(`test OpenID provider listening at ${provider.issuer}`);

const stop = () => {
  void provider.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
