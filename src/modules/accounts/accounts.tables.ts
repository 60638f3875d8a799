/**
 * Tables owned by the accounts module: people, their server-side sessions and single-use email
 * tokens. Only the accounts module's repositories write them.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const people = pgTable(
  'people',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** Stored lower-cased and trimmed; unique. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
    /** argon2id PHC string; null for people who only sign in with single sign-on. */
    passwordHash: text('password_hash'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** Profile: codes from the framework's professions list (null until the person says). */
    professionCode: text('profession_code'),
    /** Profile: a code from the framework's work settings list. */
    workSettingCode: text('work_setting_code'),
    /** Profile: the workforce archetypes the person identifies with (framework archetype codes). */
    archetypeCodes: text('archetype_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Installation-wide administrator: creates organisations, sees every organisation. */
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('people_email_key').on(t.email)],
);

/**
 * Server-side sessions, shared by every app instance. `id` is a SHA-256 of the cookie's session
 * id, so a leaked database does not hand out live sessions.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Idle expiry, pushed forward on use. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Absolute expiry, never pushed forward. */
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('sessions_person_idx').on(t.personId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

/** Single-use, expiring tokens sent by email (confirm email, reset password). Only a hash is kept. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('email_tokens_hash_key').on(t.tokenHash),
    index('email_tokens_person_idx').on(t.personId),
  ],
);

/**
 * Single sign-on identities linked to a person: one row per (issuer, subject) pair from an
 * OpenID Connect provider. A first SSO sign-in creates or links the person by verified email.
 */
export const personIdentities = pgTable(
  'person_identities',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The provider's issuer URL, exactly as in its discovery document. */
    issuer: text('issuer').notNull(),
    /** The provider's stable `sub` claim for this person. */
    subject: text('subject').notNull(),
    /** The email the provider vouched for when the identity was linked. */
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('person_identities_issuer_subject_key').on(t.issuer, t.subject),
    index('person_identities_person_idx').on(t.personId),
  ],
);
