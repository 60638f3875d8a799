/**
 * The catalogue's queries on the real database (PGlite and PostgreSQL): every filter, text
 * search (including characters LIKE treats specially), visibility, paging and order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Database } from '../../platform/db/index.js';
import { organisationsRepository } from '../organisations/index.js';
import type { CatalogueFilter, CatalogueVisibility } from './catalogue.model.js';
import {
  catalogueRepository as repo,
  containsPattern,
  listVisibleResourcesForAreas,
  type NewResourceRow,
} from './catalogue.repository.js';

let database: Database;
let orgA: string;
let orgB: string;
const now = new Date('2026-11-25T09:00:00Z');

function row(slug: string, values: Partial<NewResourceRow> = {}): NewResourceRow {
  return {
    slug,
    organisationId: null,
    title: slug,
    provider: 'Example Provider',
    url: `https://www.example.org/${slug}`,
    format: 'guidance',
    durationMinutes: null,
    cost: 'free',
    levels: [1],
    areaCodes: ['1'],
    archetypeCodes: ['U'],
    summary: 'A summary.',
    curatedBy: 'Tests',
    source: 'local',
    createdAt: now,
    updatedAt: now,
    ...values,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const org = (name: string) =>
    organisationsRepository.insertOrganisation(db, { name, type: 'trust', odsCode: null, now });
  orgA = (await org('Trust A')).id;
  orgB = (await org('Trust B')).id;
  const rows: NewResourceRow[] = [
    row('ethics-course', {
      title: 'AI ethics course',
      format: 'course',
      cost: 'paid',
      durationMinutes: 120,
      levels: [2, 3],
      areaCodes: ['3.1', '6.3'],
      archetypeCodes: ['S', 'D'],
      summary: 'Bias, fairness and accountability in clinical AI.',
    }),
    row('data-dashboards', {
      title: 'Building dashboards',
      provider: 'NHS Data Academy',
      format: 'e-learning',
      durationMinutes: 30,
      levels: [1, 2],
      areaCodes: ['5.1.3'],
      archetypeCodes: ['C', 'U'],
      summary: 'Charts that tell the truth: 100% honest axes_and_labels.',
    }),
    row('robotics-intro', {
      title: 'Robotics in surgery',
      format: 'video',
      durationMinutes: 15,
      levels: [1],
      areaCodes: ['6.4'],
      archetypeCodes: ['U'],
    }),
    row('retired-one', {
      title: 'Old guidance',
      areaCodes: ['6.3'],
      retiredAt: now,
    }),
    row('trust-a-induction', {
      organisationId: orgA,
      title: 'Trust A digital induction',
      areaCodes: ['1', '6.3'],
      levels: [1],
    }),
    row('trust-a-retired', {
      organisationId: orgA,
      title: 'Trust A old induction',
      areaCodes: ['6.3'],
      retiredAt: now,
    }),
    row('trust-b-only', {
      organisationId: orgB,
      title: 'Trust B local course',
      areaCodes: ['6.3'],
    }),
  ];
  for (const r of rows) await repo.insert(db, r);
});
afterAll(async () => {
  await database.close();
});

const everyone: CatalogueVisibility = { organisationIds: [], includeOrganisations: true };
/** Trust A's members (a function: orgA is known only after beforeAll). */
const trustA = (): CatalogueVisibility => ({ organisationIds: [orgA], includeOrganisations: true });

async function slugs(filter: CatalogueFilter, visibility: CatalogueVisibility = everyone) {
  const { resources, total } = await repo.search(database.db, visibility, filter, {
    limit: 100,
    offset: 0,
  });
  expect(total).toBe(resources.length);
  return resources.map((r) => r.slug);
}

