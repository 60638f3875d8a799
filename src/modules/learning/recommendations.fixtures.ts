/**
 * Test code only (nothing in the app imports it): learning resources written straight to the
 * table, with obviously fake example.org addresses, for tests of recommendations and My learning.
 */
import type { Database } from '../../platform/db/index.js';
import { insertedRow } from '../../platform/db/index.js';
import { learningResources } from './learning.tables.js';

let count = 0;

export interface FixtureResource {
  slug?: string;
  title?: string;
  organisationId?: string | null;
  format?: string;
  durationMinutes?: number | null;
  cost?: 'free' | 'paid' | 'unknown';
  levels?: number[];
  areaCodes?: string[];
  statementIds?: string[];
  archetypeCodes?: string[];
  retiredAt?: Date | null;
}

/** Inserts a resource (a strong match for area 6.3 at level 2 for Users unless told); its id. */
export async function insertResource(
  database: Database,
  r: FixtureResource = {},
): Promise<{ id: string; title: string }> {
  count += 1;
  const slug = r.slug ?? `fixture-${String(count)}-${String(Date.now())}`;
  const title = r.title ?? `Fixture resource ${String(count)}`;
  const row = insertedRow(
    await database.db
      .insert(learningResources)
      .values({
        slug,
        organisationId: r.organisationId ?? null,
        title,
        provider: 'Example provider',
        url: `https://example.org/learning/${slug}`,
        format: r.format ?? 'guidance',
        durationMinutes: r.durationMinutes ?? null,
        cost: r.cost ?? 'free',
        levels: r.levels ?? [2],
        areaCodes: r.areaCodes ?? ['6.3'],
        statementIds: r.statementIds ?? [],
        archetypeCodes: r.archetypeCodes ?? ['U'],
        summary: `A fixture resource for tests (${title}).`,
        curatedBy: 'digicap tests',
        source: 'local',
        retiredAt: r.retiredAt ?? null,
      })
      .returning({ id: learningResources.id }),
  );
  return { id: row.id, title };
}
