import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      isProduction: false,
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      logLevel: 'info',
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'a'.repeat(64),
      SMTP_URL: 'smtp://mailer:pw@smtp.example.org:587',
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/digicap',
      DATA_DIR: '/var/lib/digicap',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      isProduction: true,
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db:5432/digicap',
      dataDir: '/var/lib/digicap',
      logLevel: 'warn',
    });
  });

  it('names every bad variable and what is wrong with it', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'staging',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT must be a whole number (got "abc")');
    expect(message).toContain(
      'DATABASE_URL must be a PostgreSQL URL starting postgres:// or postgresql:// (value hidden)',
    );
    expect(message).toContain('LOG_LEVEL must be one of');
    expect(message).toContain('NODE_ENV');
  });

  it('never echoes a database URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://admin:S3cret@db/x' })).toThrow(
      /^(?![\s\S]*S3cret)/,
    );
  });

  it('reads a replica URL for lagging reads, only beside DATABASE_URL', () => {
    expect(loadConfig({}).databaseReadUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/digicap' }).databaseReadUrl).toBeUndefined();
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://u@db/digicap',
        DATABASE_READ_URL: 'postgresql://u@replica/digicap',
      }).databaseReadUrl,
    ).toBe('postgresql://u@replica/digicap');
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://u:S3cret@replica/digicap' })).toThrow(
      'DATABASE_READ_URL needs DATABASE_URL: reads go to a replica of that primary',
    );
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://u:S3cret@replica/digicap' })).toThrow(
      /^(?![\s\S]*S3cret)/,
    );
  });

  it('checks the replica URL like DATABASE_URL, and never echoes it', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'postgres://u@db/digicap',
        DATABASE_READ_URL: 'mysql://admin:S3cret@replica/x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(
      'DATABASE_READ_URL must be a PostgreSQL URL starting postgres:// or postgresql:// (value hidden)',
    );
    expect(message).not.toContain('S3cret');
  });

  it('reads which proxies to trust', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    const twoHops = loadConfig({ TRUST_PROXY: '2' }).trustProxy as (
      a: string,
      hop: number,
    ) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(
      /TRUST_PROXY must be true, false/,
    );
  });

  it('requires a session secret in production, and never echoes it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://x:25' })).toThrow(
      /SESSION_SECRET must be set in production/,
    );
    expect(() => loadConfig({ SESSION_SECRET: 'short-secret-value' })).toThrow(
      /SESSION_SECRET must be at least 32 characters \(value hidden\)/,
    );
    const secret = 'x'.repeat(40);
    const production = { NODE_ENV: 'production', SESSION_SECRET: secret, SMTP_URL: 'smtp://x:25' };
    expect(loadConfig(production).sessionSecret).toBe(secret);
    expect(loadConfig({}).sessionSecret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('requires SMTP in production and never echoes its URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(40) })).toThrow(
      /SMTP_URL must be set in production/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://user:Pw0rd@host' })).toThrow(
      /SMTP_URL must be an SMTP URL starting smtp:\/\/ or smtps:\/\/ \(value hidden\)/,
    );
    expect(loadConfig({}).mail).toEqual({
      smtpUrl: undefined,
      from: 'digicap <no-reply@digicap.example>',
    });
  });

  it('reads session timeouts, with limits', () => {
    expect(loadConfig({})).toMatchObject({ sessionIdleMinutes: 60, sessionAbsoluteHours: 12 });
    expect(loadConfig({ SESSION_IDLE_MINUTES: '20', SESSION_ABSOLUTE_HOURS: '8' })).toMatchObject({
      sessionIdleMinutes: 20,
      sessionAbsoluteHours: 8,
    });
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '1' })).toThrow(
      /SESSION_IDLE_MINUTES must be from 5 to 1440/,
    );
  });

  it('adds demo data by default only in development, and never in production', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).demoData).toBe(false);
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://x:25',
    };
    expect(loadConfig(production).demoData).toBe(false);
    expect(() => loadConfig({ ...production, DEMO_DATA: 'true' })).toThrow(
      /DEMO_DATA must not be true in production/,
    );
    expect(() => loadConfig({ DEMO_DATA: 'yes' })).toThrow(/DEMO_DATA must be true or false/);
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be from 1 to 65535/);
  });
});

