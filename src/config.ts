/**
 * The only reader of process.env. Validates once at start and fails fast with a message that
 * names every bad variable, so a misconfigured deployment never half-starts.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { MailConfig } from './platform/mail/index.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL starting postgres:// or postgresql://')
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be from 1 to 65535')
    .max(65535, 'must be from 1 to 65535')
    .default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: postgresUrl,
  DATABASE_READ_URL: postgresUrl,
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  STORAGE_DIR: z.string().min(1, 'must not be empty').optional(),
  EVIDENCE_MAX_FILE_MB: z.coerce
    .number({ error: 'must be a whole number of megabytes' })
    .int('must be a whole number of megabytes')
    .min(1, 'must be from 1 to 100 megabytes')
    .max(100, 'must be from 1 to 100 megabytes')
    .default(10),
  DEMO_DATA: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  CONTENT_DIR: z.string().min(1, 'must not be empty').default('./content'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number({ error: 'must be a whole number of minutes' })
    .int('must be a whole number of minutes')
    .min(5, 'must be from 5 to 1440 minutes')
    .max(1440, 'must be from 5 to 1440 minutes')
    .default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number({ error: 'must be a whole number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be from 1 to 168 hours')
    .max(168, 'must be from 1 to 168 hours')
    .default(12),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an SMTP URL starting smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z
    .string()
    .min(3, 'must be an address such as "digicap <no-reply@example.org>"')
    .default('digicap <no-reply@digicap.example>'),
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the address people use, like https://digicap.example.org',
    })
    .optional(),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses',
    )
    .optional(),
  OIDC_ISSUER: z
    .url({
      protocol: /^https?$/,
      error:
        "must be the provider's issuer URL, like https://login.microsoftonline.com/<tenant>/v2.0",
    })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1, 'must not be empty').optional(),
  OIDC_CLIENT_SECRET: z.string().min(1, 'must not be empty').optional(),
  OIDC_DISPLAY_NAME: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(60, 'must be 60 characters or fewer')
    .optional(),
  OIDC_SCOPES: z
    .string()
    .regex(
      /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/,
      'must be scopes separated by single spaces',
    )
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .optional(),
  OIDC_TRUST_EMAIL: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  // Disclosure control for insights (docs/insights-disclosure.md): may be raised, never lowered.
  INSIGHTS_MIN_GROUP: atLeast(10, 'people'),
  INSIGHTS_SMALL_COUNT_MAX: atLeast(7, 'people'),
  INSIGHTS_ROUND_TO: atLeast(5, ''),
  INSIGHTS_MIN_DIFFERENCE: atLeast(8, 'people'),
  INSIGHTS_MIN_FOR_AVERAGE: atLeast(8, 'people'),
});

/** A whole-number setting that may be raised above its floor, never set below it. */
function atLeast(floor: number, unit: string) {
  const what = unit ? ` ${unit}` : '';
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(floor, `must be at least ${String(floor)}${what}: it can be raised, never lowered`)
    .max(1000, 'must be at most 1000')
    .optional();
}

/** Variables whose values must never be echoed (they may carry passwords). */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'SESSION_SECRET',
  'SMTP_URL',
  'OIDC_CLIENT_SECRET',
]);

