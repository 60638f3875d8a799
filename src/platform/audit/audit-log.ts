/**
 * The audit port services are given: record(event) appends one row to audit_events. Recording
 * failures propagate: an action that must be audited should not succeed silently unaudited.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Database } from '../db/index.js';
import { auditEvents } from './audit.tables.js';

export interface AuditEvent {
  action: string;
  actorPersonId?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  organisationId?: string | undefined;
  ip?: string | undefined;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  /** Appends an event; inside a transaction when `tx` is given. */
  record(event: AuditEvent, tx?: Db): Promise<void>;
  /** The newest events by or about a person, newest first. */
  listForPerson(personId: string, limit?: number): Promise<(AuditEvent & { occurredAt: Date })[]>;
}

export function createAuditLog(database: Database, now: () => Date = () => new Date()): AuditLog {
  return {
    async record(event, tx) {
      await (tx ?? database.db).insert(auditEvents).values({
        occurredAt: now(),
        action: event.action,
        actorPersonId: event.actorPersonId,
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        organisationId: event.organisationId,
        ip: event.ip,
        details: event.details ?? {},
      });
    },
    async listForPerson(personId, limit = 100) {
      const rows = await database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorPersonId, personId)))
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(limit);
      return rows.map((r) => ({
        action: r.action,
        actorPersonId: r.actorPersonId ?? undefined,
        subjectType: r.subjectType ?? undefined,
        subjectId: r.subjectId ?? undefined,
        organisationId: r.organisationId ?? undefined,
        ip: r.ip ?? undefined,
        details: r.details as Record<string, unknown>,
        occurredAt: r.occurredAt,
      }));
    },
  };
}