describe('loadConfig: single sign-on (OIDC_*)', () => {
  const oidc = {
    OIDC_ISSUER: 'https://login.microsoftonline.com/tenant-id/v2.0',
    OIDC_CLIENT_ID: 'digicap-client',
    OIDC_CLIENT_SECRET: 'client secret value',
  };
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    SMTP_URL: 'smtp://x:25',
    PUBLIC_URL: 'https://digicap.example.org/',
  };
  const messageOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('is off when no OIDC variable is set', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('reads the provider, with defaults, and a callback on PUBLIC_URL', () => {
    expect(loadConfig({ ...production, ...oidc }).oidc).toEqual({
      issuer: 'https://login.microsoftonline.com/tenant-id/v2.0',
      clientId: 'digicap-client',
      clientSecret: 'client secret value',
      displayName: 'your organisation account',
      scopes: 'openid email profile',
      trustEmail: false,
      redirectUri: 'https://digicap.example.org/sign-in/sso/callback',
      allowInsecureRequests: false,
    });
    expect(
      loadConfig({
        ...oidc,
        OIDC_DISPLAY_NAME: ' NHS Care Identity ',
        OIDC_SCOPES: 'openid email profile nationalrbacaccess',
        OIDC_TRUST_EMAIL: 'true',
      }).oidc,
    ).toMatchObject({
      displayName: 'NHS Care Identity',
      scopes: 'openid email profile nationalrbacaccess',
      trustEmail: true,
      redirectUri: 'http://localhost:3000/sign-in/sso/callback',
    });
  });

  it('needs the issuer, client id and secret together, naming what is missing', () => {
    const message = messageOf({ OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_DISPLAY_NAME: 'NHS' });
    expect(message).toContain('OIDC_CLIENT_ID must be set for single sign-on');
    expect(message).toContain('OIDC_CLIENT_SECRET must be set for single sign-on');
    expect(message).not.toMatch(/OIDC_ISSUER must/);
    expect(messageOf({ OIDC_CLIENT_SECRET: 'only the secret' })).toContain(
      'OIDC_ISSUER must be set for single sign-on',
    );
    expect(messageOf({ OIDC_TRUST_EMAIL: 'true' })).toContain('OIDC_CLIENT_ID must be set');
  });

  it('never echoes the client secret', () => {
    const message = messageOf({ ...oidc, OIDC_CLIENT_SECRET: ' ', OIDC_ISSUER: 'not a url' });
    expect(message).toContain("OIDC_ISSUER must be the provider's issuer URL");
    expect(message).toContain('(got "not a url")');
    const secretProblem = messageOf({ ...oidc, OIDC_SCOPES: 'email profile' });
    expect(secretProblem).toContain('OIDC_SCOPES must include openid');
    expect(secretProblem).not.toContain('client secret value');
    const missing = messageOf({ OIDC_CLIENT_SECRET: 'client secret value' });
    expect(missing).not.toContain('client secret value');
  });

  it('allows an http:// issuer only outside production', () => {
    const local = { ...oidc, OIDC_ISSUER: 'http://127.0.0.1:3108' };
    expect(loadConfig({ NODE_ENV: 'test', ...local }).oidc?.allowInsecureRequests).toBe(true);
    expect(messageOf({ ...production, ...local })).toContain(
      'OIDC_ISSUER must use https:// in production',
    );
  });

  it('checks scopes and the trust switch', () => {
    expect(messageOf({ ...oidc, OIDC_SCOPES: 'openid  email' })).toContain(
      'OIDC_SCOPES must be scopes separated by single spaces',
    );
    expect(messageOf({ ...oidc, OIDC_TRUST_EMAIL: 'yes' })).toContain(
      'OIDC_TRUST_EMAIL must be true or false',
    );
  });
});
