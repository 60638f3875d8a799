/**
 * Tables owned by the insights module: the read model behind every aggregate view. Only its
 * repository writes them (database triggers on other modules' tables add people to
 * `insights_queue`, nothing more). See docs/decisions/007-insights-read-model-and-release-function.md.
 *
 * - `insights_metrics`: the append-only registry of metric names ("level:2.1:3", "met:2.1"…);
 *   a metric's id is its position in every `counts` array.
 * - `insights_people`: each person's current contribution (which scopes, which dimensions, which
 *   metrics per period), so that a change is applied as "new minus old" and an erased account
 *   takes exactly its own figures away.
 * - `insights_cube`: the counts, one row per scope (the nation, an organisation or a unit with
 *   everything below it), period and combination of profession, work setting and archetype.
 *   Organisation and national scopes also hold roll-up rows where a dimension is '*' (all).
 * - `insights_queue`: people whose contribution may have changed, in arrival order.
 * - `insights_state`: when the read model last changed (freshness on a lagging replica).
 * - `insights_shares`: an organisation's agreement to share its aggregate insights with an
 *   integrated care board (or another system-level organisation).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.tables.js';
import { organisations } from '../organisations/organisations.tables.js';

export const insightsMetrics = pgTable(
  'insights_metrics',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('insights_metrics_name_key').on(t.name)],
);

export const insightsPeople = pgTable('insights_people', {
  /** No foreign key: the row must outlive the person's until their figures are taken away. */
  personId: uuid('person_id').primaryKey(),
  /** The nation (nil uuid), each organisation and every unit above each membership's unit. */
  scopeIds: uuid('scope_ids').array().notNull(),
  profession: text('profession').notNull(),
  setting: text('setting').notNull(),
  archetype: text('archetype').notNull(),
  /** { period: { metricName: count } } */
  contribution: jsonb('contribution').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const insightsCube = pgTable(
  'insights_cube',
  {
    scopeId: uuid('scope_id').notNull(),
    /** 'now' (everyone's latest results and participation) or a quarter's changes, 'q2026-1'. */
    period: text('period').notNull(),
    /** A framework profession code, '' when not recorded, '*' for every profession (roll-up). */
    profession: text('profession').notNull(),
    setting: text('setting').notNull(),
    archetype: text('archetype').notNull(),
    /** counts[metric id] (1-based, as PostgreSQL arrays are); missing elements are 0. */
    counts: integer('counts').array().notNull(),
    /**
     * The 'people' and 'member' counts again, as plain columns: a view adds them up over every
     * unit of an organisation (the sum-of-parts rule) without opening each row's array.
     */
    people: integer('people').notNull().default(0),
    members: integer('members').notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.scopeId, t.period, t.profession, t.setting, t.archetype],
    }),
    // Roll-up rows with at most one dimension broken down: the sizes of a national page's 1,000
    // organisations are read through these without touching every combination's row.
    index('insights_cube_by_profession')
      .on(t.scopeId, t.profession, t.period)
      .where(sql`${t.setting} = '*' and ${t.archetype} = '*'`),
    index('insights_cube_by_setting')
      .on(t.scopeId, t.setting, t.period)
      .where(sql`${t.profession} = '*' and ${t.archetype} = '*'`),
    index('insights_cube_by_archetype')
      .on(t.scopeId, t.archetype, t.period)
      .where(sql`${t.profession} = '*' and ${t.setting} = '*'`),
  ],
);

export const insightsQueue = pgTable('insights_queue', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  personId: uuid('person_id').notNull(),
  queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
});

export const insightsState = pgTable('insights_state', {
  id: integer('id').primaryKey(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull(),
});

export const insightsShares = pgTable(
  'insights_shares',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sharedWithOrganisationId: uuid('shared_with_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    createdByPersonId: uuid('created_by_person_id').references(() => people.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnByPersonId: uuid('withdrawn_by_person_id').references(() => people.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    uniqueIndex('insights_shares_open_key')
      .on(t.organisationId, t.sharedWithOrganisationId)
      .where(sql`${t.withdrawnAt} is null`),
    index('insights_shares_with_idx').on(t.sharedWithOrganisationId),
  ],
);
