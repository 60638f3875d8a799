/** The assessment service on the real database (PGlite and PostgreSQL) with the bundled framework. */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePerson } from '../../../test/support/organisations.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { findRootDir } from '../../config.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { createProfileService } from '../accounts/index.js';
import {
  createFrameworkService,
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  loadFrameworkContent,
} from '../framework/index.js';
import { computeResults, statementsToAsk } from './assessment.plan.js';
import { AssessmentSubmittedError } from './assessment.policy.js';
import {
  AssessmentFieldError,
  AssessmentIncompleteError,
  type AssessmentService,
  createAssessmentService,
} from './assessment.service.js';
import { assessmentPool } from './engine/adaptive-engine.js';

let database: Database;
let service: AssessmentService;
let framework: FrameworkModel;
let clock = new Date('2026-11-25T09:00:00Z');
const audit = () => createAuditLog(database, () => clock);

beforeAll(async () => {
  database = await createTestDatabase();
  const frameworks = createFrameworkService({ database, latestTtlMs: 0 });
  const dir = path.join(findRootDir(), 'content', 'frameworks', DEFAULT_FRAMEWORK_SLUG);
  await frameworks.syncBundledContent([await loadFrameworkContent(dir)]);
  framework = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const profiles = createProfileService({ database, frameworks, audit: audit() });
  service = createAssessmentService({
    database,
    frameworks,
    profiles,
    audit: audit(),
    now: () => clock,
  });
});
afterAll(async () => {
  await database.close();
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await database.db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const answersIn = (assessmentId: string) =>
  rows<{ statement_id: string; value: string }>(
    sql`select statement_id, value from assessment_answers where assessment_id = ${assessmentId} order by statement_id`,
  );

/** Answers whatever the assessment asks next, area by area, until it is complete. */
async function answerUntilDone(
  personId: string,
  assessmentId: string,
  valueFor: (statementId: string) => string,
): Promise<string[]> {
  const asked: string[] = [];
  for (let guard = 0; guard < 500; guard += 1) {
    const ws = await service.workspace(personId, assessmentId);
    const areaCode = ws.plan.nextAreaCode;
    if (!areaCode) return asked;
    const ids = statementsToAsk(ws.pool, ws.assessment.mode, ws.answers, areaCode);
    expect(ids.length).toBeGreaterThan(0);
    asked.push(...ids);
    await service.recordAnswers(
      personId,
      assessmentId,
      areaCode,
      Object.fromEntries(ids.map((id) => [id, valueFor(id)])),
    );
  }
  throw new Error('the assessment never finished');
}

const usersPool = () => assessmentPool(framework.data, ['U']);

async function learner(name: string, archetypeCodes = ['U']) {
  const personId = await makePerson(database, name);
  await database.db.execute(
    sql`update people set profession_code = 'nurse', archetype_codes = ${`{${archetypeCodes.join(',')}}`}::text[] where id = ${personId}`,
  );
  return personId;
}

describe('starting an assessment', () => {
  it('starts a focused assessment, and continues it rather than starting a second', async () => {
    const personId = await learner('Sam Start');
    const first = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    expect(first.continued).toBe(false);
    expect(first.assessment).toMatchObject({
      personId,
      mode: 'focused',
      archetypeCodes: ['U'],
      status: 'in_progress',
      professionCode: 'nurse',
      frameworkSlug: DEFAULT_FRAMEWORK_SLUG,
      currentAreaCode: usersPool().areas[0]?.areaCode,
      results: null,
    });
    const second = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['C'],
    });
    expect(second).toMatchObject({ continued: true, assessment: { id: first.assessment.id } });
    expect((await service.getInProgress(personId))?.id).toBe(first.assessment.id);
    const events = await audit().listForPerson(personId);
    expect(events.filter((e) => e.action === 'assessment.started')).toHaveLength(1);
  });

  it('ends up with one assessment when two tabs start at once', async () => {
    const personId = await learner('Tess Tabs');
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        service.startAssessment(personId, { mode: 'focused', archetypeCodes: ['U'] }),
      ),
    );
    expect(new Set(results.map((r) => r.assessment.id)).size).toBe(1);
    expect(await service.listForOwner(personId)).toHaveLength(1);
  });

  it('orders archetypes as the framework does and refuses bad choices', async () => {
    const personId = await learner('Ola Order');
    await expect(
      service.startAssessment(personId, { mode: 'focused', archetypeCodes: [] }),
    ).rejects.toMatchObject({ errors: [{ field: 'archetypeCodes' }] });
    await expect(
      service.startAssessment(personId, { mode: 'quick', archetypeCodes: ['X'] }),
    ).rejects.toBeInstanceOf(AssessmentFieldError);
    expect(await service.getInProgress(personId)).toBeUndefined();
    const { assessment } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['U', 'E', 'U'],
    });
    expect(assessment.archetypeCodes).toEqual(['E', 'U']);
  });

  it('gives estimates from the number of statements', async () => {
    const estimates = await service.startEstimates(['U']);
    expect(estimates.full.statements).toBe(usersPool().size);
    expect(estimates.full.minutes).toBe(Math.ceil((usersPool().size * 20) / 60));
    expect(estimates.focused.statements).toBeLessThan(estimates.full.statements);
    expect(estimates.focused.minutes).toBeGreaterThan(0);
  });
});

