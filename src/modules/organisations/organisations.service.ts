/**
 * Organisations, their units and the people in them. Every public verb that takes an `actor`
 * checks organisations.policy.ts first (deny by default); the few verbs without one
 * (`ensureUnitPath`, `addMembership`) are internal steps for invitations, roster import and demo
 * seeding, whose callers check policy themselves. Governance events go to the audit log, in the
 * same transaction as the change they describe.
 */
import type { AuditLog, AuditPage } from '../../platform/audit/audit-log.js';
import { type Database, type Db, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import type { AccountsService } from '../accounts/index.js';
import {
  type Actor,
  ensure,
  ensureVisible,
  type MembershipContext,
  organisationsPolicy,
} from './organisations.policy.js';
import {
  type MemberRow,
  type MembershipRow,
  type OrganisationRow,
  organisationsRepository as repo,
} from './organisations.repository.js';
import { isOrganisationType, isRole, orderedRoles, type Role, sameRoles } from './roles.js';
import { UNIT_PATH_SEPARATOR, UnitTree } from './unit-tree.js';

export interface OrganisationsServiceDeps {
  database: Database;
  accounts: Pick<AccountsService, 'findPerson'>;
  audit: AuditLog;
  now?: () => Date;
}

/**
 * Bad input for one or more fields of a form; routes show each inline and in the error summary.
 * `field` is the first one's.
 */
export class OrganisationFieldError extends InvalidInputError {
  override name = 'OrganisationFieldError';
  readonly errors: FieldError[];
  readonly field: string;
  constructor(field: string | FieldError[], message = '') {
    const errors = typeof field === 'string' ? [{ field, text: message }] : field;
    super(errors.map((e) => e.text).join('. '));
    this.errors = errors;
    this.field = errors[0]?.field ?? '';
  }
}

/** Throws the errors collected, if any. */
function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw new OrganisationFieldError(errors);
}

/** Refused because the organisation would be left without an admin. */
export class LastAdminError extends ConflictError {
  override name = 'LastAdminError';
  /** The form field the refusal is about, for pages that show it inline. */
  readonly field = 'roles';
}

export const ODS_CODE = /^[A-Z0-9]{3,10}$/;
export const MAX_ORGANISATION_NAME = 200;
export const MAX_UNIT_NAME = 100;

/** Trims and upper-cases an ODS code; empty gives null. */
export function normaliseOdsCode(raw: string | null | undefined): string | null {
  const code = (raw ?? '').trim().toUpperCase();
  return code === '' ? null : code;
}

/** The problem with a unit name, or undefined when it is fine. */
export function unitNameProblem(name: string): string | undefined {
  if (name === '') return 'Enter a name for the unit';
  if (name.length > MAX_UNIT_NAME) return `Unit name must be ${MAX_UNIT_NAME} characters or fewer`;
  // Unit paths are written "Medicine > Cardiology" or "Medicine/Cardiology" in rosters.
  if (/[>/]/.test(name)) return 'Unit name must not contain > or /';
  return undefined;
}

const cleanName = (text: string) => text.trim().replace(/\s+/g, ' ');

export interface MyOrganisation {
  id: string;
  name: string;
  type: string;
  isDemo: boolean;
  roles: Role[];
}

export interface OrganisationView {
  organisation: OrganisationRow;
  units: UnitTree;
  /** The actor's own membership, when they are a member (a platform admin may not be). */
  membership?: MembershipContext | undefined;
}

