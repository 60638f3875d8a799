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
  type Contribution,
  contributionOf,
  cubeDelta,
  type PersonSources,
  type SubmittedSource,
} from './contribution.js';
import { insightsRepository as repo } from './insights.repository.js';

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

  async function applyChanges(
    tx: Db,
    changes: { personId: string; before: Contribution | null; after: Contribution | null }[],
  ): Promise<void> {
    const delta = cubeDelta(changes);
    const names = new Set<string>();
    for (const row of delta) for (const name of Object.keys(row.metrics)) names.add(name);
    const ids = await repo.metricIds(tx, [...names].sort());
    await repo.applyDelta(tx, delta, ids);
    for (const c of changes) {
      if (c.before === null && c.after === null) continue;
      await repo.saveContribution(tx, c.personId, c.after);
    }
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
