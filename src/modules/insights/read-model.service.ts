/**
 * Keeps the insights read model up to date. Database triggers queue a person whenever something
 * that can move their figures changes (a membership, an assessment, a validation, the profile);
 * `processQueue` recomputes those people's contributions from what they have done, applies
 * "new minus old" to the counts and stores the new contribution, all in one transaction under
 * a lock that lets only one worker run at a time across every instance. `erasePerson` takes a
 * deleted account's figures away inside the deletion's own transaction.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Db } from '../../platform/db/index.js';
import { parseResultsSnapshot } from '../assessment/index.js';
import type { FrameworkService } from '../framework/index.js';
import {
  ALL,
  type Contribution,
  contributionOf,
  type CubeKey,
  cubeDelta,
  type Metrics,
  type PersonSources,
  type SubmittedSource,
} from './contribution.js';
import { insightsRepository as repo } from './insights.repository.js';

/** One accumulated cube row: its key and the sum of changes by metric (CubeSums' indices). */
interface SummedRow {
  key: CubeKey;
  values: number[];
}

/**
 * Cube changes summed for the bulk path: the same rows and sums as cubeDelta (contribution.ts)
 * gives for the same changes, held as arrays indexed by metric, scope by scope, so that thousands
 * of people can be added cheaply and rows written only once they are complete. Each
 * contribution's periods go to its roll-up scopes in all 8 combinations of keeping or rolling up
 * each dimension ('*'), and to its unit scopes with its own dimension values.
 */
export class CubeSums {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** scope → period → "profession|setting|archetype" → row */
  private readonly scopes = new Map<string, Map<string, Map<string, SummedRow>>>();

  add(changes: readonly { before: Contribution | null; after: Contribution | null }[]): void {
    for (const { before, after } of changes) {
      if (before) this.expand(before, -1);
      if (after) this.expand(after, 1);
    }
  }

  /** Scopes holding rows not yet taken. */
  scopeIds(): string[] {
    return [...this.scopes.keys()];
  }

  /**
   * Removes and returns the rows of these scopes whose changes are not all 0, sorted by key (as
   * cubeDelta's), each with its non-zero changes by metric name.
   */
  take(scopeIds: Iterable<string>): { key: CubeKey; changes: [name: string, n: number][] }[] {
    const out: { key: CubeKey; text: string; changes: [string, number][] }[] = [];
    for (const scopeId of scopeIds) {
      const periods = this.scopes.get(scopeId);
      if (!periods) continue;
      this.scopes.delete(scopeId);
      for (const rows of periods.values())
        for (const row of rows.values()) {
          const changes: [string, number][] = [];
          row.values.forEach((n, i) => {
            if (n !== 0) changes.push([this.names[i] ?? '', n]);
          });
          if (changes.length === 0) continue;
          const k = row.key;
          const text = `${k.scopeId}|${k.period}|${k.profession}|${k.setting}|${k.archetype}`;
          out.push({ key: k, text, changes });
        }
    }
    return out
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map(({ key, changes }) => ({ key, changes }));
  }

  private expand(c: Contribution, sign: 1 | -1): void {
    const { profession, setting, archetype } = c;
    // The 8 roll-up combinations (bit 1: profession '*', 2: setting, 4: archetype), the full
    // combination (mask 0) being the unit scopes' one.
    const dims: { text: string; profession: string; setting: string; archetype: string }[] = [];
    for (let mask = 0; mask < 8; mask++) {
      const d = {
        profession: mask & 1 ? ALL : profession,
        setting: mask & 2 ? ALL : setting,
        archetype: mask & 4 ? ALL : archetype,
      };
      dims.push({ text: `${d.profession}|${d.setting}|${d.archetype}`, ...d });
    }
    for (const [period, metrics] of Object.entries(c.periods)) {
      const idx: number[] = [];
      const values: number[] = [];
      for (const [name, n] of Object.entries(metrics)) {
        let i = this.index.get(name);
        if (i === undefined) {
          i = this.names.push(name) - 1;
          this.index.set(name, i);
        }
        idx.push(i);
        values.push(sign * n);
      }
      for (const scopeId of c.rollupScopeIds)
        for (const d of dims) this.addTo(scopeId, period, d, idx, values);
      const own = dims[0];
      if (own) for (const scopeId of c.unitScopeIds) this.addTo(scopeId, period, own, idx, values);
    }
  }

