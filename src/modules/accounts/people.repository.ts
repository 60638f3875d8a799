/** Data verbs for people and their single-use email tokens. No business rules. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { emailTokens, people } from './accounts.tables.js';

export type TokenPurpose = 'confirm_email' | 'reset_password';

export interface PersonRow {
  id: string;
  email: string;
  displayName: string;
  emailConfirmedAt: Date | null;
  passwordHash: string | null;
  isPlatformAdmin: boolean;
}

const personColumns = {
  id: people.id,
  email: people.email,
  displayName: people.displayName,
  emailConfirmedAt: people.emailConfirmedAt,
  passwordHash: people.passwordHash,
  isPlatformAdmin: people.isPlatformAdmin,
};

/** A token of this purpose and hash that has not been used and has not expired. */
const usableToken = (purpose: TokenPurpose, tokenHash: string, now: Date) =>
  and(
    eq(emailTokens.tokenHash, tokenHash),
    eq(emailTokens.purpose, purpose),
    isNull(emailTokens.usedAt),
    gt(emailTokens.expiresAt, now),
  );

export const peopleRepository = {
  async findByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
    const [row] = await db.select(personColumns).from(people).where(eq(people.email, email));
    return row;
  },

  async any(db: Db): Promise<boolean> {
    const rows = await db.select({ id: people.id }).from(people).limit(1);
    return rows.length > 0;
  },

  async findById(db: Db, id: string): Promise<PersonRow | undefined> {
    const [row] = await db.select(personColumns).from(people).where(eq(people.id, id));
    return row;
  },

  /** Inserts unless the email is taken; returns the new row or undefined. */
  async insert(
    db: Db,
    person: {
      email: string;
      displayName: string;
      /** Null for people who only sign in with single sign-on. */
      passwordHash: string | null;
      /** Set when the email is already proven (an invitation link, a verified SSO claim). */
      emailConfirmedAt?: Date;
      now: Date;
    },
  ): Promise<PersonRow | undefined> {
    const [row] = await db
      .insert(people)
      .values({
        email: person.email,
        displayName: person.displayName,
        passwordHash: person.passwordHash,
        passwordChangedAt: person.passwordHash ? person.now : null,
        emailConfirmedAt: person.emailConfirmedAt ?? null,
        createdAt: person.now,
        updatedAt: person.now,
      })
      .onConflictDoNothing({ target: people.email })
      .returning(personColumns);
    return row;
  },

  async updatePassword(db: Db, id: string, passwordHash: string, now: Date): Promise<void> {
    await db
      .update(people)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
      .where(eq(people.id, id));
  },

  /** Removes a password nobody proved they own (an unconfirmed registration); SSO only after. */
  async clearPassword(db: Db, id: string, now: Date): Promise<void> {
    await db
      .update(people)
      .set({ passwordHash: null, passwordChangedAt: null, updatedAt: now })
      .where(eq(people.id, id));
  },

  /** The person an unused, unexpired token belongs to, without using it up. */
  async findTokenPerson(
    db: Db,
    purpose: TokenPurpose,
    tokenHash: string,
    now: Date,
  ): Promise<string | undefined> {
    const [row] = await db
      .select({ personId: emailTokens.personId })
      .from(emailTokens)
      .where(usableToken(purpose, tokenHash, now));
    return row?.personId;
  },

  /** Erases a person; their sessions and tokens go with them (ON DELETE CASCADE). */
  async delete(db: Db, id: string): Promise<boolean> {
    const rows = await db.delete(people).where(eq(people.id, id)).returning({ id: people.id });
    return rows.length > 0;
  },

  async findDetails(db: Db, id: string) {
    const [row] = await db
      .select({
        id: people.id,
        email: people.email,
        displayName: people.displayName,
        emailConfirmedAt: people.emailConfirmedAt,
        passwordChangedAt: people.passwordChangedAt,
        professionCode: people.professionCode,
        workSettingCode: people.workSettingCode,
        archetypeCodes: people.archetypeCodes,
        isPlatformAdmin: people.isPlatformAdmin,
        createdAt: people.createdAt,
        updatedAt: people.updatedAt,
      })
      .from(people)
      .where(eq(people.id, id));
    return row;
  },

  async updateProfile(
    db: Db,
    id: string,
    profile: {
      professionCode: string | null;
      workSettingCode: string | null;
      archetypeCodes: string[];
      now: Date;
    },
  ): Promise<void> {
    await db
      .update(people)
      .set({
        professionCode: profile.professionCode,
        workSettingCode: profile.workSettingCode,
        archetypeCodes: profile.archetypeCodes,
        updatedAt: profile.now,
      })
      .where(eq(people.id, id));
  },

  async listPlatformAdmins(db: Db): Promise<{ email: string; displayName: string }[]> {
    return db
      .select({ email: people.email, displayName: people.displayName })
      .from(people)
      .where(eq(people.isPlatformAdmin, true))
      .orderBy(people.email);
  },

  async setPlatformAdmin(db: Db, id: string, isPlatformAdmin: boolean, now: Date): Promise<void> {
    await db.update(people).set({ isPlatformAdmin, updatedAt: now }).where(eq(people.id, id));
  },

  async markEmailConfirmed(db: Db, id: string, now: Date): Promise<void> {
    await db.update(people).set({ emailConfirmedAt: now, updatedAt: now }).where(eq(people.id, id));
  },

  async insertToken(
    db: Db,
    token: {
      personId: string;
      purpose: TokenPurpose;
      tokenHash: string;
      expiresAt: Date;
      now: Date;
    },
  ): Promise<void> {
    await db.insert(emailTokens).values({ ...token, createdAt: token.now });
  },

  /**
   * Marks an unused, unexpired token used and returns its person, atomically: of two
   * simultaneous uses only one succeeds.
   */
  async consumeToken(
    db: Db,
    purpose: TokenPurpose,
    tokenHash: string,
    now: Date,
  ): Promise<string | undefined> {
    const [row] = await db
      .update(emailTokens)
      .set({ usedAt: now })
      .where(usableToken(purpose, tokenHash, now))
      .returning({ personId: emailTokens.personId });
    return row?.personId;
  },
};
