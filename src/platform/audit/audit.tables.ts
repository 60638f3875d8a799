/**
 * The append-only audit log of security and governance events. Rows are never updated or
 * deleted: a database trigger (migration 0004) refuses both. Details must not hold secrets or
 * more personal data than the event needs.
 */
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who did it (a person's id), when known. Not a foreign key: the record outlives accounts. */
    actorPersonId: uuid('actor_person_id'),
    /** What happened, e.g. `sign-in.succeeded`. */
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    /** For organisation admins' view of their organisation's entries (issue 3, organisations). */
    organisationId: uuid('organisation_id'),
    ip: text('ip'),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    index('audit_events_actor_idx').on(t.actorPersonId, t.occurredAt),
    index('audit_events_organisation_idx').on(t.organisationId, t.occurredAt),
    index('audit_events_occurred_idx').on(t.occurredAt),
  ],
);
