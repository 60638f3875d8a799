/**
 * Single sign-on with one OpenID Connect provider: the authorisation code flow with PKCE, state
 * and nonce, all checked by openid-client. See docs/decisions/005-single-sign-on.md.
 *
 * Who a sign-in belongs to, in order:
 * 1. the person already linked to the provider's (issuer, sub) pair;
 * 2. when the provider vouches for the email address (email_verified, or OIDC_TRUST_EMAIL),
 *    the person with that address, who is linked now (their address counts as confirmed);
 * 3. when it vouches for an address nobody has, a new person without a password.
 * An address the provider does not vouch for is never used to find or create an account.
 *
 * Nothing from the provider's tokens is kept: only the issuer, the subject, the address it
 * vouched for and when the identity was linked and last used.
 */
import * as client from 'openid-client';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors.js';
import type { OidcConfig } from '../../config.js';
import { normaliseEmail } from './accounts.service.js';
import { identitiesRepository as identities } from './identities.repository.js';
import { peopleRepository as people } from './people.repository.js';

/** How long a sign-in may take at the provider before it must be started again. */
export const SSO_PENDING_MINUTES = 10;
/** Seconds to wait for the provider's discovery, token and userinfo endpoints. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** What the browser's session remembers between sending someone to the provider and return. */
export interface PendingSso {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo?: string | undefined;
  /** Epoch milliseconds. */
  startedAt: number;
}

/** The provider cannot be reached (or answers with nonsense): try later or use a password. */
export class SsoUnavailableError extends DomainError {
  override name = 'SsoUnavailableError';
  override readonly statusCode = 503;
  constructor(readonly detail: string) {
    super('The single sign-on provider cannot be reached');
  }
}

export type SsoFailure =
  'cancelled' | 'provider-error' | 'no-pending-sign-in' | 'expired' | 'invalid-response';

/** The sign-in attempt itself is no good: cancelled, expired, tampered with or malformed. */
export class SsoFailedError extends DomainError {
  override name = 'SsoFailedError';
  override readonly statusCode = 400;
  constructor(
    readonly reason: SsoFailure,
    readonly detail?: string,
  ) {
    super(`Single sign-on failed: ${reason}`);
  }
}

export type SsoRefusal = 'email-not-verified' | 'no-email';

/** The provider signed the person in, but without an address it vouches for we cannot. */
export class SsoRefusedError extends DomainError {
  override name = 'SsoRefusedError';
  override readonly statusCode = 403;
  constructor(readonly reason: SsoRefusal) {
    super(`Single sign-on refused: ${reason}`);
  }
}

export interface SsoSignIn {
  personId: string;
  displayName: string;
  /** What happened besides signing in. */
  outcome: 'signed-in' | 'linked-existing-account' | 'created-account';
}

export interface SsoServiceDeps {
  database: Database;
  audit: AuditLog;
  oidc: OidcConfig;
  now?: () => Date;
}

/** True when an error means the provider could not be reached at all (or not in time). */
function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)) return true;
    e = e.cause;
  }
  return false;
}

/** A short description for logs: names and codes, never token or secret values. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  const oauthError = (error as { error?: unknown }).error;
  return [
    error.name,
    typeof code === 'string' ? code : undefined,
    typeof oauthError === 'string' ? oauthError : undefined,
    error.message,
  ]
    .filter(Boolean)
    .join(': ');
}

const stringClaim = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The person's name from the provider's claims, or the first part of their email address. */
function nameFrom(claims: Record<string, unknown>, email: string): string {
  const name = stringClaim(claims.name);
  if (name) return name;
  const parts = [stringClaim(claims.given_name), stringClaim(claims.family_name)].filter(Boolean);
  if (parts.length > 0) return parts.join(' ');
  return email.split('@')[0] ?? email;
}

/** client_secret_basic unless the provider only takes client_secret_post (RFC 8414 default). */
function clientAuthFor(metadata: client.ServerMetadata, secret: string): client.ClientAuth {
  const supported = metadata.token_endpoint_auth_methods_supported;
  if (
    supported &&
    !supported.includes('client_secret_basic') &&
    supported.includes('client_secret_post')
  )
    return client.ClientSecretPost(secret);
  return client.ClientSecretBasic(secret);
}

