/**
 * Test factories for development plan tests: learning resources written straight to the table
 * (obviously fake example.org addresses; never real courses), and a count of rows in a table.
 * Test code only: nothing in the app imports it.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, insertedRow } from '../../platform/db/index.js';
import { learningResources } from './learning.tables.js';

export interface ResourceFixture {
  title?: string;
  areaCodes?: string[];
  organisationId?: string | null;
  retired?: boolean;
  levels?: number[];
  format?: string;
  durationMinutes?: number | null;
  cost?: 'free' | 'paid' | 'unknown';
  summary?: string;
}

/** A learning resource at https://example.org/learning/<slug>; returns its id and title. */
export async function makeResource(
  database: Database,
  fixture: ResourceFixture = {},
): Promise<{ id: string; title: string }> {
  const slug = `test-${randomBytes(5).toString('hex')}`;
  const title = fixture.title ?? `Test resource ${slug}`;
  return insertedRow(
    await database.db
      .insert(learningResources)
      .values({
        slug,
        organisationId: fixture.organisationId ?? null,
        title,
        provider: 'Example Provider',
        url: `https://example.org/learning/${slug}`,
        format: fixture.format ?? 'e-learning',
        durationMinutes: fixture.durationMinutes === undefined ? 30 : fixture.durationMinutes,
        cost: fixture.cost ?? 'free',
        levels: fixture.levels ?? [1, 2],
        areaCodes: fixture.areaCodes ?? ['2.1'],
        archetypeCodes: ['U'],
        summary: fixture.summary ?? 'A made-up resource for tests.',
        curatedBy: 'tests',
        retiredAt: fixture.retired ? new Date() : null,
      })
      .returning({ id: learningResources.id, title: learningResources.title }),
  );
}

export type PlanTable =
  'plan_goals' | 'plan_goal_resources' | 'plan_reminders' | 'learning_resource_marks' | 'evidence';

/** Rows in one of the plan's tables, optionally where `column` = `value`. */
export async function countRows(
  database: Database,
  table: PlanTable,
  where?: { column: string; value: string },
): Promise<number> {
  const condition = where ? sql` where ${sql.identifier(where.column)} = ${where.value}` : sql``;
  const result = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.identifier(table)}${condition}`,
  );
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}
