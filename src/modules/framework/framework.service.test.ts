/** Framework storage on the real database (run on PGlite and on PostgreSQL). */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { findRootDir } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  type LoadedFramework,
  hashFrameworkData,
  loadFrameworkContent,
} from './content/framework-content.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from './framework.model.js';
import { createFrameworkService, type FrameworkService } from './framework.service.js';

const bundledDir = path.join(findRootDir(), 'content', 'frameworks', 'ai-digital-healthcare');

let database: Database;
let service: FrameworkService;
let bundled: LoadedFramework;

beforeAll(async () => {
  database = await createTestDatabase();
  service = createFrameworkService({ database, latestTtlMs: 0 });
  bundled = await loadFrameworkContent(bundledDir);
});
afterAll(async () => {
  await database.close();
});

async function countRows(table: string): Promise<number> {
  const result = await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
  const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as {
    n: number;
  }[];
  return rows[0]?.n ?? -1;
}

function changed(loaded: LoadedFramework, text: string): LoadedFramework {
  const data = {
    ...loaded.data,
    statements: loaded.data.statements.map((s, i) => (i === 0 ? { ...s, text } : s)),
  };
  return { data, contentHash: hashFrameworkData(data) };
}

describe('framework service on the database', () => {
  it('stores the bundled framework as version 1 and reads it back exactly', async () => {
    expect(await service.syncBundledContent([bundled])).toEqual([
      { slug: 'ai-digital-healthcare', version: 1, created: true },
    ]);
    const model = await service.getFramework('ai-digital-healthcare');
    expect(model.version).toBe(1);
    expect(model.versionInfo.contentHash).toBe(bundled.contentHash);
    expect(model.data).toEqual(bundled.data);
  });

  it('loads idempotently: the same content again creates nothing', async () => {
    const before = await countRows('framework_statements');
    expect(await service.syncBundledContent([bundled])).toEqual([
      { slug: 'ai-digital-healthcare', version: 1, created: false },
    ]);
    expect(await countRows('framework_statements')).toBe(before);
    expect(await countRows('framework_versions')).toBe(1);
  });

  it('lists frameworks with their latest version and statement count', async () => {
    expect(await service.listFrameworks()).toEqual([
      {
        slug: 'ai-digital-healthcare',
        title: bundled.data.title,
        version: 1,
        statementCount: bundled.data.statements.length,
      },
    ]);
  });

  it('stores changed content as a new version and keeps the earlier one readable', async () => {
    const v2 = changed(bundled, 'I can describe a changed statement for the version test.');
    expect(await service.syncBundledContent([v2])).toEqual([
      { slug: 'ai-digital-healthcare', version: 2, created: true },
    ]);
    const latest = await service.getFramework('ai-digital-healthcare');
    const first = await service.getFramework('ai-digital-healthcare', 1);
    expect(latest.version).toBe(2);
    expect(latest.data.statements[0]?.text).toBe(
      'I can describe a changed statement for the version test.',
    );
    expect(first.data.statements[0]?.text).toBe(bundled.data.statements[0]?.text);
    expect((await service.listVersions('ai-digital-healthcare')).map((v) => v.version)).toEqual([
      2, 1,
    ]);
    // Putting the original content back makes it the latest again, as version 3.
    expect(await service.syncBundledContent([bundled])).toEqual([
      { slug: 'ai-digital-healthcare', version: 3, created: true },
    ]);
    const restored = await service.getFramework('ai-digital-healthcare');
    expect(restored.version).toBe(3);
    expect(restored.data.statements[0]?.text).toBe(bundled.data.statements[0]?.text);
  });

  it('creates exactly one version when several loads race', async () => {
    const v3 = changed(bundled, 'I can describe the statement used by the race test.');
    const others = [0, 1, 2].map(() => createFrameworkService({ database, latestTtlMs: 0 }));
    const results = await Promise.all(others.map((s) => s.syncBundledContent([v3])));
    expect(results.flat().filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.flat().map((r) => r.version))).toEqual(new Set([4]));
    expect(await countRows('framework_versions')).toBe(4);
  });

  it('says plainly when a framework or version does not exist', async () => {
    await expect(service.getFramework('no-such-framework')).rejects.toThrow(NotFoundError);
    await expect(service.getFramework('ai-digital-healthcare', 99)).rejects.toThrow(
      'Framework ai-digital-healthcare has no version 99',
    );
  });

  it('searches with English stemming and marks the matches', async () => {
    const model = await service.getFramework('ai-digital-healthcare', 1);
    const { rows: hits, searchable } = await service.searchStatements(model, 'monitor');
    expect(searchable).toBe(true);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      const statement = model.statementsById.get(hit.id);
      expect(statement).toBeDefined();
      expect(hit.highlighted).toContain(HIGHLIGHT_START);
      expect(hit.highlighted.split(HIGHLIGHT_START).join('').split(HIGHLIGHT_END).join('')).toBe(
        statement?.text,
      );
    }
    // "monitor" matches "monitoring" through the stemmer.
    expect(hits.some((h) => /monitoring/i.test(h.highlighted))).toBe(true);
  });

  it('supports phrases and exclusions, and finds nothing for stop words or nonsense', async () => {
    const model = await service.getFramework('ai-digital-healthcare', 1);
    const { rows: all } = await service.searchStatements(model, 'data');
    const { rows: without } = await service.searchStatements(model, 'data -privacy');
    expect(without.length).toBeLessThan(all.length);
    expect(without.every((h) => !/privacy/i.test(h.highlighted))).toBe(true);
    expect(await service.searchStatements(model, 'the')).toEqual({ rows: [], searchable: false });
    expect(await service.searchStatements(model, 'zzzqqqxxy')).toEqual({
      rows: [],
      searchable: true,
    });
    expect(
      (await service.searchStatements(model, "'); drop table framework_statements; --")).rows,
    ).toEqual([]);
    expect(await countRows('framework_statements')).toBeGreaterThan(0);
  });
});
