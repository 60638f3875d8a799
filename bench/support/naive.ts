/**
 * The insights figures computed the plain way, for comparison with the read model: a GROUP BY
 * over the results snapshots (assessments.results, each person's latest submission) of the
 * people in the scope (memberships, units through the closure). The capability table (people,
 * each area's levels, with a target, meeting it), the member count and, for a breakdown, the
 * focus area's people, met and below per group.
 */
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../src/platform/db/index.js';

export type NaiveScope =
  | { kind: 'national' }
  | { kind: 'icb'; organisationId: string }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'unit'; unitId: string };

function scopeMembers(scope: NaiveScope): SQL {
  switch (scope.kind) {
    case 'national':
      return sql`select m.person_id, m.unit_id from memberships m`;
    case 'icb':
      return sql`select m.person_id, m.unit_id from memberships m
        where m.organisation_id in (select organisation_id from insights_shares
          where shared_with_organisation_id = ${scope.organisationId} and withdrawn_at is null)`;
    case 'organisation':
      return sql`select m.person_id, m.unit_id from memberships m where m.organisation_id = ${scope.organisationId}`;
    case 'unit':
      return sql`select m.person_id, m.unit_id from memberships m
        where m.unit_id in (select descendant_id from unit_closure where ancestor_id = ${scope.unitId})`;
  }
}

const latest = (scope: NaiveScope) => sql`
  scope as (${scopeMembers(scope)}),
  latest as (
    select distinct on (a.person_id) a.person_id, a.results
    from assessments a
    where a.status = 'submitted' and a.person_id in (select person_id from scope)
    order by a.person_id, a.submitted_at desc)`;

export function naiveQueries(
  scope: NaiveScope,
  by: 'profession' | 'unit' | undefined,
  options: { focusArea: string; childUnitIds: readonly string[] },
): SQL[] {
  const queries: SQL[] = [];
  queries.push(
    sql`with scope as (${scopeMembers(scope)}) select count(distinct person_id) as members from scope`,
  );
  queries.push(sql`with ${latest(scope)}
    select x->>'areaCode' as area, count(*) as people,
      count(*) filter (where (x->>'level')::int = 0) as l0,
      count(*) filter (where (x->>'level')::int = 1) as l1,
      count(*) filter (where (x->>'level')::int = 2) as l2,
      count(*) filter (where (x->>'level')::int = 3) as l3,
      count(*) filter (where (x->>'level')::int = 4) as l4,
      count(*) filter (where (x->>'targetLevel')::int > 0) as with_target,
      count(*) filter (where (x->>'targetLevel')::int > 0
        and (x->>'level')::int >= (x->>'targetLevel')::int) as met
    from latest l cross join lateral jsonb_array_elements(l.results->'areas') x
    group by 1 order by 1`);
  const focus = sql`
    count(*) as people,
    count(*) filter (where (x->>'targetLevel')::int > 0 and (x->>'level')::int >= (x->>'targetLevel')::int) as met,
    count(*) filter (where (x->>'targetLevel')::int > (x->>'level')::int) as below`;
  if (by === 'profession')
    queries.push(sql`with ${latest(scope)}
      select coalesce(p.profession_code, l.results->>'professionCode', '') as profession, ${focus}
      from latest l join people p on p.id = l.person_id
      cross join lateral jsonb_array_elements(l.results->'areas') x
      where x->>'areaCode' = ${options.focusArea}
      group by 1 order by 1`);
  if (by === 'unit' && options.childUnitIds.length > 0)
    queries.push(sql`with ${latest(scope)}
      select c.ancestor_id as unit, ${focus}
      from latest l
      join (select distinct person_id, unit_id from scope) s on s.person_id = l.person_id
      join unit_closure c on c.descendant_id = s.unit_id
        and c.ancestor_id = any(${`{${options.childUnitIds.join(',')}}`}::uuid[])
      cross join lateral jsonb_array_elements(l.results->'areas') x
      where x->>'areaCode' = ${options.focusArea}
      group by 1 order by 1`);
  return queries;
}

/** Milliseconds for each run of the queries (up to `runs`, stopping once `budgetMs` is spent). */
export async function timeNaive(
  db: Db,
  queries: readonly SQL[],
  runs: number,
  budgetMs: number,
): Promise<number[]> {
  const times: number[] = [];
  const begin = performance.now();
  for (let i = 0; i < runs && (i === 0 || performance.now() - begin < budgetMs); i++) {
    const start = performance.now();
    for (const q of queries) await db.execute(q);
    times.push(performance.now() - start);
  }
  return times;
}