  private addTo(
    scopeId: string,
    period: string,
    d: { text: string; profession: string; setting: string; archetype: string },
    idx: readonly number[],
    values: readonly number[],
  ): void {
    let periods = this.scopes.get(scopeId);
    if (!periods) this.scopes.set(scopeId, (periods = new Map<string, Map<string, SummedRow>>()));
    let rows = periods.get(period);
    if (!rows) periods.set(period, (rows = new Map<string, SummedRow>()));
    let row = rows.get(d.text);
    if (!row) {
      const { profession, setting, archetype } = d;
      rows.set(
        d.text,
        (row = { key: { scopeId, period, profession, setting, archetype }, values: [] }),
      );
    }
    const into = row.values;
    for (let i = 0; i < idx.length; i++) {
      const at = idx[i] ?? 0;
      into[at] = (into[at] ?? 0) + (values[i] ?? 0);
    }
  }
}

/** True when CubeSums gives exactly cubeDelta's rows for these changes (the bulk path checks). */
export function sumsMatchCubeDelta(
  changes: readonly { before: Contribution | null; after: Contribution | null }[],
): boolean {
  const sums = new CubeSums();
  sums.add(changes);
  const bulk = sums.take(sums.scopeIds());
  const reference = cubeDelta(changes);
  return (
    bulk.length === reference.length &&
    bulk.every((row, i) => {
      const ref: { key: CubeKey; metrics: Metrics } | undefined = reference[i];
      if (!ref) return false;
      const k = ref.key;
      return (
        row.key.scopeId === k.scopeId &&
        row.key.period === k.period &&
        row.key.profession === k.profession &&
        row.key.setting === k.setting &&
        row.key.archetype === k.archetype &&
        Object.keys(ref.metrics).length === row.changes.length &&
        row.changes.every(([name, n]) => ref.metrics[name] === n)
      );
    })
  );
}

export interface ReadModelDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework' | 'listFrameworks' | 'listVersions'>;
  logger?: Pick<FastifyBaseLogger, 'error' | 'info'>;
}

export interface ProcessOutcome {
  /** People whose contribution was recomputed. */
  people: number;
  /** False when another worker held the lock (it will empty the queue). */
  ran: boolean;
}

