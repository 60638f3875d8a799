/**
 * Data verbs for single sign-on identities: which person an OpenID provider's (issuer, subject)
 * pair belongs to. No business rules (those are in sso.service.ts). No tokens are ever stored.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { personIdentities } from './accounts.tables.js';

export interface IdentityRow {
  id: string;
  personId: string;
  issuer: string;
  subject: string;
  email: string;
  createdAt: Date;
  lastUsedAt: Date;
}

const identityColumns = {
  id: personIdentities.id,
  personId: personIdentities.personId,
  issuer: personIdentities.issuer,
  subject: personIdentities.subject,
  email: personIdentities.email,
  createdAt: personIdentities.createdAt,
  lastUsedAt: personIdentities.lastUsedAt,
};

export const identitiesRepository = {
  async findByIssuerSubject(
    db: Db,
    issuer: string,
    subject: string,
  ): Promise<IdentityRow | undefined> {
    const [row] = await db
      .select(identityColumns)
      .from(personIdentities)
      .where(and(eq(personIdentities.issuer, issuer), eq(personIdentities.subject, subject)));
    return row;
  },

  /** Links unless the (issuer, subject) pair is already linked; returns the new row or undefined. */
  async insert(
    db: Db,
    identity: { personId: string; issuer: string; subject: string; email: string; now: Date },
  ): Promise<IdentityRow | undefined> {
    const [row] = await db
      .insert(personIdentities)
      .values({
        personId: identity.personId,
        issuer: identity.issuer,
        subject: identity.subject,
        email: identity.email,
        createdAt: identity.now,
        lastUsedAt: identity.now,
      })
      .onConflictDoNothing({ target: [personIdentities.issuer, personIdentities.subject] })
      .returning(identityColumns);
    return row;
  },

  async markUsed(db: Db, id: string, now: Date): Promise<void> {
    await db.update(personIdentities).set({ lastUsedAt: now }).where(eq(personIdentities.id, id));
  },

  /** A person's linked identities, oldest first. */
  async listForPerson(db: Db, personId: string): Promise<IdentityRow[]> {
    return db
      .select(identityColumns)
      .from(personIdentities)
      .where(eq(personIdentities.personId, personId))
      .orderBy(asc(personIdentities.createdAt), asc(personIdentities.id));
  },
};
