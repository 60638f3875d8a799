/**
 * Form parsers for the organisation pages: request body → typed values. They only normalise
 * (trim, one-or-many checkboxes, empty select → null); the rules (required fields, ODS codes,
 * unit names, roles) live in the service, which checks policy before it looks at the input, so
 * that someone who may not make a change never learns more than "you may not" from the form.
 * The service reports every problem at once (OrganisationFieldError.errors).
 */
import { safeReturnTo, values } from '../../platform/forms.js';

const first = (raw: unknown) => values(raw)[0] ?? '';
const fields = (body: unknown) => (body ?? {}) as Record<string, unknown>;

export interface OrganisationFormValues {
  name: string;
  type: string;
  odsCode: string;
}

export function parseOrganisationForm(body: unknown): OrganisationFormValues {
  const b = fields(body);
  return { name: first(b.name).trim(), type: first(b.type), odsCode: first(b.odsCode).trim() };
}

export interface UnitFormValues {
  name: string;
  /** null: a unit at the top level. */
  parentId: string | null;
}

export function parseUnitForm(body: unknown): UnitFormValues {
  const b = fields(body);
  const parentId = first(b.parentId);
  return { name: first(b.name).trim(), parentId: parentId === '' ? null : parentId };
}

export interface MemberFormValues {
  unitId: string | null;
  roles: string[];
}

export function parseMemberForm(body: unknown): MemberFormValues {
  const b = fields(body);
  const unitId = first(b.unitId);
  return { unitId: unitId === '' ? null : unitId, roles: [...new Set(values(b.roles))] };
}

export function parseSwitchForm(body: unknown): {
  organisationId: string;
  returnTo: string | undefined;
} {
  const b = fields(body);
  return { organisationId: first(b.organisationId), returnTo: safeReturnTo(first(b.returnTo)) };
}

/** `?page=N` → a page number from 1 (anything else is page 1). */
export function parsePageQuery(query: unknown): number {
  const raw = first(fields(query).page);
  const page = /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return page >= 1 ? page : 1;
}
