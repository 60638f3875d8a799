/**
 * A person's learning preferences: what formats they like, the longest a resource should take,
 * and whether only free resources should be suggested. Only the person themselves reads or
 * changes them (every verb takes the signed-in person's own id; there is no way to name
 * someone else's). Changes are audited.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import { orderedFormats, preferencesProblems } from './preferences.model.js';
import { preferencesRepository as repo } from './preferences.repository.js';
import { type LearningPreferences, NO_PREFERENCES } from './recommend.js';

export interface PreferencesServiceDeps {
  database: Database;
  audit: AuditLog;
  now?: () => Date;
}

/** Preferences that are not among the choices offered (422 on the form). */
export class PreferencesFieldError extends DomainError {
  override name = 'PreferencesFieldError';
  override readonly statusCode = 422;
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => e.text).join('. '));
    this.errors = errors;
  }
}

export function createPreferencesService({
  database,
  audit,
  now = () => new Date(),
}: PreferencesServiceDeps) {
  return {
    /** The person's preferences, or none (any format, any length, any cost) if never set. */
    async get(personId: string): Promise<LearningPreferences> {
      return (await repo.find(database.db, personId)) ?? NO_PREFERENCES;
    },

    /** Saves the person's preferences; PreferencesFieldError for choices not offered. */
    async save(personId: string, preferences: LearningPreferences, ip?: string): Promise<void> {
      const problems = preferencesProblems(preferences);
      if (problems.length > 0) throw new PreferencesFieldError(problems);
      const saved: LearningPreferences = {
        formats: orderedFormats(preferences.formats),
        maxDurationMinutes: preferences.maxDurationMinutes,
        freeOnly: preferences.freeOnly,
      };
      await database.transaction(async (tx) => {
        await repo.save(tx, personId, saved, now());
        await audit.record(
          {
            action: 'learning.preferences.changed',
            actorPersonId: personId,
            subjectType: 'person',
            subjectId: personId,
            ip,
            details: { ...saved, formats: [...saved.formats] },
          },
          tx,
        );
      });
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
