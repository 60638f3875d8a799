/** Data verbs for organisations, units and memberships. No business rules. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { memberships, organisations, units } from './organisations.tables.js';
import type { Role } from './roles.js';
import type { UnitRow } from './unit-tree.js';

export interface OrganisationRow {
  id: string;
  name: string;
  type: string;
  odsCode: string | null;
  isDemo: boolean;
  createdAt: Date;
}

export interface MembershipRow {
  id: string;
  organisationId: string;
  personId: string;
  unitId: string | null;
  roles: Role[];
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberRow extends MembershipRow {
  displayName: string;
  email: string;
  professionCode: string | null;
}

const organisationColumns = {
  id: organisations.id,
  name: organisations.name,
  type: organisations.type,
  odsCode: organisations.odsCode,
  isDemo: organisations.isDemo,
  createdAt: organisations.createdAt,
};

const membershipColumns = {
  id: memberships.id,
  organisationId: memberships.organisationId,
  personId: memberships.personId,
  unitId: memberships.unitId,
  roles: sql<Role[]>`${memberships.roles}`,
  createdAt: memberships.createdAt,
  updatedAt: memberships.updatedAt,
};

/** A membership with the person's name and address (memberships joined to people). */
const memberColumns = {
  ...membershipColumns,
  displayName: people.displayName,
  email: people.email,
  professionCode: people.professionCode,
};

export const organisationsRepository = {
  async insertOrganisation(
    db: Db,
    input: { name: string; type: string; odsCode: string | null; isDemo?: boolean; now: Date },
  ): Promise<OrganisationRow> {
    return insertedRow(
      await db
        .insert(organisations)
        .values({
          name: input.name,
          type: input.type,
          odsCode: input.odsCode,
          isDemo: input.isDemo ?? false,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning(organisationColumns),
    );
  },

  async findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
    const [row] = await db
      .select(organisationColumns)
      .from(organisations)
      .where(eq(organisations.id, id));
    return row;
  },

  async findOrganisationByOdsCode(db: Db, odsCode: string): Promise<OrganisationRow | undefined> {
    const [row] = await db
      .select(organisationColumns)
      .from(organisations)
      .where(eq(organisations.odsCode, odsCode));
    return row;
  },

  async listOrganisations(db: Db): Promise<OrganisationRow[]> {
    return db.select(organisationColumns).from(organisations).orderBy(asc(organisations.name));
  },

  async countOrganisations(db: Db): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organisations);
    return row?.n ?? 0;
  },

  async listOrganisationsByIds(db: Db, ids: string[]): Promise<OrganisationRow[]> {
    if (ids.length === 0) return [];
    return db
      .select(organisationColumns)
      .from(organisations)
      .where(inArray(organisations.id, ids))
      .orderBy(asc(organisations.name));
  },

  async listUnits(db: Db, organisationId: string): Promise<UnitRow[]> {
    return db
      .select({ id: units.id, parentId: units.parentId, name: units.name })
      .from(units)
      .where(eq(units.organisationId, organisationId));
  },

  async insertUnit(
    db: Db,
    input: { organisationId: string; parentId: string | null; name: string; now: Date },
  ): Promise<UnitRow> {
    return insertedRow(
      await db
        .insert(units)
        .values({
          organisationId: input.organisationId,
          parentId: input.parentId,
          name: input.name,
          createdAt: input.now,
        })
        .returning({ id: units.id, parentId: units.parentId, name: units.name }),
    );
  },

  async membershipsForPerson(db: Db, personId: string): Promise<MembershipRow[]> {
    return db.select(membershipColumns).from(memberships).where(eq(memberships.personId, personId));
  },

  async findMembership(
    db: Db,
    organisationId: string,
    personId: string,
  ): Promise<MembershipRow | undefined> {
    const [row] = await db
      .select(membershipColumns)
      .from(memberships)
      .where(
        and(eq(memberships.organisationId, organisationId), eq(memberships.personId, personId)),
      );
    return row;
  },

  async findMembershipById(db: Db, id: string): Promise<MemberRow | undefined> {
    const [row] = await db
      .select(memberColumns)
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(eq(memberships.id, id));
    return row;
  },

  /** Members of an organisation with their names, optionally only those in some units. */
  async listMembers(
    db: Db,
    organisationId: string,
    onlyUnitIds?: readonly string[],
  ): Promise<MemberRow[]> {
    if (onlyUnitIds?.length === 0) return [];
    return db
      .select(memberColumns)
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(
        and(
          eq(memberships.organisationId, organisationId),
          onlyUnitIds ? inArray(memberships.unitId, [...onlyUnitIds]) : undefined,
        ),
      )
      .orderBy(asc(people.displayName), asc(people.email));
  },

  async insertMembership(
    db: Db,
    input: {
      organisationId: string;
      personId: string;
      unitId: string | null;
      roles: Role[];
      now: Date;
    },
  ): Promise<MembershipRow> {
    return insertedRow(
      await db
        .insert(memberships)
        .values({
          organisationId: input.organisationId,
          personId: input.personId,
          unitId: input.unitId,
          roles: input.roles,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning(membershipColumns),
    );
  },

  async updateMembership(
    db: Db,
    id: string,
    input: { unitId: string | null; roles: Role[]; now: Date },
  ): Promise<void> {
    await db
      .update(memberships)
      .set({ unitId: input.unitId, roles: input.roles, updatedAt: input.now })
      .where(eq(memberships.id, id));
  },

  /**
   * Locks the organisation's row until the transaction ends, so that changes which must keep
   * an invariant across its memberships (at least one admin) happen one at a time.
   */
  async lockOrganisation(db: Db, id: string): Promise<void> {
    await db.execute(
      sql`select id from ${organisations} where ${organisations.id} = ${id} for update`,
    );
  },

  async countAdmins(db: Db, organisationId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(
        and(
          eq(memberships.organisationId, organisationId),
          sql`'admin' = any(${memberships.roles})`,
        ),
      );
    return row?.n ?? 0;
  },

  /** Current display names of people who still exist, by id. */
  async displayNames(db: Db, personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await db
      .select({ id: people.id, displayName: people.displayName })
      .from(people)
      .where(inArray(people.id, [...personIds]));
    return new Map(rows.map((r) => [r.id, r.displayName]));
  },

  async deleteMembership(db: Db, id: string): Promise<void> {
    await db.delete(memberships).where(eq(memberships.id, id));
  },
};
