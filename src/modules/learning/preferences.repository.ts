/** Data verbs for a person's learning preferences (learning_preferences). No business rules. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { learningPreferences as t } from './learning.tables.js';
import type { LearningPreferences } from './recommend.js';

export const preferencesRepository = {
  async find(db: Db, personId: string): Promise<LearningPreferences | undefined> {
    const rows = await db
      .select({
        formats: t.formats,
        maxDurationMinutes: t.maxDurationMinutes,
        freeOnly: t.freeOnly,
      })
      .from(t)
      .where(eq(t.personId, personId));
    return rows[0];
  },

  async save(db: Db, personId: string, preferences: LearningPreferences, now: Date): Promise<void> {
    const values = {
      formats: [...preferences.formats],
      maxDurationMinutes: preferences.maxDurationMinutes,
      freeOnly: preferences.freeOnly,
      updatedAt: now,
    };
    await db
      .insert(t)
      .values({ personId, ...values })
      .onConflictDoUpdate({ target: t.personId, set: values });
  },
};