describe('catalogue repository: filters', () => {
  it('lists the shared catalogue, not retired, by title', async () => {
    expect(await slugs({})).toEqual(['ethics-course', 'data-dashboards', 'robotics-intro']);
  });

  it('filters by area, level, archetype and format (any of each), combined with and', async () => {
    expect(await slugs({ areaCodes: ['6.3', '6.4'] })).toEqual(['ethics-course', 'robotics-intro']);
    expect(await slugs({ levels: [2] })).toEqual(['ethics-course', 'data-dashboards']);
    expect(await slugs({ archetypeCodes: ['C', 'S'] })).toEqual([
      'ethics-course',
      'data-dashboards',
    ]);
    expect(await slugs({ formats: ['video', 'course'] })).toEqual([
      'ethics-course',
      'robotics-intro',
    ]);
    expect(await slugs({ levels: [1], archetypeCodes: ['U'], formats: ['video'] })).toEqual([
      'robotics-intro',
    ]);
  });

  it('filters by cost and by stated duration', async () => {
    expect(await slugs({ freeOnly: true })).toEqual(['data-dashboards', 'robotics-intro']);
    expect(await slugs({ maxDurationMinutes: 30 })).toEqual(['data-dashboards', 'robotics-intro']);
    expect(await slugs({ maxDurationMinutes: 14 })).toEqual([]);
  });

  it('searches title, provider and summary, every word, in any case', async () => {
    expect(await slugs({ q: 'FAIRNESS' })).toEqual(['ethics-course']);
    expect(await slugs({ q: 'data academy' })).toEqual(['data-dashboards']);
    expect(await slugs({ q: 'robotics surgery' })).toEqual(['robotics-intro']);
    expect(await slugs({ q: 'robotics fairness' })).toEqual([]);
  });

  it('treats %, _ and \\ in search words literally', async () => {
    expect(containsPattern('100%_x\\')).toBe('%100\\%\\_x\\\\%');
    expect(await slugs({ q: '100%' })).toEqual(['data-dashboards']);
    expect(await slugs({ q: 'axes_and' })).toEqual(['data-dashboards']);
    expect(await slugs({ q: '%' })).toEqual(['data-dashboards']);
    expect(await slugs({ q: '_' })).toEqual(['data-dashboards']);
    expect(await slugs({ q: '\\' })).toEqual([]);
  });
});

describe('catalogue repository: visibility and paging', () => {
  it("adds an organisation's own resources for its members only", async () => {
    expect(await slugs({ areaCodes: ['6.3'] }, trustA())).toEqual([
      'ethics-course',
      'trust-a-induction',
    ]);
    expect(
      await slugs({ areaCodes: ['6.3'] }, { organisationIds: [orgA], includeOrganisations: false }),
    ).toEqual(['ethics-course']);
  });

  it('lists retired resources only for the scopes asked for', async () => {
    expect(
      await slugs(
        { areaCodes: ['6.3'] },
        { ...trustA(), retired: { shared: false, organisationIds: [orgA] } },
      ),
    ).toEqual(['ethics-course', 'trust-a-induction', 'trust-a-retired']);
    expect(
      await slugs(
        { areaCodes: ['6.3'] },
        { ...everyone, retired: { shared: true, organisationIds: [] } },
      ),
    ).toEqual(['ethics-course', 'retired-one']);
  });

  it('pages with a total', async () => {
    const first = await repo.search(database.db, everyone, {}, { limit: 2, offset: 0 });
    const second = await repo.search(database.db, everyone, {}, { limit: 2, offset: 2 });
    expect(first.total).toBe(3);
    expect(first.resources.map((r) => r.slug)).toEqual(['ethics-course', 'data-dashboards']);
    expect(second.resources.map((r) => r.slug)).toEqual(['robotics-intro']);
  });

  it('lists visible, current resources by area for the recommendations engine', async () => {
    const forA = await listVisibleResourcesForAreas(database.db, ['6.3', '1'], [orgA]);
    expect(forA.map((r) => r.slug)).toEqual(['ethics-course', 'trust-a-induction']);
    expect(forA[0]).toMatchObject({
      levels: [2, 3],
      areaCodes: ['3.1', '6.3'],
      archetypeCodes: ['S', 'D'],
      statementIds: [],
      format: 'course',
      cost: 'paid',
      source: 'local',
      reviewDate: null,
      retiredAt: null,
    });
    expect(await listVisibleResourcesForAreas(database.db, [], [orgA])).toEqual([]);
  });

  it('keeps ids unique within a scope, and lets scopes reuse them', async () => {
    await expect(repo.insert(database.db, row('ethics-course'))).rejects.toThrow();
    await expect(
      repo.insert(database.db, row('ethics-course', { organisationId: orgB })),
    ).resolves.toMatchObject({ slug: 'ethics-course', organisationId: orgB });
    expect(await repo.slugsLike(database.db, orgB, 'ethics-course')).toEqual(['ethics-course']);
  });
});
