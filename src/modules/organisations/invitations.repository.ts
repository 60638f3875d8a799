/** Data verbs for invitations. No business rules: the service decides who may do what. */
import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { invitations } from './organisations.tables.js';
import type { Role } from './roles.js';

export type InvitationSource = 'single' | 'roster';

/** What an invitation says about the person invited; a roster may change it while it is open. */
export interface InvitationDetails {
  displayName: string;
  professionCode: string | null;
  unitId: string | null;
  roles: Role[];
}

/** What is given when an invitation is made or sent again. */
interface InvitationFields extends InvitationDetails {
  organisationId: string;
  email: string;
  expiresAt: Date;
  invitedByPersonId: string | null;
  source: InvitationSource;
}

export interface NewInvitation extends InvitationFields {
  tokenHash: string;
}

export interface InvitationRow extends InvitationFields {
  id: string;
  sentAt: Date | null;
  sendCount: number;
  acceptedAt: Date | null;
  acceptedPersonId: string | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface InvitationListRow extends InvitationRow {
  invitedByName: string | null;
}

const columns = {
  id: invitations.id,
  organisationId: invitations.organisationId,
  email: invitations.email,
  displayName: invitations.displayName,
  professionCode: invitations.professionCode,
  unitId: invitations.unitId,
  roles: sql<Role[]>`${invitations.roles}`,
  expiresAt: invitations.expiresAt,
  sentAt: invitations.sentAt,
  sendCount: invitations.sendCount,
  acceptedAt: invitations.acceptedAt,
  acceptedPersonId: invitations.acceptedPersonId,
  revokedAt: invitations.revokedAt,
  invitedByPersonId: invitations.invitedByPersonId,
  source: sql<InvitationSource>`${invitations.source}`,
  createdAt: invitations.createdAt,
  updatedAt: invitations.updatedAt,
};

/** Neither accepted nor revoked (it may have expired): at most one per organisation and email. */
const isOpen = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

/** Rows per INSERT when many invitations are written at once (keeps statements small). */
const INSERT_CHUNK = 500;

export const invitationsRepository = {
  /** Erases every invitation to this address or accepted by this person, in any organisation. */
  async deleteForPerson(db: Db, personId: string, email: string): Promise<number> {
    const rows = await db
      .delete(invitations)
      .where(or(eq(invitations.acceptedPersonId, personId), eq(invitations.email, email)))
      .returning({ id: invitations.id });
    return rows.length;
  },

  async insertMany(db: Db, rows: readonly NewInvitation[], now: Date): Promise<InvitationRow[]> {
    const out: InvitationRow[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      out.push(
        ...(await db
          .insert(invitations)
          .values(chunk.map((r) => ({ ...r, createdAt: now, updatedAt: now })))
          .returning(columns)),
      );
    }
    return out;
  },

  async insert(db: Db, row: NewInvitation, now: Date): Promise<InvitationRow> {
    return insertedRow(await invitationsRepository.insertMany(db, [row], now));
  },

  async findById(db: Db, id: string): Promise<InvitationRow | undefined> {
    const [row] = await db.select(columns).from(invitations).where(eq(invitations.id, id));
    return row;
  },

  async findByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
    const [row] = await db
      .select(columns)
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash));
    return row;
  },

  async findOpen(
    db: Db,
    organisationId: string,
    email: string,
  ): Promise<InvitationRow | undefined> {
    const [row] = await db
      .select(columns)
      .from(invitations)
      .where(
        and(eq(invitations.organisationId, organisationId), eq(invitations.email, email), isOpen),
      );
    return row;
  },

  async listOpen(db: Db, organisationId: string): Promise<InvitationRow[]> {
    return db
      .select(columns)
      .from(invitations)
      .where(and(eq(invitations.organisationId, organisationId), isOpen));
  },

  /** Every invitation of an organisation, newest first, with the inviter's name. */
  async listForOrganisation(db: Db, organisationId: string): Promise<InvitationListRow[]> {
    return db
      .select({ ...columns, invitedByName: people.displayName })
      .from(invitations)
      .leftJoin(people, eq(people.id, invitations.invitedByPersonId))
      .where(eq(invitations.organisationId, organisationId))
      .orderBy(desc(invitations.createdAt), invitations.email);
  },

  async countForOrganisation(db: Db, organisationId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(invitations)
      .where(eq(invitations.organisationId, organisationId));
    return row?.n ?? 0;
  },

  async updateDetails(db: Db, id: string, details: InvitationDetails, now: Date): Promise<void> {
    await db
      .update(invitations)
      .set({ ...details, updatedAt: now })
      .where(and(eq(invitations.id, id), isOpen));
  },

  /** A new token and expiry for an open invitation; false when it is no longer open. */
  async reissue(
    db: Db,
    id: string,
    input: { tokenHash: string; expiresAt: Date; invitedByPersonId: string | null; now: Date },
  ): Promise<boolean> {
    const rows = await db
      .update(invitations)
      .set({
        tokenHash: input.tokenHash,
        expiresAt: input.expiresAt,
        invitedByPersonId: input.invitedByPersonId,
        updatedAt: input.now,
      })
      .where(and(eq(invitations.id, id), isOpen))
      .returning({ id: invitations.id });
    return rows.length > 0;
  },

  async markSent(db: Db, ids: readonly string[], now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await db
        .update(invitations)
        .set({ sentAt: now, sendCount: sql`${invitations.sendCount} + 1`, updatedAt: now })
        .where(inArray(invitations.id, ids.slice(i, i + INSERT_CHUNK)));
    }
  },

  /** Revokes an open invitation; false when it was already accepted or revoked. */
  async revoke(db: Db, id: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(invitations)
      .set({ revokedAt: now, updatedAt: now })
      .where(and(eq(invitations.id, id), isOpen))
      .returning({ id: invitations.id });
    return rows.length > 0;
  },

  /**
   * Marks an open, unexpired invitation accepted by a person, in one statement, so that a link
   * works once however many requests race. Undefined when it cannot be used.
   */
  async consume(
    db: Db,
    tokenHash: string,
    personId: string,
    now: Date,
  ): Promise<InvitationRow | undefined> {
    const [row] = await db
      .update(invitations)
      .set({ acceptedAt: now, acceptedPersonId: personId, updatedAt: now })
      .where(and(eq(invitations.tokenHash, tokenHash), isOpen, gt(invitations.expiresAt, now)))
      .returning(columns);
    return row;
  },
};
