/**
 * A person's profile: profession, work setting and the workforce archetypes they identify with,
 * each chosen from the framework's own lists (so later issues can match learning and targets).
 * The profile is the person's to change at any time; each change is audited without the values.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { InvalidInputError } from '../../platform/errors.js';
import { DEFAULT_FRAMEWORK_SLUG, type FrameworkService } from '../framework/index.js';
import { peopleRepository as people } from './people.repository.js';

export interface Profile {
  professionCode: string | null;
  workSettingCode: string | null;
  archetypeCodes: string[];
}

export interface ProfileChoices {
  professions: { code: string; name: string }[];
  workSettings: { code: string; name: string }[];
  archetypes: { code: string; name: string; summary: string }[];
  frameworkSlug: string;
}

export interface ProfileServiceDeps {
  database: Database;
  frameworks: FrameworkService;
  audit: AuditLog;
  now?: () => Date;
}

export function createProfileService({
  database,
  frameworks,
  audit,
  now = () => new Date(),
}: ProfileServiceDeps) {
  async function choices(): Promise<ProfileChoices> {
    const framework = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    return {
      professions: framework.data.professions,
      workSettings: framework.data.workSettings,
      archetypes: framework.data.archetypes.map((a) => ({
        code: a.code,
        name: a.name,
        summary: a.summary,
      })),
      frameworkSlug: framework.data.slug,
    };
  }

  return {
    choices,

    async getProfile(personId: string): Promise<Profile | undefined> {
      const row = await people.findDetails(database.db, personId);
      return row
        ? {
            professionCode: row.professionCode,
            workSettingCode: row.workSettingCode,
            archetypeCodes: row.archetypeCodes,
          }
        : undefined;
    },

    /**
     * Saves the profile. Every code must come from the framework's lists; the form already
     * checks, and this refuses anything else (a stale form after a framework change).
     */
    async updateProfile(personId: string, profile: Profile, ip?: string): Promise<void> {
      const c = await choices();
      const known = (list: { code: string }[], code: string | null) =>
        code === null || list.some((x) => x.code === code);
      if (
        !known(c.professions, profile.professionCode) ||
        !known(c.workSettings, profile.workSettingCode) ||
        !profile.archetypeCodes.every((code) => known(c.archetypes, code))
      ) {
        throw new InvalidInputError('Choose from the lists shown');
      }
      const archetypeCodes = c.archetypes
        .map((a) => a.code)
        .filter((code) => profile.archetypeCodes.includes(code));
      await database.transaction(async (tx) => {
        await people.updateProfile(tx, personId, { ...profile, archetypeCodes, now: now() });
        await audit.record({ action: 'profile.changed', actorPersonId: personId, ip }, tx);
      });
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;

/** Names for a profile's codes, for pages and exports; unknown codes are shown as they are. */
export function describeProfile(profile: Profile, c: ProfileChoices) {
  const name = (list: { code: string; name: string }[], code: string | null) =>
    code === null ? null : (list.find((x) => x.code === code)?.name ?? code);
  return {
    profession: name(c.professions, profile.professionCode),
    workSetting: name(c.workSettings, profile.workSettingCode),
    archetypes: profile.archetypeCodes.map((code) => name(c.archetypes, code) ?? code),
  };
}