/** Single sign-on with one OpenID Connect provider (docs/decisions/005-single-sign-on.md). */
export interface OidcConfig {
  /** The provider's issuer identifier, exactly as its discovery document gives it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the button: "Sign in with <displayName>". */
  displayName: string;
  /** Space-separated; always includes openid. */
  scopes: string;
  /** Treat the email claim as verified when the provider sends no email_verified (Entra ID). */
  trustEmail: boolean;
  /** Where the provider sends people back: PUBLIC_URL + /sign-in/sso/callback. */
  redirectUri: string;
  /** True only outside production, for an http:// issuer (a test provider on loopback). */
  allowInsecureRequests: boolean;
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
const OIDC_OPTIONAL = ['OIDC_DISPLAY_NAME', 'OIDC_SCOPES', 'OIDC_TRUST_EMAIL'] as const;

function parseOidc(e: z.output<typeof envSchema>, publicUrl: string): OidcConfig | undefined {
  const present = [...OIDC_REQUIRED, ...OIDC_OPTIONAL].filter((name) => e[name] !== undefined);
  if (present.length === 0) return undefined;
  const missing = OIDC_REQUIRED.filter((name) => e[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `Configuration is not valid:\n${missing
        .map(
          (name) =>
            `  ${name} must be set for single sign-on (${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set; set all of ${OIDC_REQUIRED.join(', ')}, or none)`,
        )
        .join('\n')}`,
    );
  }
  const issuer = e.OIDC_ISSUER ?? '';
  const insecure = issuer.startsWith('http:');
  if (insecure && e.NODE_ENV === 'production') {
    throw new ConfigError(
      `Configuration is not valid:\n  OIDC_ISSUER must use https:// in production (got ${JSON.stringify(issuer)})`,
    );
  }
  return {
    issuer,
    clientId: e.OIDC_CLIENT_ID ?? '',
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    displayName: e.OIDC_DISPLAY_NAME ?? 'your organisation account',
    scopes: e.OIDC_SCOPES ?? 'openid email profile',
    trustEmail: e.OIDC_TRUST_EMAIL === 'true',
    redirectUri: `${publicUrl}/sign-in/sso/callback`,
    allowInsecureRequests: insecure,
  };
}

export type Env = z.input<typeof envSchema>;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  /**
   * A streaming replica of `databaseUrl`'s primary, for reads that may lag slightly
   * (`Database.read`). Absent: those reads go to the primary too.
   */
  databaseReadUrl?: string;
  /** Folder for the embedded database (and, later, uploads). Absolute. */
  dataDir: string;
  /**
   * Folder for uploaded files (evidence): STORAGE_DIR, else DATA_DIR/files. Absolute. With
   * several app instances it must be a volume they all share.
   */
  storageDir: string;
  /** Largest evidence file a person may upload, in bytes (EVIDENCE_MAX_FILE_MB). */
  evidenceMaxFileBytes: number;
  logLevel: (typeof logLevels)[number];
  /** Folder of bundled content (frameworks, catalogues). Absolute. */
  contentDir: string;
  /** Project root: where package.json, db/migrations and src/ live. */
  rootDir: string;
  /** Signs session cookies; the same on every instance. Random per process outside production. */
  sessionSecret: string;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
  /** …and after this long whatever happens. */
  sessionAbsoluteHours: number;
  /** The address people use to reach digicap, for links in email (no trailing slash). */
  publicUrl: string;
  /** Outgoing email: SMTP when smtpUrl is set, otherwise the development outbox. */
  mail: MailConfig;
  /** Fastify's trustProxy: which X-Forwarded-* headers to believe. Off unless configured. */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
  /** Create the demo organisations and people when the database is empty (never in production). */
  demoData: boolean;
  /** Single sign-on; undefined when OIDC_* are not set (password sign-in only). */
  oidc: OidcConfig | undefined;
  /** Raised disclosure thresholds for insights (INSIGHTS_*); the floors apply where unset. */
  insightsRules: {
    minPopulation?: number;
    smallCountMax?: number;
    roundTo?: number;
    minDifference?: number;
    minForAverage?: number;
  };
}

function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((v) => v.trim());
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The project root, found from this file whether it runs from src/ (tests) or dist/ (built). */
export function findRootDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/config.ts → .. ; dist/server.js → ..
  return path.resolve(here, '..');
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const got = SECRET_VARIABLES.has(name)
        ? 'value hidden'
        : `got ${JSON.stringify(cleaned[name])}`;
      return `  ${name} ${issue.message} (${got})`;
    });
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SMTP_URL) {
    // Without it, production email would go to an outbox nobody sees.
    throw new ConfigError(
      'Configuration is not valid:\n  SMTP_URL must be set in production (value hidden)',
    );
  }
  if (e.NODE_ENV === 'production' && e.DEMO_DATA === 'true') {
    throw new ConfigError(
      'Configuration is not valid:\n  DEMO_DATA must not be true in production: demo accounts have a published password',
    );
  }
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError(
      'Configuration is not valid:\n  SESSION_SECRET must be set in production (32 or more random characters, the same on every instance)',
    );
  }
  if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      'Configuration is not valid:\n  DATABASE_READ_URL needs DATABASE_URL: reads go to a replica of that primary (value hidden)',
    );
  }
  const rootDir = findRootDir();
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    ...(e.DATABASE_READ_URL ? { databaseReadUrl: e.DATABASE_READ_URL } : {}),
    dataDir: path.resolve(rootDir, e.DATA_DIR),
    storageDir: e.STORAGE_DIR
      ? path.resolve(rootDir, e.STORAGE_DIR)
      : path.resolve(rootDir, e.DATA_DIR, 'files'),
    evidenceMaxFileBytes: e.EVIDENCE_MAX_FILE_MB * 1024 * 1024,
    logLevel: e.LOG_LEVEL,
    contentDir: path.resolve(rootDir, e.CONTENT_DIR),
    rootDir,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    // Outside production a missing secret gets a random one: sessions then last until restart.
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    publicUrl,
    oidc: parseOidc(e, publicUrl),
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    // On by default for `npm start` (development), so a newcomer can sign in straight away.
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV === 'development',
    insightsRules: {
      ...(e.INSIGHTS_MIN_GROUP !== undefined ? { minPopulation: e.INSIGHTS_MIN_GROUP } : {}),
      ...(e.INSIGHTS_SMALL_COUNT_MAX !== undefined
        ? { smallCountMax: e.INSIGHTS_SMALL_COUNT_MAX }
        : {}),
      ...(e.INSIGHTS_ROUND_TO !== undefined ? { roundTo: e.INSIGHTS_ROUND_TO } : {}),
      ...(e.INSIGHTS_MIN_DIFFERENCE !== undefined
        ? { minDifference: e.INSIGHTS_MIN_DIFFERENCE }
        : {}),
      ...(e.INSIGHTS_MIN_FOR_AVERAGE !== undefined
        ? { minForAverage: e.INSIGHTS_MIN_FOR_AVERAGE }
        : {}),
    },
  };
}
