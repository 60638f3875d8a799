/**
 * The audit port services are given: record(event) appends one row to audit_events. Recording
 * failures propagate: an action that must be audited should not succeed silently unaudited.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { people } from '../../modules/accounts/accounts.tables.js';
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
  /**
   * One page of an organisation's events, newest first, with the actor's current name where
   * the person still exists (pages count from 1).
   */
  listForOrganisation(
    organisationId: string,
    options?: { page?: number; pageSize?: number },
  ): Promise<AuditPage>;
}

export interface AuditEntry extends AuditEvent {
  id: number;
  occurredAt: Date;
  /** The actor's display name now, or undefined when there was no actor or they are gone. */
  actorDisplayName?: string | undefined;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** A stored row as the event it records (absent values undefined rather than null). */
function eventOf(r: typeof auditEvents.$inferSelect): AuditEvent & { occurredAt: Date } {
  return {
    action: r.action,
    actorPersonId: r.actorPersonId ?? undefined,
    subjectType: r.subjectType ?? undefined,
    subjectId: r.subjectId ?? undefined,
    organisationId: r.organisationId ?? undefined,
    ip: r.ip ?? undefined,
    details: r.details as Record<string, unknown>,
    occurredAt: r.occurredAt,
  };
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
      return rows.map(eventOf);
    },
    async listForOrganisation(organisationId, options = {}) {
      const pageSize = Math.max(1, Math.min(options.pageSize ?? 50, 500));
      const [counted] = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditEvents)
        .where(eq(auditEvents.organisationId, organisationId));
      const total = counted?.n ?? 0;
      const pageCount = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.max(1, Math.min(Math.floor(options.page ?? 1), pageCount));
      const rows = await database.db
        .select({ event: auditEvents, actorDisplayName: people.displayName })
        .from(auditEvents)
        .leftJoin(people, eq(people.id, auditEvents.actorPersonId))
        .where(eq(auditEvents.organisationId, organisationId))
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return {
        entries: rows.map(({ event, actorDisplayName }) => ({
          id: event.id,
          ...eventOf(event),
          actorDisplayName: actorDisplayName ?? undefined,
        })),
        total,
        page,
        pageSize,
        pageCount,
      };
    },
  };
}