export function createSsoService({
  database,
  audit,
  oidc,
  now = () => new Date(),
}: SsoServiceDeps) {
  // Discovery happens on first use, not at start-up, so a provider that is down does not stop
  // digicap starting; a failure is forgotten so that the next sign-in tries again.
  let configuration: Promise<client.Configuration> | undefined;

  async function discover(): Promise<client.Configuration> {
    const options: client.DiscoveryRequestOptions = { timeout: PROVIDER_TIMEOUT_SECONDS };
    // Only for an http:// issuer outside production (config.ts refuses one in production).
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only as a warning
    if (oidc.allowInsecureRequests) options.execute = [client.allowInsecureRequests];
    const found = await client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      undefined,
      undefined,
      options,
    );
    const metadata = found.serverMetadata();
    const config = new client.Configuration(
      metadata,
      oidc.clientId,
      { client_secret: oidc.clientSecret },
      clientAuthFor(metadata, oidc.clientSecret),
    );
    config.timeout = PROVIDER_TIMEOUT_SECONDS;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above: never in production
    if (oidc.allowInsecureRequests) client.allowInsecureRequests(config);
    return config;
  }

  async function provider(): Promise<client.Configuration> {
    configuration ??= discover();
    try {
      return await configuration;
    } catch (error) {
      configuration = undefined;
      throw new SsoUnavailableError(`discovery failed: ${describe(error)}`);
    }
  }

  /** The ID token's claims, with the UserInfo endpoint's filling any the ID token left out. */
  async function claimsFrom(
    config: client.Configuration,
    tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>,
  ): Promise<Record<string, unknown> & { sub: string }> {
    const idClaims = tokens.claims();
    if (!idClaims) throw new SsoFailedError('invalid-response', 'no ID token');
    if (idClaims.email !== undefined || !config.serverMetadata().userinfo_endpoint) return idClaims;
    // Providers that follow the spec closely (oidc-provider) send scope claims only here.
    const userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    return { ...userInfo, ...idClaims };
  }

  async function refuse(reason: SsoRefusal, ip: string, email: string | undefined): Promise<never> {
    const existing = email ? await people.findByEmail(database.db, email) : undefined;
    await audit.record({
      action: 'sign-in.failed',
      subjectType: existing ? 'person' : undefined,
      subjectId: existing?.id,
      ip,
      details: { method: 'sso', reason },
    });
    throw new SsoRefusedError(reason);
  }

  /** Finds, links or creates the person for a provider's verified claims, and signs them in. */
  async function resolvePerson(
    claims: Record<string, unknown> & { sub: string },
    ip: string,
  ): Promise<SsoSignIn> {
    const at = now();
    const linked = await identities.findByIssuerSubject(database.db, oidc.issuer, claims.sub);
    const linkedPerson = linked ? await people.findById(database.db, linked.personId) : undefined;
    if (linked && linkedPerson) {
      await database.transaction(async (tx) => {
        await identities.markUsed(tx, linked.id, at);
        await audit.record(
          {
            action: 'sign-in.succeeded',
            actorPersonId: linkedPerson.id,
            ip,
            details: { method: 'sso' },
          },
          tx,
        );
      });
      return {
        personId: linkedPerson.id,
        displayName: linkedPerson.displayName,
        outcome: 'signed-in',
      };
    }

    const rawEmail = stringClaim(claims.email);
    const email =
      rawEmail && /^[^\s@]+@[^\s@]+$/.test(rawEmail) ? normaliseEmail(rawEmail) : undefined;
    if (!email) return refuse('no-email', ip, undefined);
    // OIDC_TRUST_EMAIL stands in for a missing email_verified (Entra ID), never for a "false".
    const verified =
      claims.email_verified === true || (oidc.trustEmail && claims.email_verified === undefined);
    if (!verified) return refuse('email-not-verified', ip, email);

    return database.transaction(async (tx) => {
      let outcome: SsoSignIn['outcome'] = 'linked-existing-account';
      let person = await people.findByEmail(tx, email);
      if (!person) {
        person = await people.insert(tx, {
          email,
          displayName: nameFrom(claims, email),
          passwordHash: null,
          emailConfirmedAt: at,
          now: at,
        });
        if (person) {
          outcome = 'created-account';
          await audit.record(
            { action: 'account.registered', actorPersonId: person.id, ip, details: { via: 'sso' } },
            tx,
          );
        } else {
          // Someone registered the address a moment ago: link to them instead.
          person = await people.findByEmail(tx, email);
        }
      }
      if (!person) throw new Error('person vanished while signing in with SSO');
      let passwordRemoved = false;
      if (outcome === 'linked-existing-account' && !person.emailConfirmedAt) {
        // Nobody proved they owned this address when the password was set: it may be someone
        // else's attempt to take over the address before its owner arrives, so it goes.
        if (person.passwordHash) {
          await people.clearPassword(tx, person.id, at);
          passwordRemoved = true;
        }
        await people.markEmailConfirmed(tx, person.id, at);
      }
      const identity = await identities.insert(tx, {
        personId: person.id,
        issuer: oidc.issuer,
        subject: claims.sub,
        email,
        now: at,
      });
      if (!identity) throw new SsoFailedError('invalid-response', 'identity linked twice at once');
      await audit.record(
        {
          action: 'sso.identity-linked',
          actorPersonId: person.id,
          ip,
          details: {
            issuer: oidc.issuer,
            existingAccount: outcome === 'linked-existing-account',
            ...(passwordRemoved ? { unconfirmedPasswordRemoved: true } : {}),
          },
        },
        tx,
      );
      await audit.record(
        { action: 'sign-in.succeeded', actorPersonId: person.id, ip, details: { method: 'sso' } },
        tx,
      );
      return { personId: person.id, displayName: person.displayName, outcome };
    });
  }

  return {
    displayName: oidc.displayName,
    issuer: oidc.issuer,

    /** Where to send the browser, and what its session must remember until it comes back. */
    async start(returnTo: string | undefined): Promise<{ url: string; pending: PendingSso }> {
      const config = await provider();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: oidc.redirectUri,
        scope: oidc.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return {
        url: url.href,
        pending: { state, nonce, codeVerifier, returnTo, startedAt: now().getTime() },
      };
    },

    /**
     * Completes a sign-in from the provider's redirect: checks state, nonce and PKCE (through
     * openid-client), then finds, links or creates the person.
     */
    async finish(input: {
      query: URLSearchParams;
      pending: PendingSso | undefined;
      ip: string;
    }): Promise<SsoSignIn> {
      const { query, pending, ip } = input;
      if (!pending) throw new SsoFailedError('no-pending-sign-in');
      if (now().getTime() - pending.startedAt > SSO_PENDING_MINUTES * 60_000)
        throw new SsoFailedError('expired');
      const providerError = query.get('error');
      if (providerError !== null) {
        const reason = providerError === 'access_denied' ? 'cancelled' : 'provider-error';
        await audit.record({
          action: 'sign-in.failed',
          ip,
          details: { method: 'sso', reason, error: providerError.slice(0, 64) },
        });
        throw new SsoFailedError(reason, `provider said ${providerError.slice(0, 64)}`);
      }
      const config = await provider();
      const currentUrl = new URL(oidc.redirectUri);
      for (const [key, value] of query) currentUrl.searchParams.append(key, value);
      let claims: Record<string, unknown> & { sub: string };
      try {
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = await claimsFrom(config, tokens);
      } catch (error) {
        if (error instanceof DomainError) throw error;
        if (isUnreachable(error)) throw new SsoUnavailableError(describe(error));
        await audit.record({
          action: 'sign-in.failed',
          ip,
          details: { method: 'sso', reason: 'invalid-response' },
        });
        throw new SsoFailedError('invalid-response', describe(error));
      }
      return resolvePerson(claims, ip);
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
