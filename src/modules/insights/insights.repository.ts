/**
 * The insights module's data verbs. It reads other modules' tables through queries it owns
 * (people, memberships, assessments, answers, validation requests, invitations) and is the only
 * writer of its own tables. No business rules here: contribution.ts decides what counts, the
 * release function what may be shown.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { isUuid } from '../../platform/db/index.js';
import type { Contribution, CubeKey, Metrics } from './contribution.js';

/** Rows of a raw query on either engine (node-postgres and PGlite both answer `{ rows }`). */
async function rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute<T>(query);
  return (result as { rows: T[] }).rows;
}

/** A uuid[] parameter (ids are checked, so the literal cannot carry anything else). */
export function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) if (!isUuid(id)) throw new Error(`not a uuid: ${id}`);
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** A text[] parameter, each element quoted. */
export function textArray(values: readonly string[]): SQL {
  const quoted = values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return sql`${`{${quoted.join(',')}}`}::text[]`;
}

/** Fixed key for the insights worker's lock (one worker at a time across every instance). */
const WORKER_LOCK_KEY = 7_243_201;

export interface StoredContribution {
  personId: string;
  contribution: Contribution;
}

export interface CubeRow {
  scopeId: string;
  period: string;
  profession: string;
  setting: string;
  archetype: string;
  counts: number[];
}

/**
 * Which roll-up rows answer a filter: a filtered dimension at its value or '*', a breakdown
 * dimension at any value, every other dimension at '*'.
 */
function rollupPattern(
  filters: Partial<Record<'profession' | 'setting' | 'archetype', string>>,
  groupBy: readonly ('profession' | 'setting' | 'archetype')[],
): SQL {
  return sql.join(
    (['profession', 'setting', 'archetype'] as const).map((d) => {
      const column = sql.identifier(d);
      const value = filters[d];
      if (value !== undefined) return sql`${column} in (${value}, '*')`;
      if (groupBy.includes(d)) return sql`true`;
      return sql`${column} = '*'`;
    }),
    sql` and `,
  );
}

/** Cube rows matching a where clause, their counts parsed. */
async function readCube(db: Db, where: SQL): Promise<CubeRow[]> {
  const found = await rows<{
    scope_id: string;
    period: string;
    profession: string;
    setting: string;
    archetype: string;
    counts: number[] | string;
  }>(
    db,
    sql`select scope_id, period, profession, setting, archetype, counts::text as counts from insights_cube ${where}`,
  );
  return found.map((r) => ({
    scopeId: r.scope_id,
    period: r.period,
    profession: r.profession,
    setting: r.setting,
    archetype: r.archetype,
    counts: parseIntArray(r.counts),
  }));
}