export function createOrganisationsService({
  database,
  accounts,
  audit,
  now = () => new Date(),
}: OrganisationsServiceDeps) {
  async function visibleOrganisation(actor: Actor, organisationId: string) {
    ensureVisible(
      isUuid(organisationId) && organisationsPolicy.canViewOrganisation(actor, organisationId),
      'organisation',
    );
    const organisation = await repo.findOrganisation(database.db, organisationId);
    if (!organisation) throw new NotFoundError('We could not find that organisation');
    return organisation;
  }

  async function memberIn(db: Db, organisationId: string, membershipId: string) {
    const member = isUuid(membershipId)
      ? await repo.findMembershipById(db, membershipId)
      : undefined;
    if (member?.organisationId !== organisationId)
      throw new NotFoundError('We could not find that person');
    return member;
  }

  /** True when the member is their organisation's only admin. */
  async function isOnlyAdmin(db: Db, member: MemberRow): Promise<boolean> {
    return (
      member.roles.includes('admin') && (await repo.countAdmins(db, member.organisationId)) <= 1
    );
  }

  /**
   * Runs `change` on one member of an organisation the actor manages the members of, in a
   * transaction holding the organisation's lock (so the last admin cannot be changed away twice).
   */
  async function changingMember(
    actor: Actor,
    organisationId: string,
    membershipId: string,
    change: (tx: Db, member: MemberRow) => Promise<void>,
  ): Promise<void> {
    await visibleOrganisation(actor, organisationId);
    ensure(organisationsPolicy.canManageMember(actor, { organisationId }));
    await database.transaction(async (tx) => {
      await repo.lockOrganisation(tx, organisationId);
      await change(tx, await memberIn(tx, organisationId, membershipId));
    });
  }

  /** The problems with a unit and roles for a membership, and the roles in canonical order. */
  async function membershipProblems(
    db: Db,
    organisationId: string,
    unitId: string | null,
    roles: readonly string[],
  ): Promise<{ errors: FieldError[]; roles: Role[] }> {
    const errors: FieldError[] = [];
    if (unitId !== null) {
      const unitIds = new Set((await repo.listUnits(db, organisationId)).map((u) => u.id));
      if (!unitIds.has(unitId))
        errors.push({ field: 'unitId', text: 'Select a unit from the list' });
    }
    const valid = orderedRoles(roles.filter(isRole));
    if (valid.length !== new Set(roles).size)
      errors.push({ field: 'roles', text: 'Select roles from the list' });
    else if (valid.length === 0) errors.push({ field: 'roles', text: 'Select at least one role' });
    else if (valid.includes('line_manager') && unitId === null)
      errors.push({ field: 'unitId', text: 'Select the unit a line manager manages' });
    return { errors, roles: valid };
  }

  async function ensureUnitPath(
    tx: Db,
    organisationId: string,
    names: readonly string[],
    by: { actorPersonId?: string | undefined; ip?: string | undefined } = {},
  ): Promise<{ unitId: string; created: string[] }> {
    const cleaned = names.map(cleanName);
    if (cleaned.length === 0) throw new InvalidInputError('A unit path needs at least one name');
    for (const name of cleaned) {
      const problem = unitNameProblem(name);
      if (problem) throw new InvalidInputError(`${problem}: "${name}"`);
    }
    const tree = new UnitTree(await repo.listUnits(tx, organisationId));
    const created: string[] = [];
    let unitId: string | undefined;
    let parentId: string | null = null;
    let level = tree.roots;
    const path: string[] = [];
    for (const name of cleaned) {
      const existing = level.find((n) => n.name.toLowerCase() === name.toLowerCase());
      if (existing) {
        unitId = parentId = existing.id;
        level = existing.children;
        path.push(existing.name);
        continue;
      }
      const unit = await repo.insertUnit(tx, { organisationId, parentId, name, now: now() });
      path.push(name);
      created.push(path.join(UNIT_PATH_SEPARATOR));
      await audit.record(
        {
          action: 'unit.created',
          actorPersonId: by.actorPersonId,
          organisationId,
          subjectType: 'unit',
          subjectId: unit.id,
          ip: by.ip,
          details: { name, parentId, path: path.join(UNIT_PATH_SEPARATOR) },
        },
        tx,
      );
      unitId = parentId = unit.id;
      level = [];
    }
    if (unitId === undefined) throw new Error('unreachable: a unit path has at least one name');
    return { unitId, created };
  }

  return {
    /** The person as policies see them, with each membership's managed units worked out. */
    async actorFor(personId: string): Promise<Actor> {
      const person = await accounts.findPerson(personId);
      const rows = person ? await repo.membershipsForPerson(database.db, personId) : [];
      const memberships = new Map<string, MembershipContext>();
      for (const row of rows) {
        let managedUnitIds: ReadonlySet<string> = new Set();
        if (row.roles.includes('line_manager') && row.unitId) {
          const tree = new UnitTree(await repo.listUnits(database.db, row.organisationId));
          managedUnitIds = tree.subtreeIds(row.unitId);
        }
        memberships.set(row.organisationId, {
          organisationId: row.organisationId,
          membershipId: row.id,
          roles: orderedRoles(row.roles),
          unitId: row.unitId,
          managedUnitIds,
        });
      }
      return { personId, isPlatformAdmin: person?.isPlatformAdmin ?? false, memberships };
    },

    async createOrganisation(
      actor: Actor,
      input: { name: string; type: string; odsCode?: string | null; isDemo?: boolean },
      ip?: string,
    ): Promise<OrganisationRow> {
      ensure(organisationsPolicy.canCreateOrganisation(actor));
      const errors: FieldError[] = [];
      const name = cleanName(input.name);
      if (name === '') errors.push({ field: 'name', text: 'Enter the organisation’s name' });
      else if (name.length > MAX_ORGANISATION_NAME)
        errors.push({
          field: 'name',
          text: `Name must be ${MAX_ORGANISATION_NAME} characters or fewer`,
        });
      const type = input.type;
      if (!isOrganisationType(type))
        errors.push({ field: 'type', text: 'Select the type of organisation' });
      const odsCode = normaliseOdsCode(input.odsCode);
      const taken = () =>
        new OrganisationFieldError(
          'odsCode',
          `Another organisation already has ODS code ${odsCode}`,
        );
      if (odsCode !== null && !ODS_CODE.test(odsCode))
        errors.push({
          field: 'odsCode',
          text: 'ODS code must be 3 to 10 letters and numbers, like RX1 or 0DE',
        });
      else if (odsCode !== null && (await repo.findOrganisationByOdsCode(database.db, odsCode)))
        errors.push(...taken().errors);
      throwIfAny(errors);
      try {
        return await database.transaction(async (tx) => {
          const organisation = await repo.insertOrganisation(tx, {
            name,
            type,
            odsCode,
            isDemo: input.isDemo ?? false,
            now: now(),
          });
          await audit.record(
            {
              action: 'organisation.created',
              actorPersonId: actor.personId,
              organisationId: organisation.id,
              subjectType: 'organisation',
              subjectId: organisation.id,
              ip,
              details: { name, type, odsCode, isDemo: organisation.isDemo },
            },
            tx,
          );
          return organisation;
        });
      } catch (error) {
        // Another request took the code between the check and the insert.
        if (isUniqueViolation(error)) throw taken();
        throw error;
      }
    },

    async listAllOrganisations(actor: Actor): Promise<OrganisationRow[]> {
      ensure(organisationsPolicy.canListAllOrganisations(actor));
      return repo.listOrganisations(database.db);
    },

    async listMyOrganisations(actor: Actor): Promise<MyOrganisation[]> {
      const rows = await repo.listOrganisationsByIds(database.db, [...actor.memberships.keys()]);
      return rows.map((o) => ({
        id: o.id,
        name: o.name,
        type: o.type,
        isDemo: o.isDemo,
        roles: [...(actor.memberships.get(o.id)?.roles ?? [])],
      }));
    },

    async getOrganisation(actor: Actor, organisationId: string): Promise<OrganisationView> {
      const organisation = await visibleOrganisation(actor, organisationId);
      const units = new UnitTree(await repo.listUnits(database.db, organisationId));
      return { organisation, units, membership: actor.memberships.get(organisationId) };
    },

    async addUnit(
      actor: Actor,
      organisationId: string,
      input: { name: string; parentId: string | null },
      ip?: string,
    ) {
      await visibleOrganisation(actor, organisationId);
      ensure(organisationsPolicy.canAdministerOrganisation(actor, organisationId));
      const name = cleanName(input.name);
      const problem = unitNameProblem(name);
      const duplicate = (within: string) =>
        new OrganisationFieldError('name', `There is already a unit called ${name} ${within}`);
      try {
        return await database.transaction(async (tx) => {
          const tree = new UnitTree(await repo.listUnits(tx, organisationId));
          const parent = input.parentId === null ? undefined : tree.get(input.parentId);
          throwIfAny([
            ...(problem ? [{ field: 'name', text: problem }] : []),
            ...(input.parentId !== null && !parent
              ? [{ field: 'parentId', text: 'Select a unit from the list' }]
              : []),
          ]);
          const siblings = parent ? parent.children : tree.roots;
          const within = parent ? `in ${tree.pathText(parent.id)}` : 'at the top level';
          if (siblings.some((s) => s.name.toLowerCase() === name.toLowerCase()))
            throw duplicate(within);
          const unit = await repo.insertUnit(tx, {
            organisationId,
            parentId: input.parentId,
            name,
            now: now(),
          });
          const path = parent ? [...parent.pathNames, name] : [name];
          await audit.record(
            {
              action: 'unit.created',
              actorPersonId: actor.personId,
              organisationId,
              subjectType: 'unit',
              subjectId: unit.id,
              ip,
              details: { name, parentId: input.parentId, path: path.join(UNIT_PATH_SEPARATOR) },
            },
            tx,
          );
          return unit;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate('there');
        throw error;
      }
    },

    /**
     * Finds the unit a path of names leads to, creating any missing units along it (names match
     * ignoring case). Internal: no policy check, for roster import and demo seeding, whose
     * callers check policy. `created` lists the full paths ("Medicine > Cardiology") of the units
     * it made, each also recorded in the audit log as `unit.created` (by `by.actorPersonId`).
     */
    ensureUnitPath,

    /** The organisation's people the actor may see: all for admins, a subtree for line managers. */
    async listPeople(
      actor: Actor,
      organisationId: string,
    ): Promise<{ people: MemberRow[]; units: UnitTree; scope: 'all' | 'units' }> {
      await visibleOrganisation(actor, organisationId);
      const scope = organisationsPolicy.peopleScope(actor, organisationId);
      ensure(scope.kind !== 'none', 'Only organisation admins and line managers can see people');
      const units = new UnitTree(await repo.listUnits(database.db, organisationId));
      const people = await repo.listMembers(
        database.db,
        organisationId,
        scope.kind === 'units' ? [...scope.unitIds] : undefined,
      );
      return { people, units, scope: scope.kind === 'all' ? 'all' : 'units' };
    },

    async getMember(actor: Actor, organisationId: string, membershipId: string) {
      const organisation = await visibleOrganisation(actor, organisationId);
      const member = await memberIn(database.db, organisationId, membershipId);
      ensureVisible(organisationsPolicy.canViewMember(actor, member), 'person');
      const units = new UnitTree(await repo.listUnits(database.db, organisationId));
      return {
        organisation,
        member,
        units,
        canManage: organisationsPolicy.canManageMember(actor, { organisationId }),
        isOnlyAdmin: await isOnlyAdmin(database.db, member),
      };
    },

    async changeMember(
      actor: Actor,
      organisationId: string,
      membershipId: string,
      input: { unitId: string | null; roles: readonly string[] },
      ip?: string,
    ): Promise<void> {
      await changingMember(actor, organisationId, membershipId, async (tx, before) => {
        const { errors, roles } = await membershipProblems(
          tx,
          organisationId,
          input.unitId,
          input.roles,
        );
        throwIfAny(errors);
        if (!roles.includes('admin') && (await isOnlyAdmin(tx, before))) {
          throw new LastAdminError(
            `${before.displayName} is the only organisation admin. Make someone else an admin before removing this role.`,
          );
        }
        const rolesChanged = !sameRoles(before.roles, roles);
        if (!rolesChanged && before.unitId === input.unitId) return;
        await repo.updateMembership(tx, membershipId, { unitId: input.unitId, roles, now: now() });
        await audit.record(
          {
            action: rolesChanged ? 'membership.roles-changed' : 'membership.unit-changed',
            actorPersonId: actor.personId,
            organisationId,
            subjectType: 'membership',
            subjectId: membershipId,
            ip,
            details: {
              personId: before.personId,
              before: { unitId: before.unitId, roles: orderedRoles(before.roles) },
              after: { unitId: input.unitId, roles },
            },
          },
          tx,
        );
      });
    },

    async removeMember(
      actor: Actor,
      organisationId: string,
      membershipId: string,
      ip?: string,
    ): Promise<void> {
      await changingMember(actor, organisationId, membershipId, async (tx, member) => {
        if (await isOnlyAdmin(tx, member)) {
          throw new LastAdminError(
            `${member.displayName} is the only organisation admin, so cannot be removed. Make someone else an admin first.`,
          );
        }
        await repo.deleteMembership(tx, membershipId);
        await audit.record(
          {
            action: 'membership.removed',
            actorPersonId: actor.personId,
            organisationId,
            subjectType: 'membership',
            subjectId: membershipId,
            ip,
            details: {
              personId: member.personId,
              unitId: member.unitId,
              roles: orderedRoles(member.roles),
            },
          },
          tx,
        );
      });
    },

    /**
     * Makes a person a member, or, when they already are, adds the roles to theirs and moves
     * them to `unitId` (when one is given; null keeps their unit). Internal: no policy check,
     * for accepting invitations, roster import and demo seeding. Throws InvalidInputError for a
     * unit outside the organisation, no roles, or a line manager without a unit.
     */
    async addMembership(
      input: {
        organisationId: string;
        personId: string;
        unitId: string | null;
        roles: readonly Role[];
        /** Who is acting, for the audit log (the person accepting, the admin importing…). */
        actorPersonId?: string | undefined;
        ip?: string | undefined;
      },
      tx?: Db,
    ): Promise<MembershipRow & { created: boolean }> {
      const run = async (db: Db) => {
        const { organisationId, personId } = input;
        const existing = await repo.findMembership(db, organisationId, personId);
        const unitId = input.unitId ?? existing?.unitId ?? null;
        const { errors, roles } = await membershipProblems(db, organisationId, unitId, [
          ...new Set([...(existing?.roles ?? []), ...input.roles]),
        ]);
        throwIfAny(errors);
        const event = {
          actorPersonId: input.actorPersonId,
          organisationId,
          subjectType: 'membership',
          ip: input.ip,
        };
        if (!existing) {
          const row = await repo.insertMembership(db, {
            organisationId,
            personId,
            unitId,
            roles,
            now: now(),
          });
          await audit.record(
            {
              ...event,
              action: 'membership.created',
              subjectId: row.id,
              details: { personId, unitId, roles },
            },
            db,
          );
          return { ...row, created: true };
        }
        if (sameRoles(existing.roles, roles) && existing.unitId === unitId)
          return { ...existing, created: false };
        const at = now();
        await repo.updateMembership(db, existing.id, { unitId, roles, now: at });
        await audit.record(
          {
            ...event,
            action: 'membership.updated',
            subjectId: existing.id,
            details: {
              personId,
              before: { unitId: existing.unitId, roles: orderedRoles(existing.roles) },
              after: { unitId, roles },
            },
          },
          db,
        );
        return { ...existing, unitId, roles, updatedAt: at, created: false };
      };
      return tx ? run(tx) : database.transaction(run);
    },

    async listAuditEntries(
      actor: Actor,
      organisationId: string,
      options: { page?: number } = {},
    ): Promise<AuditPage & { personNames: Record<string, string> }> {
      await visibleOrganisation(actor, organisationId);
      ensure(organisationsPolicy.canReadOrganisationAudit(actor, organisationId));
      const page = await audit.listForOrganisation(organisationId, {
        page: options.page ?? 1,
        pageSize: 50,
      });
      // The people entries are about (details.personId), named where they still exist.
      const ids = new Set<string>();
      for (const entry of page.entries) {
        const personId = entry.details?.personId;
        if (typeof personId === 'string' && isUuid(personId)) ids.add(personId);
      }
      const names = await repo.displayNames(database.db, [...ids]);
      return { ...page, personNames: Object.fromEntries(names) };
    },

    /** Throws ForbiddenError unless the actor may manage the organisation's people. */
    ensureCanManage(actor: Actor, organisationId: string): void {
      ensure(organisationsPolicy.canManageMember(actor, { organisationId }));
    },

    /** Throws ForbiddenError unless the actor may create organisations. */
    ensureCanCreate(actor: Actor): void {
      ensure(organisationsPolicy.canCreateOrganisation(actor));
    },

    /** Throws NotFoundError unless the actor belongs to the organisation (switching to it). */
    ensureCanSwitchTo(actor: Actor, organisationId: string): void {
      ensureVisible(actor.memberships.has(organisationId), 'organisation');
    },
  };
}

/**
 * The organisation a person is working in: the one in their session while they still belong to
 * it, otherwise the first they belong to (by name order of `mine`), otherwise none.
 */
export function currentOrganisationId(
  actor: Actor,
  fromSession: string | undefined,
  mine: readonly { id: string }[] = [...actor.memberships.keys()].map((id) => ({ id })),
): string | undefined {
  if (fromSession && actor.memberships.has(fromSession)) return fromSession;
  return mine.find((o) => actor.memberships.has(o.id))?.id;
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
