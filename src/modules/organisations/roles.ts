/** Roles people hold in an organisation, and the kinds of organisation, with their labels. */

export const ROLES = ['member', 'line_manager', 'educator', 'insights_viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  member: 'Member (learner)',
  line_manager: 'Line manager',
  educator: 'Educator',
  insights_viewer: 'Insights viewer',
  admin: 'Organisation admin',
};

/** How each role may be written in a roster file or form (lower-cased, spaces or dashes). */
const ROLE_ALIASES: Record<string, Role> = {
  member: 'member',
  learner: 'member',
  'line manager': 'line_manager',
  'line-manager': 'line_manager',
  line_manager: 'line_manager',
  manager: 'line_manager',
  educator: 'educator',
  'insights viewer': 'insights_viewer',
  'insights-viewer': 'insights_viewer',
  insights_viewer: 'insights_viewer',
  admin: 'admin',
  'organisation admin': 'admin',
  'organisation-admin': 'admin',
};

export function parseRole(text: string): Role | undefined {
  return ROLE_ALIASES[text.trim().toLowerCase().replace(/\s+/g, ' ')];
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Roles in their canonical order, without repeats. */
export function orderedRoles(roles: Iterable<Role>): Role[] {
  const set = new Set(roles);
  return ROLES.filter((r) => set.has(r));
}

/** The same roles, whatever their order or repeats. */
export const sameRoles = (a: readonly Role[], b: readonly Role[]) =>
  orderedRoles(a).join() === orderedRoles(b).join();

export const ORGANISATION_TYPES = [
  'trust',
  'icb',
  'practice',
  'university',
  'social-care',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  trust: 'NHS trust',
  icb: 'Integrated care board',
  practice: 'GP or dental practice',
  university: 'University or education provider',
  'social-care': 'Social care provider',
  other: 'Other health or care organisation',
};

export const isOrganisationType = (value: unknown): value is OrganisationType =>
  typeof value === 'string' && (ORGANISATION_TYPES as readonly string[]).includes(value);
