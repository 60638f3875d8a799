/**
 * End-to-end tests: the built server (`node dist/server.js`, so run `npm run build` first, as
 * `npm run test:e2e` does) on a fixed port with a fresh embedded database, driven by the system
 * Chromium with JavaScript on and off. The self-assessment, results and learning journeys also
 * run, in the `-postgres` projects, against another app instance on a throwaway PostgreSQL server
 * (it needs the PostgreSQL server binaries, as the Vitest `postgres` project does). Browser downloads are
 * not used: never `playwright install`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, type LaunchOptions } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3107);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  throw new Error(`E2E_PORT must be a port number (got ${JSON.stringify(process.env.E2E_PORT)})`);
}
const baseURL = `http://127.0.0.1:${port}`;
// Single sign-on (test/e2e/sso.spec.ts): a real OpenID provider on the next port, and a second
// app instance configured to use it on the one after, so that the other specs' sign-in page
// stays as it is without single sign-on.
const oidcProviderPort = port + 1;
const ssoBaseURL = `http://127.0.0.1:${port + 2}`;
const oidcClient = { id: 'digicap-e2e', secret: 'e2e-only-client-secret-not-used-anywhere-else' };
// PostgreSQL: the journeys that write the most (assessment, results and the learning journey)
// again, against an instance that test/support/postgres-app-server.ts runs on a throwaway server.
const postgresBaseURL = `http://127.0.0.1:${port + 3}`;
const postgresSpecs = ['assessment.spec.ts', 'results.spec.ts', 'learning-journey.spec.ts'];

// Playwright loads this file in the runner and again in every worker; workers inherit the
// runner's environment, so only the runner makes (and later removes) the database folder.
let dataDir = process.env.DIGICAP_E2E_DATA_DIR;
if (!dataDir) {
  const created = mkdtempSync(path.join(os.tmpdir(), 'digicap-e2e-'));
  dataDir = created;
  process.env.DIGICAP_E2E_DATA_DIR = created;
  process.on('exit', () => {
    rmSync(created, { recursive: true, force: true });
  });
}

const launchOptions: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
  // Generous, as CI machines and laptops running other work can be slow to navigate.
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    // Traces cost about a fifth more CPU; ask for them with --trace retain-on-failure.
    trace: 'off',
  },
  projects: [
    { name: 'chromium-js', use: { javaScriptEnabled: true, launchOptions } },
    { name: 'chromium-no-js', use: { javaScriptEnabled: false, launchOptions } },
    {
      name: 'chromium-js-postgres',
      testMatch: postgresSpecs,
      use: { baseURL: postgresBaseURL, javaScriptEnabled: true, launchOptions },
    },
    {
      name: 'chromium-no-js-postgres',
      testMatch: postgresSpecs,
      use: { baseURL: postgresBaseURL, javaScriptEnabled: false, launchOptions },
    },
  ],
  webServer: [
    {
      command: 'node dist/server.js',
      url: `${baseURL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        // The demo organisations and people: journeys sign in as them (src/demo/demo-people.ts).
        DEMO_DATA: 'true',
      },
    },
    {
      command: 'npx tsx test/support/oidc-provider-server.ts',
      url: `http://127.0.0.1:${oidcProviderPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        OIDC_PROVIDER_PORT: String(oidcProviderPort),
        OIDC_REDIRECT_URI: `${ssoBaseURL}/sign-in/sso/callback`,
        OIDC_CLIENT_ID: oidcClient.id,
        OIDC_CLIENT_SECRET: oidcClient.secret,
      },
    },
    {
      command: 'node dist/server.js',
      url: `${ssoBaseURL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port + 2),
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: path.join(dataDir, 'sso'),
        PUBLIC_URL: ssoBaseURL,
        OIDC_ISSUER: `http://127.0.0.1:${oidcProviderPort}`,
        OIDC_CLIENT_ID: oidcClient.id,
        OIDC_CLIENT_SECRET: oidcClient.secret,
        OIDC_DISPLAY_NAME: 'NHS Test Identity',
      },
    },
    {
      command: 'npx tsx test/support/postgres-app-server.ts',
      url: `${postgresBaseURL}/health`,
      reuseExistingServer: false,
      // initdb, then the migrations on an empty database.
      timeout: 120_000,
      // A signal, not Playwright's default SIGKILL, so that the launcher can stop PostgreSQL
      // (which pg_ctl starts outside this process group) and remove its folder.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port + 3),
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'true',
      },
    },
  ],
});