export const insightsRepository = {
  /** Takes the worker lock for this transaction; false when another worker holds it. */
  async tryWorkerLock(tx: Db): Promise<boolean> {
    const [row] = await rows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${WORKER_LOCK_KEY}) as locked`,
    );
    return row?.locked === true;
  },

  /** Waits for the worker lock (account erasure must not be skipped). */
  async workerLock(tx: Db): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${WORKER_LOCK_KEY})`);
  },

  async nextQueued(tx: Db, limit: number): Promise<{ id: number; personId: string }[]> {
    const found = await rows<{ id: string | number; person_id: string }>(
      tx,
      sql`select id, person_id from insights_queue order by id limit ${limit}`,
    );
    return found.map((r) => ({ id: Number(r.id), personId: r.person_id }));
  },

  /** Everyone queued, each with the ids of their entries, in the order they were first queued. */
  async queuedByPerson(db: Db): Promise<{ personId: string; ids: number[] }[]> {
    const found = await rows<{ person_id: string; ids: (string | number)[] | string }>(
      db,
      sql`select person_id, array_agg(id order by id) as ids from insights_queue
          group by person_id order by min(id)`,
    );
    return found.map((r) => ({
      personId: r.person_id,
      ids: (Array.isArray(r.ids) ? r.ids : r.ids.replace(/^\{|\}$/g, '').split(',')).map(Number),
    }));
  },

  async dequeue(tx: Db, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.execute(
      sql`delete from insights_queue where id = any(${`{${ids.join(',')}}`}::bigint[])`,
    );
  },

  async enqueue(db: Db, personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    await db.execute(
      sql`insert into insights_queue (person_id) select unnest(${uuidArray(personIds)})`,
    );
  },

  async enqueueEveryMember(db: Db): Promise<void> {
    await db.execute(
      sql`insert into insights_queue (person_id) select distinct person_id from memberships`,
    );
  },

  async queueLength(db: Db): Promise<number> {
    const [row] = await rows<{ n: string | number }>(
      db,
      sql`select count(*) as n from insights_queue`,
    );
    return Number(row?.n ?? 0);
  },

  async storedContributions(tx: Db, personIds: readonly string[]) {
    const found = await rows<{ person_id: string; contribution: Contribution }>(
      tx,
      sql`select person_id, contribution from insights_people where person_id = any(${uuidArray(personIds)})`,
    );
    return new Map(found.map((r) => [r.person_id, r.contribution]));
  },

  /** Stores each person's new contribution (null: they count nowhere now, so the row goes). */
  async saveContributions(
    tx: Db,
    changes: readonly { personId: string; after: Contribution | null }[],
  ): Promise<void> {
    const gone = changes.filter((c) => c.after === null).map((c) => c.personId);
    if (gone.length > 0)
      await tx.execute(sql`delete from insights_people where person_id = any(${uuidArray(gone)})`);
    const kept = changes.flatMap(({ personId, after: c }) => {
      if (!c) return [];
      const scopes = [...c.rollupScopeIds, ...c.unitScopeIds];
      for (const id of [personId, ...scopes]) if (!isUuid(id)) throw new Error(`not a uuid: ${id}`);
      return [
        {
          person_id: personId,
          scope_ids: `{${scopes.join(',')}}`,
          profession: c.profession,
          setting: c.setting,
          archetype: c.archetype,
          contribution: c,
        },
      ];
    });
    const CHUNK = 5_000;
    for (let i = 0; i < kept.length; i += CHUNK) {
      await tx.execute(sql`
        insert into insights_people (person_id, scope_ids, profession, setting, archetype, contribution, updated_at)
        select x.person_id, x.scope_ids::uuid[], x.profession, x.setting, x.archetype, x.contribution, now()
        from jsonb_to_recordset(${JSON.stringify(kept.slice(i, i + CHUNK))}::jsonb)
          as x(person_id uuid, scope_ids text, profession text, setting text, archetype text, contribution jsonb)
        on conflict (person_id) do update set scope_ids = excluded.scope_ids,
          profession = excluded.profession, setting = excluded.setting,
          archetype = excluded.archetype, contribution = excluded.contribution, updated_at = now()`);
    }
  },

  /** Ids for metric names, registering any new ones (ids are positions in `counts`). */
  async metricIds(tx: Db, names: readonly string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (names.length === 0) return ids;
    await tx.execute(sql`
      insert into insights_metrics (name) select unnest(${textArray(names)})
      on conflict (name) do nothing`);
    const found = await rows<{ id: number; name: string }>(
      tx,
      sql`select id, name from insights_metrics where name = any(${textArray(names)})`,
    );
    for (const r of found) ids.set(r.name, r.id);
    return ids;
  },

  async allMetricIds(db: Db): Promise<Map<string, number>> {
    const found = await rows<{ id: number; name: string }>(
      db,
      sql`select id, name from insights_metrics`,
    );
    return new Map(found.map((r) => [r.name, r.id]));
  },

  /** Adds each row's changes to the cube (sorted keys, so concurrent writers cannot deadlock). */
  async applyDelta(
    tx: Db,
    delta: readonly { key: CubeKey; metrics: Metrics }[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    await insightsRepository.addToCube(
      tx,
      delta.map(({ key, metrics }) => {
        let length = 0;
        for (const name of Object.keys(metrics)) length = Math.max(length, ids.get(name) ?? 0);
        const counts = new Array<number>(length).fill(0);
        for (const [name, n] of Object.entries(metrics)) {
          const id = ids.get(name);
          if (id === undefined) throw new Error(`metric not registered: ${name}`);
          counts[id - 1] = n;
        }
        return { key, counts };
      }),
    );
  },

  /** Adds dense changes (counts[metric id − 1]) to the cube, rows in the order given. */
  async addToCube(
    tx: Db,
    rows: readonly { key: CubeKey; counts: readonly number[] }[],
  ): Promise<void> {
    const CHUNK = 5_000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const records = rows.slice(i, i + CHUNK).map(({ key, counts }) => ({
        scope_id: key.scopeId,
        period: key.period,
        profession: key.profession,
        setting: key.setting,
        archetype: key.archetype,
        counts: `{${counts.join(',')}}`,
      }));
      // 'people' and 'member' also go to their own columns (see insights.tables.ts).
      await tx.execute(sql`
        insert into insights_cube (scope_id, period, profession, setting, archetype, counts, people, members)
        select x.scope_id, x.period, x.profession, x.setting, x.archetype, x.counts::int[],
          coalesce((x.counts::int[])[m.people], 0), coalesce((x.counts::int[])[m.member], 0)
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
          as x(scope_id uuid, period text, profession text, setting text, archetype text, counts text),
          (select (select id from insights_metrics where name = 'people') as people,
                  (select id from insights_metrics where name = 'member') as member) m
        on conflict (scope_id, period, profession, setting, archetype) do update
        set counts = (
          select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
          from unnest(insights_cube.counts, excluded.counts) with ordinality as t(a, b, i)),
          people = insights_cube.people + excluded.people,
          members = insights_cube.members + excluded.members`);
    }
  },

  /** Sets every cube row's people/members columns from its counts; the rows it changed. */
  async repairSizeColumns(tx: Db): Promise<number> {
    const changed = await rows<{ n: number | string }>(
      tx,
      sql`with m as (
            select (select id from insights_metrics where name = 'people') as people,
                   (select id from insights_metrics where name = 'member') as member),
          fixed as (
            update insights_cube c set
              people = coalesce(c.counts[m.people], 0),
              members = coalesce(c.counts[m.member], 0)
            from m
            where c.people <> coalesce(c.counts[m.people], 0)
               or c.members <> coalesce(c.counts[m.member], 0)
            returning 1)
          select count(*) as n from fixed`,
    );
    return Number(changed[0]?.n ?? 0);
  },

  async markApplied(tx: Db): Promise<void> {
    await tx.execute(sql`
      insert into insights_state (id, applied_at) values (1, now())
      on conflict (id) do update set applied_at = now()`);
  },

  /**
   * When the oldest change still waiting for the worker was queued, if it has waited longer than
   * `seconds` (by the database's own clock): the figures do not include it yet.
   */
  async backlogSince(db: Db, seconds: number): Promise<Date | null> {
    const [row] = await rows<{ queued_at: Date | string }>(
      db,
      sql`select queued_at from (select queued_at from insights_queue order by id limit 1) q
          where queued_at < now() - make_interval(secs => ${seconds})`,
    );
    return row ? new Date(row.queued_at) : null;
  },

  /** On a streaming replica: when the last transaction it has replayed was committed. */
  async replayedAt(db: Db): Promise<Date | null> {
    const [row] = await rows<{ at: Date | string | null }>(
      db,
      sql`select pg_last_xact_replay_timestamp() as at`,
    );
    return row?.at ? new Date(row.at) : null;
  },

  async appliedAt(db: Db): Promise<Date | null> {
    const [row] = await rows<{ applied_at: Date | string }>(
      db,
      sql`select applied_at from insights_state where id = 1`,
    );
    return row ? new Date(row.applied_at) : null;
  },

  // Sources: what each person has done, read from the modules that own it.

  async profiles(tx: Db, personIds: readonly string[]) {
    return rows<{
      id: string;
      profession_code: string | null;
      work_setting_code: string | null;
      archetype_codes: string[] | null;
    }>(
      tx,
      sql`select id, profession_code, work_setting_code, archetype_codes from people where id = any(${uuidArray(personIds)})`,
    );
  },

  async membershipsWithAncestors(tx: Db, personIds: readonly string[]) {
    return rows<{ person_id: string; organisation_id: string; unit_ids: string[] | null }>(
      tx,
      sql`select m.person_id, m.organisation_id,
            array_remove(array_agg(c.ancestor_id order by c.depth), null) as unit_ids
          from memberships m left join unit_closure c on c.descendant_id = m.unit_id
          where m.person_id = any(${uuidArray(personIds)})
          group by m.id, m.person_id, m.organisation_id`,
    );
  },

  async assessments(tx: Db, personIds: readonly string[]) {
    return rows<{
      id: string;
      person_id: string;
      status: string;
      current_area_code: string | null;
      submitted_at: Date | string | null;
      results: unknown;
    }>(
      tx,
      sql`select id, person_id, status, current_area_code, submitted_at, results
          from assessments where person_id = any(${uuidArray(personIds)})`,
    );
  },

  async answers(tx: Db, assessmentIds: readonly string[]) {
    if (assessmentIds.length === 0) return [];
    return rows<{ assessment_id: string; statement_id: string; value: string }>(
      tx,
      sql`select assessment_id, statement_id, value from assessment_answers
          where assessment_id = any(${uuidArray(assessmentIds)})`,
    );
  },

  async validatedAreas(tx: Db, personIds: readonly string[]) {
    return rows<{ person_id: string; area_code: string }>(
      tx,
      sql`select distinct person_id, area_code from validation_requests
          where person_id = any(${uuidArray(personIds)}) and status = 'validated'`,
    );
  },

  // Reads for the views.

  /** Cube rows for these scopes and periods, optionally only some dimension values. */
  async cubeRows(
    db: Db,
    input: {
      scopeIds: readonly string[];
      periods: readonly string[];
      profession?: string | undefined;
      setting?: string | undefined;
      archetype?: string | undefined;
    },
  ): Promise<CubeRow[]> {
    const where: SQL[] = [
      sql`scope_id = any(${uuidArray(input.scopeIds)})`,
      sql`period = any(${textArray(input.periods)})`,
    ];
    if (input.profession !== undefined) where.push(sql`profession = ${input.profession}`);
    if (input.setting !== undefined) where.push(sql`setting = ${input.setting}`);
    if (input.archetype !== undefined) where.push(sql`archetype = ${input.archetype}`);
    return readCube(db, sql`where ${sql.join(where, sql` and `)}`);
  },

  /**
   * Every cube row a view needs: for unit scopes all their rows; for roll-up scopes (the nation,
   * organisations) only the rows of the filter's patterns (a filtered dimension at its value or
   * '*', a breakdown dimension at any value, 'now' only, others '*'), so a national page reads a
   * few hundred rows, not every combination.
   */
  async viewRows(
    db: Db,
    input: {
      unitScopeIds: readonly string[];
      rollupScopeIds: readonly string[];
      filters: Partial<Record<'profession' | 'setting' | 'archetype', string>>;
      groupBy: readonly ('profession' | 'setting' | 'archetype')[];
    },
  ): Promise<CubeRow[]> {
    const queries: SQL[] = [];
    if (input.unitScopeIds.length > 0)
      queries.push(sql`where scope_id = any(${uuidArray(input.unitScopeIds)})`);
    if (input.rollupScopeIds.length > 0) {
      const pattern = (withGroups: boolean) =>
        rollupPattern(input.filters, withGroups ? input.groupBy : []);
      const scopes = uuidArray(input.rollupScopeIds);
      queries.push(sql`where scope_id = any(${scopes}) and period = 'now' and ${pattern(true)}`);
      queries.push(sql`where scope_id = any(${scopes}) and period <> 'now' and ${pattern(false)}`);
    }
    const out: CubeRow[] = [];
    for (const where of queries) out.push(...(await readCube(db, where)));
    return out;
  },

  /**
   * Sizes over a whole unit tree (the sum-of-parts rule of the release function): for each of these units, the
   * people and members (from the cube's plain columns) summed over the dimensions the filter
   * leaves open, every
   * period (`all`); and, for breakdown dimensions, today's at each of their values (`grouped`).
   * Rows come back with a dimension summed over marked '~', so a CubeSlice over them answers the
   * same questions as over the full rows.
   */
  async unitSizeRows(
    db: Db,
    input: {
      unitIds: readonly string[];
      filters: Partial<Record<'profession' | 'setting' | 'archetype', string>>;
      /** Where the sums go in each row's counts: the registered ids of 'people' and 'member'. */
      peopleId: number | undefined;
      memberId: number | undefined;
      groupBy: readonly ('profession' | 'setting' | 'archetype')[];
    },
  ): Promise<{ all: CubeRow[]; grouped: CubeRow[] }> {
    const placed = [input.peopleId, input.memberId];
    if (input.unitIds.length === 0 || placed.every((id) => id === undefined))
      return { all: [], grouped: [] };
    const dims = ['profession', 'setting', 'archetype'] as const;
    const where = [
      sql`scope_id = any(${uuidArray(input.unitIds)})`,
      ...dims.flatMap((d) => {
        const value = input.filters[d];
        return value === undefined ? [] : [sql`${sql.identifier(d)} = ${value}`];
      }),
    ];
    const sums = sql`sum(people)::int, sum(members)::int`;
    const length = Math.max(...placed.map((id) => id ?? 0));
    const query = async (grouped: readonly string[], period: SQL | undefined) => {
      const kept = dims.filter((d) => grouped.includes(d));
      const found = await rows<{
        scope_id: string;
        period: string;
        profession?: string;
        setting?: string;
        archetype?: string;
        picked: number[] | string;
      }>(
        db,
        sql`select scope_id, period, ${sql.join(
          [...kept.map((d) => sql.identifier(d)), sql`array[${sums}] as picked`],
          sql`, `,
        )}
            from insights_cube where ${sql.join([...where, ...(period ? [period] : [])], sql` and `)}
            group by ${sql.join([sql`scope_id`, sql`period`, ...kept.map((d) => sql.identifier(d))], sql`, `)}`,
      );
      return found.map((r): CubeRow => {
        const picked = parseIntArray(r.picked);
        const counts = new Array<number>(length).fill(0);
        placed.forEach((id, i) => {
          if (id !== undefined) counts[id - 1] = picked[i] ?? 0;
        });
        const dim = (d: (typeof dims)[number]) => input.filters[d] ?? r[d] ?? '~';
        return {
          scopeId: r.scope_id,
          period: r.period,
          profession: dim('profession'),
          setting: dim('setting'),
          archetype: dim('archetype'),
          counts,
        };
      });
    };
    const [all, grouped] = await Promise.all([
      query([], undefined),
      input.groupBy.length > 0 ? query(input.groupBy, sql`period = 'now'`) : Promise.resolve([]),
    ]);
    return { all, grouped };
  },

  /**
   * Roll-up rows of these scopes at the filter's pattern, every period, holding only the people
   * and member counts (at their ids, the rest 0): the sizes a total is checked against.
   */
  async sizeRows(
    db: Db,
    input: {
      scopeIds: readonly string[];
      filters: Partial<Record<'profession' | 'setting' | 'archetype', string>>;
      /** Where the sizes go in each row's counts: the registered ids of 'people' and 'member'. */
      peopleId: number | undefined;
      memberId: number | undefined;
      /** Breakdown dimensions: today's sizes at each of their values too. */
      groupBy?: readonly ('profession' | 'setting' | 'archetype')[];
    },
  ): Promise<CubeRow[]> {
    const placed = [input.peopleId, input.memberId];
    if (input.scopeIds.length === 0 || placed.every((id) => id === undefined)) return [];
    const patternOf = (withGroups: boolean) =>
      rollupPattern(input.filters, withGroups ? (input.groupBy ?? []) : []);
    const pattern = (input.groupBy ?? []).length
      ? sql`((period = 'now' and ${patternOf(true)}) or (${patternOf(false)}))`
      : patternOf(false);
    // The plain columns: no row's array is opened.
    const found = await rows<{
      scope_id: string;
      period: string;
      profession: string;
      setting: string;
      archetype: string;
      people: number | string;
      members: number | string;
    }>(
      db,
      sql`select scope_id, period, profession, setting, archetype, people, members
          from insights_cube
          where scope_id = any(${uuidArray(input.scopeIds)}) and ${pattern}`,
    );
    const length = Math.max(...placed.map((id) => id ?? 0));
    return found.map((r) => {
      const counts = new Array<number>(length).fill(0);
      if (input.peopleId !== undefined) counts[input.peopleId - 1] = Number(r.people);
      if (input.memberId !== undefined) counts[input.memberId - 1] = Number(r.members);
      return {
        scopeId: r.scope_id,
        period: r.period,
        profession: r.profession,
        setting: r.setting,
        archetype: r.archetype,
        counts,
      };
    });
  },

  /** Invitations not yet accepted, revoked or expired, per unit (null: no unit). */
  async openInvitations(
    db: Db,
    input: { organisationIds: readonly string[]; unitId?: string; profession?: string },
  ) {
    const where: SQL[] = [
      sql`i.organisation_id = any(${uuidArray(input.organisationIds)})`,
      sql`i.accepted_at is null and i.revoked_at is null and i.expires_at > now()`,
    ];
    if (input.unitId)
      where.push(
        sql`i.unit_id in (select descendant_id from unit_closure where ancestor_id = ${input.unitId})`,
      );
    if (input.profession !== undefined)
      where.push(sql`coalesce(i.profession_code, '') = ${input.profession}`);
    const [row] = await rows<{ n: string | number }>(
      db,
      sql`select count(*) as n from invitations i where ${sql.join(where, sql` and `)}`,
    );
    return Number(row?.n ?? 0);
  },

  async allOpenInvitations(db: Db, profession?: string) {
    const where: SQL[] = [sql`accepted_at is null and revoked_at is null and expires_at > now()`];
    if (profession !== undefined) where.push(sql`coalesce(profession_code, '') = ${profession}`);
    const [row] = await rows<{ n: string | number }>(
      db,
      sql`select count(*) as n from invitations where ${sql.join(where, sql` and `)}`,
    );
    return Number(row?.n ?? 0);
  },

  async childUnits(db: Db, organisationId: string, parentId: string | null) {
    return rows<{ id: string; name: string }>(
      db,
      parentId
        ? sql`select id, name from units where parent_id = ${parentId} order by lower(name)`
        : sql`select id, name from units where organisation_id = ${organisationId} and parent_id is null order by lower(name)`,
    );
  },
};

