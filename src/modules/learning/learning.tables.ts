/**
 * Tables owned by the learning module (issue 5): the learning catalogue, a person's learning
 * preferences and marks (completed, dismissed), development plans, evidence, validation requests
 * and the reminder ledger. Only this module's repositories write them.
 *
 * Area codes are the framework's area codes ("5.1.3"). A resource's areas, levels and archetypes
 * are stored as arrays so that "resources for this area" is one indexed `&&` (overlap) query.
 *
 * Self-rating and validation never mix: a person's own levels live in assessment snapshots; a
 * validated level lives only in `validation_requests` (status `validated`), beside them.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
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
import { frameworkVersions } from '../framework/framework.tables.js';
import { organisations } from '../organisations/organisations.tables.js';

/**
 * A learning resource. `organisation_id` null: visible to everyone (the bundled starter catalogue
 * and resources added by platform admins); otherwise visible only to that organisation's people.
 * `slug` is the catalogue's stable id (the CSV's `id` column), unique within its scope.
 */
export const learningResources = pgTable(
  'learning_resources',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    slug: text('slug').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, {
      onDelete: 'cascade',
    }),
    title: text('title').notNull(),
    provider: text('provider').notNull(),
    url: text('url').notNull(),
    /** e-learning, course, video, guidance, report, article, podcast, toolkit, programme, webinar. */
    format: text('format').notNull(),
    /** Whole minutes, when stated. */
    durationMinutes: integer('duration_minutes'),
    /** free, paid or unknown. */
    cost: text('cost').notNull(),
    /** Capability levels 1–4 the resource suits. */
    levels: integer('levels').array().notNull(),
    areaCodes: text('area_codes').array().notNull(),
    /** Optional: specific statement ids (e.g. "6.3-2-01") the resource addresses. */
    statementIds: text('statement_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    archetypeCodes: text('archetype_codes').array().notNull(),
    summary: text('summary').notNull(),
    /** When the entry should next be checked (links move, courses close). */
    reviewDate: date('review_date', { mode: 'string' }),
    /** Who curated it: a name ("digicap starter catalogue") shown to learners. */
    curatedBy: text('curated_by').notNull(),
    /** The person who last added or edited it through a form or import; null for bundled content. */
    curatedByPersonId: uuid('curated_by_person_id').references(() => people.id, {
      onDelete: 'set null',
    }),
    /** bundled (content/learning) or local (added through forms or imports). */
    source: text('source').notNull().default('local'),
    /** Retired resources stay (plans and evidence refer to them) but are never recommended. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('learning_resources_slug_key').on(
      sql`coalesce(${t.organisationId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.slug,
    ),
    index('learning_resources_areas_idx').using('gin', t.areaCodes),
    index('learning_resources_org_idx').on(t.organisationId),
    check('learning_resources_cost_valid', sql`${t.cost} in ('free', 'paid', 'unknown')`),
    check('learning_resources_source_valid', sql`${t.source} in ('bundled', 'local')`),
    check(
      'learning_resources_duration_valid',
      sql`${t.durationMinutes} is null or ${t.durationMinutes} > 0`,
    ),
  ],
);

/** What a person prefers when we recommend: formats (empty = any), a time limit, free only. */
export const learningPreferences = pgTable('learning_preferences', {
  personId: uuid('person_id')
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  formats: text('formats')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  maxDurationMinutes: integer('max_duration_minutes'),
  freeOnly: boolean('free_only').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A person's mark on a resource: completed (never recommend again) or dismissed (not for me). */
export const learningResourceMarks = pgTable(
  'learning_resource_marks',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => learningResources.id, { onDelete: 'cascade' }),
    /** completed or dismissed. */
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.resourceId, t.kind] }),
    check('learning_resource_marks_kind_valid', sql`${t.kind} in ('completed', 'dismissed')`),
  ],
);

/**
 * A development plan goal: reach `target_level` in an area by `target_date`. Status is the
 * person's own: not_started, in_progress, done. `notes` are their reflective notes on the goal.
 */
export const planGoals = pgTable(
  'plan_goals',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The framework version whose area this goal names (the results it came from). */
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'restrict' }),
    areaCode: text('area_code').notNull(),
    targetLevel: integer('target_level').notNull(),
    targetDate: date('target_date', { mode: 'string' }).notNull(),
    status: text('status').notNull().default('not_started'),
    notes: text('notes').notNull().default(''),
    /** The submitted assessment whose gap this goal came from, if any. */
    fromAssessmentId: uuid('from_assessment_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('plan_goals_person_idx').on(t.personId, t.targetDate),
    index('plan_goals_due_idx')
      .on(t.targetDate)
      .where(sql`${t.status} <> 'done'`),
    check('plan_goals_level_valid', sql`${t.targetLevel} between 1 and 4`),
    check('plan_goals_status_valid', sql`${t.status} in ('not_started', 'in_progress', 'done')`),
  ],
);

