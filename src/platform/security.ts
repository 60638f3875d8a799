/**
 * Security headers. A strict Content Security Policy with a fresh nonce per response: no inline
 * script runs unless it carries the nonce, and nothing loads from other origins except the NHS.UK
 * font files. Other headers (nosniff, frame denial, referrer policy, …) come from @fastify/helmet.
 *
 * The CSP itself is built here rather than by helmet's nonce option, which re-creates and
 * re-parses the whole policy for every response: about a quarter of the server's time per cached
 * page (docs/decisions/004-page-cache.md). Here the policy is assembled once, and each response
 * only joins in its nonce.
 */
import { randomFillSync } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

const NONCE_BYTES = 16;
const POOL_NONCES = 256;

/**
 * Nonces of 128 random bits from the system CSPRNG, drawn from a pooled buffer so that the
 * kernel is asked once per 256 responses; every nonce is used once.
 */
export function createNonceSource(): () => string {
  const pool = Buffer.alloc(NONCE_BYTES * POOL_NONCES);
  let next = POOL_NONCES;
  return () => {
    if (next === POOL_NONCES) {
      randomFillSync(pool);
      next = 0;
    }
    const start = next * NONCE_BYTES;
    next++;
    return pool.toString('base64', start, start + NONCE_BYTES);
  };
}

/** The policy as two halves either side of the script nonce. */
export function contentSecurityPolicy(config: Pick<Config, 'isProduction'>): {
  before: string;
  after: string;
} {
  const directives: [string, string][] = [
    ['default-src', "'self'"],
    ['script-src', "'self' 'nonce-{nonce}'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    // nhsuk-frontend's stylesheet loads the Frutiger web font from assets.nhs.uk.
    ['font-src', "'self' https://assets.nhs.uk"],
    ['connect-src', "'self'"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  if (config.isProduction) directives.push(['upgrade-insecure-requests', '']);
  const policy = directives.map(([name, value]) => (value ? `${name} ${value}` : name)).join('; ');
  const [before = '', after = ''] = policy.split('{nonce}');
  return { before, after };
}

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: false,
    // HSTS only means something over HTTPS, which production terminates in front of us.
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const policy = contentSecurityPolicy(config);
  const nonce = createNonceSource();
  // @fastify/helmet declares reply.cspNonce (and its type); this hook fills it.
  app.addHook('onRequest', async (_request, reply) => {
    const value = nonce();
    reply.cspNonce = { script: value, style: value };
    reply.header('content-security-policy', `${policy.before}${value}${policy.after}`);
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    );
  });
}