export function createReadModel(deps: ReadModelDeps) {
  const { database, frameworks } = deps;

  /**
   * Each framework version's statements (versions never change, so they are kept). Loaded
   * before a transaction starts: on PGlite, the one connection belongs to the transaction.
   */
  const statementMaps = new Map<string, PersonSources['statements']>();
  async function loadStatementMaps(): Promise<void> {
    for (const framework of await frameworks.listFrameworks()) {
      for (const version of await frameworks.listVersions(framework.slug)) {
        const key = `${framework.slug}@${String(version.version)}`;
        if (statementMaps.has(key)) continue;
        const model = await frameworks.getFramework(framework.slug, version.version);
        statementMaps.set(
          key,
          new Map(
            [...model.statementsById.values()].map((s) => [
              s.id,
              { areaCode: s.areaCode, level: s.level },
            ]),
          ),
        );
      }
    }
  }

  /** What each person has done, from the modules that own it; null for a person who is gone. */
  async function loadSources(
    tx: Db,
    personIds: readonly string[],
  ): Promise<Map<string, PersonSources | null>> {
    const [profiles, memberships, assessments, validated] = await Promise.all([
      repo.profiles(tx, personIds),
      repo.membershipsWithAncestors(tx, personIds),
      repo.assessments(tx, personIds),
      repo.validatedAreas(tx, personIds),
    ]);
    const out = new Map<string, PersonSources | null>(personIds.map((id) => [id, null]));
    const latestIds = new Map<string, string>();
    const byPerson = new Map<string, PersonSources>();
    for (const p of profiles) {
      byPerson.set(p.id, {
        profile: {
          professionCode: p.profession_code,
          workSettingCode: p.work_setting_code,
          archetypeCodes: p.archetype_codes ?? [],
        },
        memberships: [],
        inProgress: null,
        submitted: [],
        latestAnswers: new Map(),
        statements: new Map(),
        validatedAreaCodes: new Set(),
      });
    }
    for (const m of memberships) {
      byPerson.get(m.person_id)?.memberships.push({
        organisationId: m.organisation_id,
        unitAndAncestorIds: m.unit_ids ?? [],
      });
    }
    const latest = new Map<string, { id: string; source: SubmittedSource }>();
    for (const a of assessments) {
      const person = byPerson.get(a.person_id);
      if (!person) continue;
      if (a.status === 'in_progress') {
        person.inProgress = { currentAreaCode: a.current_area_code };
        continue;
      }
      if (a.status !== 'submitted' || !a.submitted_at) continue;
      const source = {
        submittedAt: new Date(a.submitted_at),
        results: parseResultsSnapshot(a.results),
      };
      person.submitted.push(source);
      const best = latest.get(a.person_id);
      if (!best || best.source.submittedAt < source.submittedAt)
        latest.set(a.person_id, { id: a.id, source });
    }
    for (const [personId, { id }] of latest) latestIds.set(id, personId);
    const answers = await repo.answers(tx, [...latestIds.keys()]);
    for (const row of answers) {
      const personId = latestIds.get(row.assessment_id);
      const person = personId ? byPerson.get(personId) : undefined;
      (person?.latestAnswers as Map<string, string> | undefined)?.set(row.statement_id, row.value);
    }
    for (const [personId, { source }] of latest) {
      const person = byPerson.get(personId);
      if (!person) continue;
      const key = `${source.results.frameworkSlug}@${String(source.results.frameworkVersion)}`;
      const statements = statementMaps.get(key);
      if (!statements) throw new Error(`framework version ${key} is not loaded`);
      person.statements = statements;
    }
    for (const v of validated) {
      (byPerson.get(v.person_id)?.validatedAreaCodes as Set<string> | undefined)?.add(v.area_code);
    }
    for (const [id, sources] of byPerson) out.set(id, sources);
    return out;
  }

  /** Recomputes these people's contributions and applies the difference, in `tx`. */
  async function recompute(tx: Db, personIds: readonly string[]): Promise<void> {
    const unique = [...new Set(personIds)];
    const [before, sources] = await Promise.all([
      repo.storedContributions(tx, unique),
      loadSources(tx, unique),
    ]);
    const changes: { personId: string; before: Contribution | null; after: Contribution | null }[] =
      unique.map((personId) => ({
        personId,
        before: before.get(personId) ?? null,
        after: contributionOf(sources.get(personId) ?? null),
      }));
    await applyChanges(tx, changes);
  }

  /** Writes summed rows (dense counts by metric id); true when there were any. */
  async function writeSums(
    tx: Db,
    rows: readonly { key: CubeKey; changes: [string, number][] }[],
  ): Promise<boolean> {
    if (rows.length === 0) return false;
    const names = new Set<string>();
    for (const row of rows) for (const [name] of row.changes) names.add(name);
    const ids = await repo.metricIds(tx, [...names].sort());
    await repo.addToCube(
      tx,
      rows.map((row) => {
        let length = 0;
        const rowIds = row.changes.map(([name]) => {
          const id = ids.get(name);
          if (id === undefined) throw new Error(`metric not registered: ${name}`);
          length = Math.max(length, id);
          return id;
        });
        const counts = new Array<number>(length).fill(0);
        row.changes.forEach(([, n], i) => (counts[(rowIds[i] ?? 0) - 1] = n));
        return { key: row.key, counts };
      }),
    );
    return true;
  }

  async function applyChanges(
    tx: Db,
    changes: { personId: string; before: Contribution | null; after: Contribution | null }[],
  ): Promise<void> {
    const delta = cubeDelta(changes);
    const names = new Set<string>();
    for (const row of delta) for (const name of Object.keys(row.metrics)) names.add(name);
    const ids = await repo.metricIds(tx, [...names].sort());
    await repo.applyDelta(tx, delta, ids);
    await repo.saveContributions(
      tx,
      changes.filter((c) => c.before !== null || c.after !== null),
    );
    if (delta.length > 0) await repo.markApplied(tx);
  }

  return {
    /**
     * Empties the queue, `batch` people per transaction, for at most `maxRounds` transactions.
     * Returns at once (ran: false) when another worker holds the lock.
     */
    async processQueue(
      options: { batch?: number; maxRounds?: number } = {},
    ): Promise<ProcessOutcome> {
      const batch = options.batch ?? 200;
      const maxRounds = options.maxRounds ?? 50;
      let people = 0;
      await loadStatementMaps();
      for (let round = 0; round < maxRounds; round++) {
        const outcome = await database.transaction(async (tx) => {
          if (!(await repo.tryWorkerLock(tx))) return { ran: false, people: 0, more: false };
          const queued = await repo.nextQueued(tx, batch);
          if (queued.length === 0) return { ran: true, people: 0, more: false };
          const personIds = [...new Set(queued.map((q) => q.personId))];
          await recompute(tx, personIds);
          await repo.dequeue(
            tx,
            queued.map((q) => q.id),
          );
          return { ran: true, people: personIds.length, more: queued.length === batch };
        });
        if (!outcome.ran) return { ran: round > 0, people };
        people += outcome.people;
        if (!outcome.more) break;
      }
      return { ran: true, people };
    },

    /**
     * The bulk path (a new installation, a bulk load, or a rebuild after queueEveryone): every
     * person queued when it starts is recomputed once, however many entries they have, in one
     * transaction under the worker lock (all or nothing; processQueue in other instances skips
     * meanwhile, and an account erasure waits). People are read and recomputed `batch` at a
     * time, in the order they were first queued (an organisation's people together), exactly as
     * processQueue does, but their changes are summed in memory (CubeSums, checked against
     * cubeDelta on the first batch) and each scope's rows written once no later batch has
     * touched it, the nation's at the end, so that a row is written about once instead of once
     * per batch. The entries read are removed; anything queued later is left for processQueue.
     */
    /**
     * Puts the cube's people/members columns back in step with its counts (after an older
     * version's worker wrote rows without them), under the worker lock. Returns the rows fixed.
     */
    async repairSizeColumns(): Promise<number> {
      return database.transaction(async (tx) => {
        await repo.workerLock(tx);
        return repo.repairSizeColumns(tx);
      });
    },

    async rebuild(
      options: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
    ): Promise<{ people: number }> {
      const batch = options.batch ?? 5_000;
      await loadStatementMaps();
      return database.transaction(async (tx) => {
        await repo.workerLock(tx);
        const queued = await repo.queuedByPerson(tx);
        // On PostgreSQL the next batch is read and recomputed on another connection while this
        // one writes (only the lock holder writes the read model, so what is committed there is
        // what this transaction sees; a change to someone's sources after the queue was read
        // queues them again). On PGlite the one connection belongs to this transaction.
        const reader = database.kind === 'postgres' ? database.db : tx;
        const prepare = async (from: number) => {
          const chunk = queued.slice(from, from + batch);
          const personIds = chunk.map((q) => q.personId);
          const [before, sources] = await Promise.all([
            repo.storedContributions(reader, personIds),
            loadSources(reader, personIds),
          ]);
          const changes: {
            personId: string;
            before: Contribution | null;
            after: Contribution | null;
          }[] = [];
          for (const [n, personId] of personIds.entries()) {
            // Let this transaction's writes go on meanwhile.
            if (n % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
            changes.push({
              personId,
              before: before.get(personId) ?? null,
              after: contributionOf(sources.get(personId) ?? null),
            });
          }
          return { chunk, changes };
        };
        const sums = new CubeSums();
        let wrote = false;
        let done = 0;
        let next = queued.length > 0 ? prepare(0) : undefined;
        for (let i = 0; next; i += batch) {
          const { chunk, changes } = await next;
          next = i + batch < queued.length ? prepare(i + batch) : undefined;
          // Not left unhandled if this batch's writes fail first (the transaction then fails).
          next?.catch(() => undefined);
          if (i === 0 && !sumsMatchCubeDelta(changes.slice(0, 500)))
            throw new Error('CubeSums no longer gives cubeDelta’s rows: bring it up to date');
          const earlier = new Set(sums.scopeIds());
          sums.add(changes);
          const touched = new Set<string>();
          for (const c of changes)
            for (const x of [c.before, c.after])
              if (x) for (const id of [...x.rollupScopeIds, ...x.unitScopeIds]) touched.add(id);
          // Scopes this batch did not touch are complete (an organisation's people come together).
          if (await writeSums(tx, sums.take([...earlier].filter((id) => !touched.has(id)))))
            wrote = true;
          await repo.saveContributions(
            tx,
            changes.filter((c) => c.before !== null || c.after !== null),
          );
          await repo.dequeue(
            tx,
            chunk.flatMap((q) => q.ids),
          );
          done += chunk.length;
          options.onProgress?.(done, queued.length);
        }
        if (await writeSums(tx, sums.take(sums.scopeIds()))) wrote = true;
        if (wrote) await repo.markApplied(tx);
        return { people: done };
      });
    },

    /** Takes an erased account's figures away, in the erasure's transaction (before the delete). */
    async erasePerson(personId: string, tx: Db): Promise<void> {
      await repo.workerLock(tx);
      const before = (await repo.storedContributions(tx, [personId])).get(personId) ?? null;
      await applyChanges(tx, [{ personId, before, after: null }]);
    },

    /** Queues everyone with a membership, so the read model is rebuilt from scratch by the worker. */
    async queueEveryone(tx?: Db): Promise<void> {
      await repo.enqueueEveryMember(tx ?? database.db);
    },

    queueLength: () => repo.queueLength(database.db),
  };
}

export type ReadModel = ReturnType<typeof createReadModel>;