/** A resource attached to a goal, tracked on its own: not_started, in_progress, done. */
export const planGoalResources = pgTable(
  'plan_goal_resources',
  {
    goalId: uuid('goal_id')
      .notNull()
      .references(() => planGoals.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => learningResources.id, { onDelete: 'restrict' }),
    status: text('status').notNull().default('not_started'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.goalId, t.resourceId] }),
    index('plan_goal_resources_resource_idx').on(t.resourceId),
    check(
      'plan_goal_resources_status_valid',
      sql`${t.status} in ('not_started', 'in_progress', 'done')`,
    ),
  ],
);

/**
 * Evidence in a person's portfolio, about an area (and optionally one statement):
 *   note       — `body`;
 *   link       — `url` (and optional `body`);
 *   file       — a stored upload: `file_key` in the storage, with the type detected from its
 *                content, the size and the name the person gave it;
 *   reflection — written when a plan resource is marked done: `body` (what I learned) and
 *                `reflection_use` (how I will use it), with `resource_id`.
 */
export const evidence = pgTable(
  'evidence',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'restrict' }),
    areaCode: text('area_code').notNull(),
    statementId: text('statement_id'),
    body: text('body').notNull().default(''),
    reflectionUse: text('reflection_use'),
    url: text('url'),
    resourceId: uuid('resource_id').references(() => learningResources.id, {
      onDelete: 'set null',
    }),
    goalId: uuid('goal_id').references(() => planGoals.id, { onDelete: 'set null' }),
    fileKey: text('file_key'),
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: bigint('file_size', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('evidence_person_idx').on(t.personId, t.createdAt),
    uniqueIndex('evidence_file_key_key')
      .on(t.fileKey)
      .where(sql`${t.fileKey} is not null`),
    check('evidence_kind_valid', sql`${t.kind} in ('note', 'link', 'file', 'reflection')`),
    check('evidence_link_has_url', sql`${t.kind} <> 'link' or ${t.url} is not null`),
    check(
      'evidence_file_has_file',
      sql`(${t.kind} = 'file') = (${t.fileKey} is not null and ${t.fileType} is not null and ${t.fileSize} is not null)`,
    ),
  ],
);

/**
 * A person asks a line manager or educator in one of their organisations to validate a level in
 * an area. pending → validated (the validator confirms `claimed_level`) or returned (with a
 * comment); the person may withdraw a pending request. `self_assessed_level` is copied from their
 * latest results when asking, for the validator's context only.
 */
export const validationRequests = pgTable(
  'validation_requests',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    validatorPersonId: uuid('validator_person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'restrict' }),
    areaCode: text('area_code').notNull(),
    claimedLevel: integer('claimed_level').notNull(),
    selfAssessedLevel: integer('self_assessed_level'),
    message: text('message').notNull().default(''),
    status: text('status').notNull().default('pending'),
    validatorComment: text('validator_comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('validation_requests_person_idx').on(t.personId, t.createdAt),
    index('validation_requests_validator_idx').on(t.validatorPersonId, t.status),
    // One open request per person and area: asking again means withdrawing first.
    uniqueIndex('validation_requests_one_pending_key')
      .on(t.personId, t.frameworkVersionId, t.areaCode)
      .where(sql`${t.status} = 'pending'`),
    check('validation_requests_level_valid', sql`${t.claimedLevel} between 1 and 4`),
    check(
      'validation_requests_status_valid',
      sql`${t.status} in ('pending', 'validated', 'returned', 'withdrawn')`,
    ),
    check(
      'validation_requests_decided',
      sql`(${t.status} in ('validated', 'returned')) = (${t.decidedAt} is not null)`,
    ),
  ],
);

/** The evidence offered with a validation request (chosen from the person's portfolio). */
export const validationRequestEvidence = pgTable(
  'validation_request_evidence',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => validationRequests.id, { onDelete: 'cascade' }),
    evidenceId: uuid('evidence_id')
      .notNull()
      .references(() => evidence.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.evidenceId] })],
);

/**
 * The reminder ledger: one row per reminder that should be sent (a goal due soon or overdue, for
 * that target date). The unique key is what makes delivery exactly-once across app instances: a
 * worker claims a reminder by inserting its row (or by taking an expired claim) before sending,
 * and marks it sent afterwards.
 */
export const planReminders = pgTable(
  'plan_reminders',
  {
    goalId: uuid('goal_id')
      .notNull()
      .references(() => planGoals.id, { onDelete: 'cascade' }),
    /** due (the target date is near) or overdue (it has passed). */
    kind: text('kind').notNull(),
    targetDate: date('target_date', { mode: 'string' }).notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.goalId, t.kind, t.targetDate] }),
    check('plan_reminders_kind_valid', sql`${t.kind} in ('due', 'overdue')`),
  ],
);