describe('recording answers', () => {
  it('saves answers, remembers the area and changes an answer in place', async () => {
    const personId = await learner('Ann Answer');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const area = usersPool().areas[1];
    if (!area) throw new Error('pool too small');
    const [a, b] = area.statementIds;
    if (!a || !b) throw new Error('area too small');
    await service.recordAnswers(personId, assessment.id, area.areaCode, {
      [a]: '2',
      [b]: 'not-relevant',
    });
    clock = new Date(clock.getTime() + 60_000);
    await service.recordAnswers(personId, assessment.id, area.areaCode, { [a]: ' 3 ' });
    expect(await answersIn(assessment.id)).toEqual(
      [
        { statement_id: a, value: '3' },
        { statement_id: b, value: 'not-relevant' },
      ].sort((x, y) => x.statement_id.localeCompare(y.statement_id)),
    );
    expect((await service.getForOwner(personId, assessment.id)).currentAreaCode).toBe(
      area.areaCode,
    );
  });

  it('refuses tampered ids and malformed values, listing each, and writes nothing', async () => {
    const personId = await learner('Tom Tamper');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const pool = usersPool();
    const [first, second] = pool.areas;
    if (!first || !second) throw new Error('pool too small');
    const own = first.statementIds[0] ?? '';
    const otherArea = second.statementIds[0] ?? '';
    const outsidePool = framework.data.statements.find(
      (s) => s.areaCode === first.areaCode && !s.archetypes.includes('U'),
    );
    if (!outsidePool) throw new Error('every statement is for Users');
    const attempt = (answers: Record<string, string>) =>
      service.recordAnswers(personId, assessment.id, first.areaCode, answers);

    const error = await attempt({
      [own]: '2',
      [otherArea]: '1',
      [outsidePool.id]: '1',
      'made-up': '0',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssessmentFieldError);
    expect((error as AssessmentFieldError).statusCode).toBe(422);
    expect((error as AssessmentFieldError).errors.map((e) => e.field).sort()).toEqual(
      [otherArea, outsidePool.id, 'made-up'].sort(),
    );
    for (const bad of ['4', '', '2.0', '02', 'yes', '-1']) {
      await expect(attempt({ [own]: bad })).rejects.toMatchObject({
        errors: [{ field: own, text: 'Choose one of the answers shown' }],
      });
    }
    await expect(
      service.recordAnswers(personId, assessment.id, 'no-such-area', { [own]: '1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await answersIn(assessment.id)).toEqual([]);
  });

  it("treats someone else's assessment, or a malformed id, as not found", async () => {
    const owner = await learner('Olive Owner');
    const other = await learner('Otto Other');
    const { assessment } = await service.startAssessment(owner, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const area = usersPool().areas[0];
    if (!area) throw new Error('pool too small');
    const answer = { [area.statementIds[0] ?? '']: '1' };
    await expect(
      service.recordAnswers(other, assessment.id, area.areaCode, answer),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getForOwner(other, assessment.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.workspace(other, assessment.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.submit(other, assessment.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getForOwner(owner, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
    expect(await answersIn(assessment.id)).toEqual([]);
  });

  it('keeps both answers when two tabs answer different statements at once', async () => {
    const personId = await learner('Tia Twotabs');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['U'],
    });
    const area = usersPool().areas[0];
    const ids = area?.statementIds.slice(0, 4) ?? [];
    expect(ids).toHaveLength(4);
    await Promise.all(
      ids.map((id, i) =>
        service.recordAnswers(personId, assessment.id, area?.areaCode ?? '', {
          [id]: String(i % 4),
        }),
      ),
    );
    expect((await answersIn(assessment.id)).map((r) => r.statement_id).sort()).toEqual(
      [...ids].sort(),
    );
  });
});

describe('answering until done', () => {
  it('focused mode asks only statements in the pool and settles every area', async () => {
    const personId = await learner('Fay Focused');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const pool = usersPool();
    const before = await service.workspace(personId, assessment.id);
    expect(before.plan).toMatchObject({ done: 0, total: pool.areas.length, complete: false });
    expect(before.plan.minutesLeft).toBeGreaterThan(0);
    const asked = await answerUntilDone(personId, assessment.id, () => '2');
    expect(asked.every((id) => pool.statements.has(id))).toBe(true);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeLessThan(pool.size);
    const after = await service.workspace(personId, assessment.id);
    expect(after.plan).toMatchObject({
      done: pool.areas.length,
      complete: true,
      nextAreaCode: undefined,
      minutesLeft: 0,
    });
    expect(after.plan.areas.every((a) => a.status === 'done')).toBe(true);
  });

  it('full mode asks every statement in the pool', async () => {
    const personId = await learner('Fred Full', ['E', 'U']);
    const { assessment } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['E', 'U'],
    });
    const pool = assessmentPool(framework.data, ['E', 'U']);
    const asked = await answerUntilDone(personId, assessment.id, () => '1');
    expect(asked.sort()).toEqual([...pool.statements.keys()].sort());
    expect((await service.workspace(personId, assessment.id)).plan.complete).toBe(true);
  });
});

describe('submitting', () => {
  it('refuses an unfinished assessment, then freezes the results of a finished one', async () => {
    const personId = await learner('Sue Submit');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['U'],
    });
    const pool = usersPool();
    await expect(service.submit(personId, assessment.id)).rejects.toBeInstanceOf(
      AssessmentIncompleteError,
    );
    // Level 1 met everywhere, nothing above; the first area not relevant at all.
    const firstArea = pool.areas[0]?.areaCode;
    const valueFor = (id: string) => {
      const where = pool.statements.get(id);
      if (where?.areaCode === firstArea) return 'not-relevant';
      return where?.level === 1 ? '2' : '0';
    };
    await answerUntilDone(personId, assessment.id, valueFor);
    clock = new Date('2026-11-26T10:00:00Z');
    const results = await service.submit(personId, assessment.id, '192.0.2.9');

    const stored = await service.getForOwner(personId, assessment.id);
    expect(stored.status).toBe('submitted');
    expect(stored.submittedAt?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(stored.results).toEqual(results);
    expect(results).toMatchObject({
      schemaVersion: 1,
      frameworkSlug: DEFAULT_FRAMEWORK_SLUG,
      frameworkVersion: framework.version,
      mode: 'full',
      archetypeCodes: ['U'],
      professionCode: 'nurse',
      submittedAt: '2026-11-26T10:00:00.000Z',
    });
    expect(results.areas.map((a) => a.areaCode)).toEqual(pool.areas.map((a) => a.areaCode));
    for (const area of results.areas) {
      const poolArea = pool.areas.find((a) => a.areaCode === area.areaCode);
      const hasLevel1 = (poolArea?.statementIdsByLevel[1].length ?? 0) > 0;
      const expectedLevel = area.areaCode === firstArea || !hasLevel1 ? 0 : 1;
      expect(area).toMatchObject({
        level: expectedLevel,
        targetLevel: poolArea?.targetLevel,
        shortfall: Math.max(0, (poolArea?.targetLevel ?? 0) - expectedLevel),
        poolSize: poolArea?.statementIds.length,
        answered: area.areaCode === firstArea ? 0 : poolArea?.statementIds.length,
        notRelevant: area.areaCode === firstArea ? poolArea?.statementIds.length : 0,
      });
      expect(area.areaName).toBe(framework.nodesByCode.get(area.areaCode)?.name);
    }
    // The same snapshot as the pure computation over the same answers.
    const answers = new Map(
      [...pool.statements.keys()].map((id) => [id, valueFor(id)] as const),
    ) as Map<string, never>;
    const parsed = new Map(
      [...answers].map(([id, v]) => [id, v === 'not-relevant' ? v : Number(v)] as const),
    ) as Parameters<typeof computeResults>[0]['answers'];
    expect(
      computeResults({
        framework,
        pool,
        mode: 'full',
        answers: parsed,
        archetypeCodes: ['U'],
        professionCode: 'nurse',
        workSettingCode: null,
        submittedAt: clock,
      }),
    ).toEqual(results);

    const events = await audit().listForPerson(personId);
    expect(events.find((e) => e.action === 'assessment.submitted')).toMatchObject({
      subjectId: assessment.id,
      ip: '192.0.2.9',
    });
  });

  it('keeps a submitted assessment read-only', async () => {
    const personId = await learner('Rita Readonly');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    await answerUntilDone(personId, assessment.id, () => '3');
    await service.submit(personId, assessment.id);
    const before = await answersIn(assessment.id);
    const area = usersPool().areas[0];
    await expect(
      service.recordAnswers(personId, assessment.id, area?.areaCode ?? '', {
        [area?.statementIds[0] ?? '']: '0',
      }),
    ).rejects.toBeInstanceOf(AssessmentSubmittedError);
    await expect(service.submit(personId, assessment.id)).rejects.toBeInstanceOf(
      AssessmentSubmittedError,
    );
    expect(await answersIn(assessment.id)).toEqual(before);
    expect(await service.getInProgress(personId)).toBeUndefined();
  });

  it('starts a new assessment from the previous answers still in the pool', async () => {
    const personId = await learner('Pip Previous', ['E', 'U']);
    const { assessment: first } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['E', 'U'],
    });
    await answerUntilDone(personId, first.id, () => '2');
    await service.submit(personId, first.id);
    const previous = await answersIn(first.id);

    clock = new Date(clock.getTime() + 86_400_000);
    // Users only now: answers to statements only Embedders have are not carried over.
    const { assessment: second, copied } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
      fromPrevious: true,
    });
    expect(second.basedOnAssessmentId).toBe(first.id);
    const pool = usersPool();
    const expected = previous.filter((a) => pool.statements.has(a.statement_id));
    expect(expected.length).toBeLessThan(previous.length);
    expect(copied).toBe(expected.length);
    expect(await answersIn(second.id)).toEqual(expected);
    // Everything was answered before, so reassessment is a review: nothing left to ask.
    expect((await service.workspace(personId, second.id)).plan.complete).toBe(true);

    const list = await service.listForOwner(personId);
    expect(list.map((a) => [a.id, a.status])).toEqual([
      [second.id, 'in_progress'],
      [first.id, 'submitted'],
    ]);
  });
});

describe('starting again', () => {
  it('deletes the in-progress assessment and its answers, keeping submitted ones, and audits it', async () => {
    const personId = await learner('Abe Abandon');
    const { assessment: first } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    await answerUntilDone(personId, first.id, () => '2');
    await service.submit(personId, first.id);
    const kept = await answersIn(first.id);

    const { assessment: second } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
      fromPrevious: true,
    });
    expect((await answersIn(second.id)).length).toBeGreaterThan(0);
    await service.abandon(personId, second.id, '192.0.2.4');

    expect(await service.getInProgress(personId)).toBeUndefined();
    expect(await answersIn(second.id)).toEqual([]);
    await expect(service.getForOwner(personId, second.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.listForOwner(personId)).map((a) => a.id)).toEqual([first.id]);
    expect(await answersIn(first.id)).toEqual(kept);
    const events = await audit().listForPerson(personId);
    expect(events.find((e) => e.action === 'assessment.abandoned')).toMatchObject({
      subjectType: 'assessment',
      subjectId: second.id,
      ip: '192.0.2.4',
      details: { mode: 'focused', archetypeCodes: ['U'], answersDeleted: kept.length },
    });

    // A fresh start with other choices.
    const { assessment: third, continued } = await service.startAssessment(personId, {
      mode: 'full',
      archetypeCodes: ['E'],
    });
    expect(continued).toBe(false);
    expect(third).toMatchObject({ mode: 'full', archetypeCodes: ['E'] });
  });

  it("refuses someone else's, a malformed id and a submitted one, changing nothing", async () => {
    const personId = await learner('Oona Owner');
    const other = await learner('Nosy Neighbour');
    const { assessment } = await service.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    await expect(service.abandon(other, assessment.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.abandon(personId, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.getInProgress(personId))?.id).toBe(assessment.id);

    await answerUntilDone(personId, assessment.id, () => '1');
    await service.submit(personId, assessment.id);
    const before = await answersIn(assessment.id);
    await expect(service.abandon(personId, assessment.id)).rejects.toBeInstanceOf(
      AssessmentSubmittedError,
    );
    expect((await service.getForOwner(personId, assessment.id)).status).toBe('submitted');
    expect(await answersIn(assessment.id)).toEqual(before);
    const events = await audit().listForPerson(personId);
    expect(events.some((e) => e.action === 'assessment.abandoned')).toBe(false);
  });
});
