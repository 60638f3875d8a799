/**
 * Tables owned by the organisations module: organisations, their units (a tree of any depth),
 * memberships with roles, and invitations. Only this module's repository writes them.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.tables.js';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    /** trust, icb, practice, university, social-care, other (organisation-types.ts). */
    type: text('type').notNull(),
    /** NHS Organisation Data Service code, upper-cased; optional, unique when given. */
    odsCode: text('ods_code'),
    /** Created by demo seeding: clearly labelled everywhere it is shown. */
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_ods_code_key')
      .on(t.odsCode)
      .where(sql`${t.odsCode} is not null`),
  ],
);

/** Units: directorate → department → team…, any depth. A root unit has no parent. */
export const units = pgTable(
  'units',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => units.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Sibling names are unique, ignoring case, so that a unit path like "Medicine > Cardiology"
    // names exactly one unit.
    uniqueIndex('units_sibling_name_key').on(
      t.organisationId,
      sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
    index('units_parent_idx').on(t.parentId),
  ],
);

/**
 * A person's place in an organisation: one row per (organisation, person). Roles: member
 * (learner), line_manager (of `unit_id` and every unit below it), educator, admin.
 */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The unit the person works in (and manages, when a line manager). */
    unitId: uuid('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    roles: text('roles').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('memberships_organisation_person_key').on(t.organisationId, t.personId),
    index('memberships_person_idx').on(t.personId),
    index('memberships_unit_idx').on(t.unitId),
    check(
      'memberships_roles_valid',
      sql`cardinality(${t.roles}) > 0 and ${t.roles} <@ array['member','line_manager','educator','insights_viewer','admin']::text[]`,
    ),
    check(
      'memberships_line_manager_has_unit',
      sql`not ('line_manager' = any(${t.roles})) or ${t.unitId} is not null`,
    ),
  ],
);

/** Invitations to join an organisation, by email link. Only a hash of the token is kept. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Lower-cased and trimmed. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    professionCode: text('profession_code'),
    unitId: uuid('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    roles: text('roles').array().notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sendCount: integer('send_count').notNull().default(0),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedPersonId: uuid('accepted_person_id').references(() => people.id, {
      onDelete: 'set null',
    }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    invitedByPersonId: uuid('invited_by_person_id').references(() => people.id, {
      onDelete: 'set null',
    }),
    /** single or roster */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    // At most one open invitation per person per organisation.
    uniqueIndex('invitations_open_email_key')
      .on(t.organisationId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index('invitations_organisation_idx').on(t.organisationId, t.createdAt),
    // Insights count invitations not yet accepted, by unit, at request time.
    index('invitations_open_unit_idx')
      .on(t.organisationId, t.unitId)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    // …and across every organisation (the national view), by profession: read from the index.
    index('invitations_open_profession_idx')
      .on(t.professionCode, t.expiresAt)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    check(
      'invitations_roles_valid',
      sql`cardinality(${t.roles}) > 0 and ${t.roles} <@ array['member','line_manager','educator','insights_viewer','admin']::text[]`,
    ),
  ],
);

/**
 * The unit tree as a closure table: one row per (ancestor, descendant) pair, a unit being its
 * own ancestor at depth 0. Units are only ever added (never moved or deleted), so the repository
 * writes a unit's rows once, in the transaction that inserts it. Insights use it to add a
 * person's figures to every unit above theirs and to list a unit's subtree in one indexed read.
 */
export const unitClosure = pgTable(
  'unit_closure',
  {
    ancestorId: uuid('ancestor_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    descendantId: uuid('descendant_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    depth: integer('depth').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ancestorId, t.descendantId] }),
    index('unit_closure_descendant_idx').on(t.descendantId),
  ],
);
