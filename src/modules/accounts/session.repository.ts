/** Data verbs for server-side sessions. Ids arrive already hashed (see session-store.ts). */
import { and, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { sessions } from './accounts.tables.js';

export interface SessionRow {
  data: unknown;
  personId: string | null;
  createdAt: Date;
  absoluteExpiresAt: Date;
}

export const sessionRepository = {
  async upsert(
    db: Db,
    row: {
      id: string;
      personId: string | null;
      data: unknown;
      now: Date;
      expiresAt: Date;
      absoluteExpiresAt: Date;
    },
  ): Promise<void> {
    await db
      .insert(sessions)
      .values({
        id: row.id,
        personId: row.personId,
        data: row.data,
        createdAt: row.now,
        lastSeenAt: row.now,
        expiresAt: row.expiresAt,
        absoluteExpiresAt: row.absoluteExpiresAt,
      })
      .onConflictDoUpdate({
        target: sessions.id,
        set: {
          personId: row.personId,
          data: row.data,
          lastSeenAt: row.now,
          // Never beyond the absolute expiry fixed when the session was created.
          expiresAt: sql`least(${row.expiresAt.toISOString()}::timestamptz, ${sessions.absoluteExpiresAt})`,
        },
      });
  },

  /** A session that has not expired (idle or absolute) at `now`. */
  async findLive(db: Db, id: string, now: Date): Promise<SessionRow | undefined> {
    const [row] = await db
      .select({
        data: sessions.data,
        personId: sessions.personId,
        createdAt: sessions.createdAt,
        absoluteExpiresAt: sessions.absoluteExpiresAt,
      })
      .from(sessions)
      .where(
        and(eq(sessions.id, id), gt(sessions.expiresAt, now), gt(sessions.absoluteExpiresAt, now)),
      );
    return row;
  },

  async delete(db: Db, id: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.id, id));
  },

  /** Ends every session of a person, except `keepId` when given ("sign out everywhere else"). */
  async deleteForPerson(db: Db, personId: string, keepId?: string): Promise<number> {
    const rows = await db
      .delete(sessions)
      .where(
        keepId
          ? and(eq(sessions.personId, personId), ne(sessions.id, keepId))
          : eq(sessions.personId, personId),
      )
      .returning({ id: sessions.id });
    return rows.length;
  },

  async purgeExpired(db: Db, now: Date): Promise<number> {
    const rows = await db
      .delete(sessions)
      .where(lte(sessions.expiresAt, now))
      .returning({ id: sessions.id });
    return rows.length;
  },
};