/**
 * int[] from either engine. The views read counts as text (`counts::text`): a page may read tens
 * of thousands of rows of a few hundred counts each, and this loop is several times faster than
 * the drivers' general array parsers. An array already parsed is taken as it is.
 */
function parseIntArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const out: number[] = [];
  let n = 0;
  let negative = false;
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      started = true;
    } else if (c === 44 || c === 125) {
      // ',' or '}' ends an element; NULL (no digits) counts as 0.
      if (started || c === 44) out.push(negative ? -n : n);
      n = 0;
      negative = false;
      started = false;
    } else if (c === 45) {
      negative = true;
      started = true;
    } else if (c !== 123 && c !== 32) started = true;
  }
  return out;
}

/** Agreements to share an organisation's aggregate insights with a system-level organisation. */
export const insightsSharesRepository = {
  /** Open shares from an organisation, with the receiving organisation's name. */
  async openFrom(db: Db, organisationId: string) {
    return rows<{
      id: string;
      shared_with_organisation_id: string;
      name: string;
      created_at: Date | string;
    }>(
      db,
      sql`select s.id, s.shared_with_organisation_id, o.name, s.created_at
          from insights_shares s join organisations o on o.id = s.shared_with_organisation_id
          where s.organisation_id = ${organisationId} and s.withdrawn_at is null
          order by lower(o.name)`,
    );
  },

  /** Organisations sharing with this one now (id and name). */
  async openTo(db: Db, organisationId: string) {
    return rows<{ organisation_id: string; name: string }>(
      db,
      sql`select s.organisation_id, o.name
          from insights_shares s join organisations o on o.id = s.organisation_id
          where s.shared_with_organisation_id = ${organisationId} and s.withdrawn_at is null
          order by lower(o.name)`,
    );
  },

  /** For each organisation given, every organisation sharing with the same receivers. */
  async openToAny(db: Db, receiverIds: readonly string[]) {
    if (receiverIds.length === 0) return [];
    return rows<{ shared_with_organisation_id: string; organisation_id: string }>(
      db,
      sql`select shared_with_organisation_id, organisation_id from insights_shares
          where shared_with_organisation_id = any(${uuidArray(receiverIds)}) and withdrawn_at is null`,
    );
  },

  async insert(
    db: Db,
    input: { organisationId: string; sharedWithOrganisationId: string; personId: string },
  ) {
    const [row] = await rows<{ id: string }>(
      db,
      sql`insert into insights_shares (organisation_id, shared_with_organisation_id, created_by_person_id)
          values (${input.organisationId}, ${input.sharedWithOrganisationId}, ${input.personId})
          on conflict do nothing returning id`,
    );
    return row?.id;
  },

  async withdraw(db: Db, input: { id: string; organisationId: string; personId: string }) {
    const [row] = await rows<{ shared_with_organisation_id: string }>(
      db,
      sql`update insights_shares set withdrawn_at = now(), withdrawn_by_person_id = ${input.personId}
          where id = ${input.id} and organisation_id = ${input.organisationId} and withdrawn_at is null
          returning shared_with_organisation_id`,
    );
    return row?.shared_with_organisation_id;
  },
};
