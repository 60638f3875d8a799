/** The audit log on PGlite and PostgreSQL: events are kept, and can never be changed or removed. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Database } from '../db/index.js';
import { createAuditLog } from './audit-log.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const person = '00000000-0000-4000-8000-000000000001';

describe('audit log', () => {
  it('records events with who, what, when and from where, newest first', async () => {
    let t = new Date('2026-11-25T10:00:00Z');
    const audit = createAuditLog(database, () => t);
    await audit.record({ action: 'sign-in.succeeded', actorPersonId: person, ip: '192.0.2.1' });
    t = new Date('2026-11-25T10:05:00Z');
    await audit.record({
      action: 'password.changed',
      actorPersonId: person,
      details: { sessionsEnded: 2 },
    });
    const events = await audit.listForPerson(person);
    expect(events.map((e) => e.action)).toEqual(['password.changed', 'sign-in.succeeded']);
    expect(events[1]).toMatchObject({
      ip: '192.0.2.1',
      occurredAt: new Date('2026-11-25T10:00:00Z'),
    });
    expect(events[0]?.details).toEqual({ sessionsEnded: 2 });
  });

  it('refuses to update, delete or truncate events', async () => {
    // Drizzle wraps the database's error; the trigger's reason is in its cause.
    const reason = (statement: ReturnType<typeof sql>) =>
      database.db.execute(statement).then(
        () => 'no error',
        (error: unknown) => `${String(error)} ${String((error as { cause?: unknown }).cause)}`,
      );
    expect(await reason(sql`update audit_events set action = 'x'`)).toMatch(/append-only: UPDATE/);
    expect(await reason(sql`delete from audit_events`)).toMatch(/append-only: DELETE/);
    expect(await reason(sql`truncate audit_events`)).toMatch(/append-only: TRUNCATE/);
    expect(await createAuditLog(database).listForPerson(person)).toHaveLength(2);
  });

  it('is rolled back with the transaction it was recorded in', async () => {
    const audit = createAuditLog(database);
    await database
      .transaction(async (tx) => {
        await audit.record({ action: 'will.roll.back', actorPersonId: person }, tx);
        throw new Error('abandon');
      })
      .catch(() => undefined);
    expect((await audit.listForPerson(person)).map((e) => e.action)).not.toContain(
      'will.roll.back',
    );
  });
});
