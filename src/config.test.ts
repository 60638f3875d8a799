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

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be from 1 to 65535/);
  });
});
