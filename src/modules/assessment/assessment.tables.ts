/**
 * Tables owned by the assessment module. Only its repository writes them.
 *
 * An assessment belongs to one person and one framework version. While in progress, its answers
 * change one statement at a time (each answer is its own row, upserted the moment it is given,
 * so two tabs never overwrite each other's work). Submitting freezes it: `results` holds the
 * snapshot (levels, targets, gaps) and neither it nor its answers change again.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
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

export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'restrict' }),
    /** focused (adaptive) or full. */
    mode: text('mode').notNull(),
    /** The archetypes the person chose when starting; the pool and targets follow from them. */
    archetypeCodes: text('archetype_codes').array().notNull(),
    /** Profile at the start, kept with the snapshot (the profile may change later). */
    professionCode: text('profession_code'),
    workSettingCode: text('work_setting_code'),
    /** in_progress or submitted. */
    status: text('status').notNull().default('in_progress'),
    /** The area the person was last on, so "come back later" returns them there. */
    currentAreaCode: text('current_area_code'),
    /** The earlier submitted assessment whose answers this one started from, if any. */
    basedOnAssessmentId: uuid('based_on_assessment_id'),
    /** Frozen at submission: per-area levels, targets, strengths and gaps. */
    results: jsonb('results'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [
    index('assessments_person_idx').on(t.personId, t.startedAt),
    // One assessment in progress per person: "continue" always means the same one.
    uniqueIndex('assessments_one_in_progress_key')
      .on(t.personId)
      .where(sql`${t.status} = 'in_progress'`),
    check('assessments_mode_valid', sql`${t.mode} in ('focused', 'full')`),
    check('assessments_status_valid', sql`${t.status} in ('in_progress', 'submitted')`),
    check(
      'assessments_submitted_has_results',
      sql`(${t.status} = 'submitted') = (${t.submittedAt} is not null and ${t.results} is not null)`,
    ),
  ],
);

/** One row per statement answered: value is 0–3 or not-relevant (assessment/engine/scale.ts). */
export const assessmentAnswers = pgTable(
  'assessment_answers',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    statementId: text('statement_id').notNull(),
    value: text('value').notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.statementId] }),
    check(
      'assessment_answers_value_valid',
      sql`${t.value} in ('0', '1', '2', '3', 'not-relevant')`,
    ),
  ],
);

/**
 * A submitted assessment shared by its owner with a line manager or educator in one of their
 * organisations. Visible to that person only while `withdrawn_at` is null; every view is audited.
 */
export const assessmentShares = pgTable(
  'assessment_shares',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    sharedWithPersonId: uuid('shared_with_person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('assessment_shares_open_key')
      .on(t.assessmentId, t.sharedWithPersonId)
      .where(sql`${t.withdrawnAt} is null`),
    index('assessment_shares_with_idx').on(t.sharedWithPersonId),
  ],
);
