/**
 * @fastify/session's store, in the database so every app instance shares sessions. The cookie's
 * session id is never stored: rows are keyed by its SHA-256. Idle expiry moves forward with use;
 * absolute expiry is fixed when the session is created.
 */
import { createHash } from 'node:crypto';
import type { Session } from 'fastify';
import type { Database } from '../../platform/db/index.js';
import { sessionRepository as repo } from './session.repository.js';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

type Callback = (error?: unknown) => void;

export function createSessionStore(
  database: Database,
  timeouts: SessionTimeouts,
  now: () => Date = () => new Date(),
) {
  const run = (promise: Promise<unknown>, callback: Callback) => {
    promise.then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(error);
      },
    );
  };
  return {
    set(sessionId: string, session: Session, callback: Callback): void {
      const at = now();
      const personId = session.personId ?? null;
      run(
        repo.upsert(database.db, {
          id: hashSessionId(sessionId),
          personId,
          data: session,
          now: at,
          expiresAt: new Date(at.getTime() + timeouts.idleMs),
          absoluteExpiresAt: new Date(at.getTime() + timeouts.absoluteMs),
        }),
        callback,
      );
    },
    get(sessionId: string, callback: (error: unknown, session?: Session | null) => void): void {
      repo.findLive(database.db, hashSessionId(sessionId), now()).then(
        (row) => {
          callback(null, row ? (row.data as Session) : null);
        },
        (error: unknown) => {
          callback(error);
        },
      );
    },
    destroy(sessionId: string, callback: Callback): void {
      run(repo.delete(database.db, hashSessionId(sessionId)), callback);
    },
  };
}

export type DatabaseSessionStore = ReturnType<typeof createSessionStore>;
