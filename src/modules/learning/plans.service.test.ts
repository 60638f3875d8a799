/**
 * The development plan service on PGlite and PostgreSQL: goals from gaps (prefilled from the
 * results) or from any area, the owner-only policy (everyone else, whatever their role, gets
 * "not found"), which resources may be added, and marking learning done, which writes the
 * resource's status, the "completed" mark and the reflection evidence in one transaction, or
 * nothing.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { NotFoundError } from '../../platform/errors.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import {
  evidence,
  learningResourceMarks,
  planGoalResources,
  planGoals,
} from './learning.tables.js';
import { addMonths, todayIn } from './plans.dates.js';
import { countRows, makeResource } from './plans.fixtures.js';
import {
  createPlansService,
  PlanFieldError,
  type PlansService,
  ResourceDoneError,
} from './plans.service.js';

let app: FastifyInstance;
let plans: PlansService;
let owner: string;
let stranger: string;
let manager: string;
let platformAdmin: string;
let orgId: string;
let otherOrgId: string;
let assessmentId: string;
let versionId: number;

beforeAll(async () => {
  app = await buildTestApp();
  const { services } = app;
  plans = services.plans;
  owner = await makePerson(services.database, 'Olive Owner');
  stranger = await makePerson(services.database, 'Sam Stranger');
  manager = await makePerson(services.database, 'Mo Manager');
  platformAdmin = await makePerson(services.database, 'Pat Platform', { platformAdmin: true });
  const org = await makeOrganisationWithAdmin(services, { platformAdminId: platformAdmin });
  const other = await makeOrganisationWithAdmin(services, { platformAdminId: platformAdmin });
  orgId = org.organisation.id;
  otherOrgId = other.organisation.id;
  await services.organisations.addMembership({
    organisationId: orgId,
    personId: owner,
    unitId: null,
    roles: ['member'],
  });
  await services.organisations.addMembership({
    organisationId: orgId,
    personId: manager,
    unitId: (
      await services.database.transaction((tx) =>
        services.organisations.ensureUnitPath(tx, orgId, ['Medicine']),
      )
    ).unitId,
    roles: ['line_manager', 'educator', 'admin'],
  });
  assessmentId = (await makeSubmittedAssessment(services, owner, { defaultLevel: 1 })).id;
  versionId = (await services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG)).versionInfo
    .versionId;
}, 120_000);
afterAll(async () => {
  await app.close();
});

const today = () => todayIn(new Date());

async function newGoal(personId = owner, areaCode = '2.1') {
  return (
    await plans.createGoal(personId, {
      areaCode,
      targetLevel: 2,
      targetDate: addMonths(today(), 2),
      notes: '',
      from: '',
      resource: '',
    })
  ).goalId;
}

describe('a goal from a gap', () => {
  it('prefills the area, their target for it and a date three months ahead', async () => {
    const context = await plans.newGoalContext(owner, { areaCode: '2.1', from: assessmentId });
    expect(context.defaults).toEqual({
      areaCode: '2.1',
      targetLevel: 2,
      targetDate: addMonths(today(), 3),
    });
    expect(context.from?.assessmentId).toBe(assessmentId);
    expect(context.areaResults.get('2.1')).toMatchObject({ level: 1, targetLevel: 2 });
    expect(context.areas).toHaveLength(16);
  });

  it('suggests the next level up for an area already at its target, and nothing without results', async () => {
    // Users' target for 1 is level 1, which they have.
    expect((await plans.newGoalContext(owner, { areaCode: '1' })).defaults.targetLevel).toBe(2);
    const context = await plans.newGoalContext(stranger, { areaCode: '2.1' });
    expect(context.defaults.targetLevel).toBeUndefined();
    expect(context.areaResults.size).toBe(0);
  });

  it('refuses someone else’s results as the source of a goal', async () => {
    await expect(
      plans.newGoalContext(stranger, { areaCode: '2.1', from: assessmentId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(plans.newGoalContext(owner, { from: 'not-an-id' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('stores the goal with its results’ framework version and the assessment it came from', async () => {
    const { goalId } = await plans.createGoal(owner, {
      areaCode: '2.1',
      targetLevel: 2,
      targetDate: addMonths(today(), 3),
      notes: 'Because it matters',
      from: assessmentId,
      resource: '',
    });
    const [row] = await app.services.database.db
      .select()
      .from(planGoals)
      .where(eq(planGoals.id, goalId));
    expect(row).toMatchObject({
      personId: owner,
      areaCode: '2.1',
      targetLevel: 2,
      status: 'not_started',
      notes: 'Because it matters',
      fromAssessmentId: assessmentId,
      frameworkVersionId: versionId,
    });
    const overview = await plans.overview(owner);
    expect(overview.goals.map((g) => g.goal.id)).toContain(goalId);
    expect(overview.latest?.gaps.find((g) => g.area.areaCode === '2.1')?.goalId).toBeDefined();
    expect(overview.latest?.gaps.find((g) => g.area.areaCode === '2.2')?.goalId).toBeUndefined();
  });

  it('refuses an area the framework does not have', async () => {
    await expect(
      plans.createGoal(owner, {
        areaCode: '9.9',
        targetLevel: 2,
        targetDate: addMonths(today(), 1),
        notes: '',
        from: '',
        resource: '',
      }),
    ).rejects.toBeInstanceOf(PlanFieldError);
  });
});

describe('only the owner', () => {
  it('gives everyone else “not found”, whatever their role, and changes nothing', async () => {
    const goalId = await newGoal();
    const resource = await makeResource(app.services.database);
    await plans.attachResource(owner, goalId, resource.id);
    for (const other of [stranger, manager, platformAdmin]) {
      const attempts: (() => Promise<unknown>)[] = [
        () => plans.goalPage(other, goalId),
        () => plans.editContext(other, goalId),
        () =>
          plans.updateGoal(other, goalId, {
            targetLevel: 4,
            targetDate: addMonths(today(), 1),
            status: 'done',
            notes: 'mine now',
          }),
        () => plans.removeGoal(other, goalId),
        () => plans.attachResource(other, goalId, resource.id),
        () => plans.detachResource(other, goalId, resource.id),
        () => plans.setResourceStatus(other, goalId, resource.id, 'in_progress'),
        () => plans.reflectionContext(other, goalId, resource.id),
        () => plans.completeResource(other, goalId, resource.id, { learned: 'x', use: 'y' }),
        () => plans.addResource(other, resource.id, { kind: 'goal', goalId }),
      ];
      for (const attempt of attempts) {
        const error: unknown = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        // addResource says "select a goal from the list": the goal is not theirs to choose.
        expect(error instanceof NotFoundError || error instanceof PlanFieldError).toBe(true);
      }
      expect((await plans.overview(other)).goals.map((g) => g.goal.id)).not.toContain(goalId);
    }
    const page = await plans.goalPage(owner, goalId);
    expect(page.view.goal).toMatchObject({ status: 'not_started', targetLevel: 2, notes: '' });
    expect(page.view.resources.map((r) => [r.resource.id, r.status])).toEqual([
      [resource.id, 'not_started'],
    ]);
  });

  it('treats malformed ids as not found', async () => {
    await expect(plans.goalPage(owner, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    const goalId = await newGoal();
    await expect(plans.reflectionContext(owner, goalId, 'nope')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('adding learning to a goal', () => {
  it('allows shared and own-organisation resources, not another organisation’s or retired ones', async () => {
    const { database } = app.services;
    const goalId = await newGoal();
    const shared = await makeResource(database, { title: 'Shared one' });
    const ours = await makeResource(database, { title: 'Ours', organisationId: orgId });
    const theirs = await makeResource(database, { title: 'Theirs', organisationId: otherOrgId });
    const retired = await makeResource(database, { title: 'Retired', retired: true });
    const elsewhere = await makeResource(database, { title: 'Other area', areaCodes: ['6.4'] });

    const page = await plans.goalPage(owner, goalId);
    const offered = page.candidates.map((c) => c.id);
    expect(offered).toEqual(expect.arrayContaining([shared.id, ours.id]));
    expect(offered).not.toContain(theirs.id);
    expect(offered).not.toContain(retired.id);
    expect(offered).not.toContain(elsewhere.id);
    // Words search every area.
    const searched = await plans.goalPage(owner, goalId, 'other area');
    expect(searched.candidates.map((c) => c.id)).toEqual([elsewhere.id]);
    expect((await plans.goalPage(owner, goalId, '100%_')).candidates).toEqual([]);

    expect(await plans.attachResource(owner, goalId, shared.id)).toEqual({
      attached: true,
      title: 'Shared one',
    });
    expect((await plans.attachResource(owner, goalId, shared.id)).attached).toBe(false);
    await plans.attachResource(owner, goalId, ours.id);
    for (const refused of [
      theirs.id,
      retired.id,
      'not-an-id',
      '00000000-0000-4000-8000-000000000000',
    ])
      await expect(plans.attachResource(owner, goalId, refused)).rejects.toBeInstanceOf(
        PlanFieldError,
      );
    // The stranger (no organisation) cannot add the organisation's own resource to their goal.
    const theirGoal = await newGoal(stranger);
    await expect(plans.attachResource(stranger, theirGoal, ours.id)).rejects.toBeInstanceOf(
      PlanFieldError,
    );
    const after = await plans.goalPage(owner, goalId);
    expect(after.view.resources.map((r) => r.resource.id)).toEqual([shared.id, ours.id]);
    expect(after.candidates.map((c) => c.id)).not.toContain(shared.id);
  });

  it('tracks each resource’s status and starts the goal when work starts', async () => {
    const goalId = await newGoal();
    const resource = await makeResource(app.services.database);
    await plans.attachResource(owner, goalId, resource.id);
    await plans.setResourceStatus(owner, goalId, resource.id, 'in_progress');
    const page = await plans.goalPage(owner, goalId);
    expect(page.view.goal.status).toBe('in_progress');
    expect(page.view.resources[0]?.status).toBe('in_progress');
    await plans.setResourceStatus(owner, goalId, resource.id, 'not_started');
    expect((await plans.goalPage(owner, goalId)).view.resources[0]?.status).toBe('not_started');
    await plans.detachResource(owner, goalId, resource.id);
    expect((await plans.goalPage(owner, goalId)).view.resources).toEqual([]);
  });

  it('from "Add to my plan": to a goal, or a new goal for one of the resource’s areas', async () => {
    const goalId = await newGoal(owner, '6.2');
    const resource = await makeResource(app.services.database, { areaCodes: ['6.2', '6.3'] });
    const choices = await plans.addResourceChoices(owner, resource.id);
    expect(choices.goals[0]?.goal.id).toBe(goalId);
    expect(choices.matching.has(goalId)).toBe(true);
    expect(choices.newAreas.map((a) => a.code)).toEqual(['6.2', '6.3']);
    expect(await plans.addResource(owner, resource.id, { kind: 'goal', goalId })).toEqual({
      goalId,
      attached: true,
    });
    expect(await plans.addResource(owner, resource.id, { kind: 'new', areaCode: '6.3' })).toEqual({
      newGoalAreaCode: '6.3',
    });
    await expect(
      plans.addResource(owner, resource.id, { kind: 'new', areaCode: '2.1' }),
    ).rejects.toBeInstanceOf(PlanFieldError);
    const theirs = await makeResource(app.services.database, { organisationId: otherOrgId });
    await expect(plans.addResourceChoices(owner, theirs.id)).rejects.toBeInstanceOf(NotFoundError);

    // A new goal made with the resource gets it attached.
    const { goalId: made } = await plans.createGoal(owner, {
      areaCode: '6.3',
      targetLevel: 1,
      targetDate: addMonths(today(), 1),
      notes: '',
      from: '',
      resource: resource.id,
    });
    expect((await plans.goalPage(owner, made)).view.resources.map((r) => r.resource.id)).toEqual([
      resource.id,
    ]);
  });
});

describe('marking learning done', () => {
  it('writes the status, the completed mark and the reflection evidence together, once', async () => {
    const { database } = app.services;
    const goalId = await newGoal(owner, '5.2.1');
    const resource = await makeResource(database, { title: 'Data protection basics' });
    await plans.attachResource(owner, goalId, resource.id);
    const outcome = await plans.completeResource(owner, goalId, resource.id, {
      learned: 'What a lawful basis is',
      use: 'Checking before I share records',
    });
    if (!('evidenceId' in outcome)) throw new Error('expected a reflection');

    const [link] = await database.db
      .select()
      .from(planGoalResources)
      .where(eq(planGoalResources.goalId, goalId));
    expect(link?.status).toBe('done');
    expect(link?.completedAt).toBeInstanceOf(Date);
    const marks = await database.db
      .select()
      .from(learningResourceMarks)
      .where(eq(learningResourceMarks.resourceId, resource.id));
    expect(marks.map((m) => [m.personId, m.kind])).toEqual([[owner, 'completed']]);
    const [written] = await database.db
      .select()
      .from(evidence)
      .where(eq(evidence.id, outcome.evidenceId));
    expect(written).toMatchObject({
      personId: owner,
      kind: 'reflection',
      title: 'Reflection: Data protection basics',
      body: 'What a lawful basis is',
      reflectionUse: 'Checking before I share records',
      areaCode: '5.2.1',
      frameworkVersionId: versionId,
      resourceId: resource.id,
      goalId,
    });
    const page = await plans.goalPage(owner, goalId);
    expect(page.view.goal.status).toBe('in_progress');
    expect(page.reflections.get(resource.id)?.learned).toBe('What a lawful basis is');

    // Again (a second tab): nothing more is written, and its status is final.
    expect(
      await plans.completeResource(owner, goalId, resource.id, { learned: 'a', use: 'b' }),
    ).toEqual({ alreadyDone: true });
    expect(await countRows(database, 'evidence', { column: 'goal_id', value: goalId })).toBe(1);
    await expect(
      plans.setResourceStatus(owner, goalId, resource.id, 'in_progress'),
    ).rejects.toBeInstanceOf(ResourceDoneError);
    await expect(plans.reflectionContext(owner, goalId, resource.id)).rejects.toBeInstanceOf(
      ResourceDoneError,
    );
    await expect(plans.detachResource(owner, goalId, resource.id)).rejects.toBeInstanceOf(
      ResourceDoneError,
    );
  });

  it('writes nothing at all when any part fails', async () => {
    const { database, frameworks, results, organisations } = app.services;
    const failingAudit: AuditLog = {
      ...app.services.audit,
      record: () => Promise.reject(new Error('audit log unavailable')),
    };
    const failing = createPlansService({
      database,
      frameworks,
      results,
      organisations,
      audit: failingAudit,
    });
    const goalId = await newGoal(owner, '3.1');
    const resource = await makeResource(database, { areaCodes: ['3.1'] });
    await plans.attachResource(owner, goalId, resource.id);
    const before = {
      evidence: await countRows(database, 'evidence'),
      marks: await countRows(database, 'learning_resource_marks'),
    };
    await expect(
      failing.completeResource(owner, goalId, resource.id, { learned: 'l', use: 'u' }),
    ).rejects.toThrow('audit log unavailable');
    expect(await countRows(database, 'evidence')).toBe(before.evidence);
    expect(await countRows(database, 'learning_resource_marks')).toBe(before.marks);
    const page = await plans.goalPage(owner, goalId);
    expect(page.view.resources[0]?.status).toBe('not_started');
    expect(page.view.goal.status).toBe('not_started');
    // And then it works.
    expect(
      'evidenceId' in
        (await plans.completeResource(owner, goalId, resource.id, { learned: 'l', use: 'u' })),
    ).toBe(true);
  });
});

describe('changing and removing goals', () => {
  it('records when a goal is done, and forgets it when reopened', async () => {
    const goalId = await newGoal();
    const values = { targetLevel: 3, targetDate: addMonths(today(), 6), notes: 'Going well' };
    await plans.updateGoal(owner, goalId, { ...values, status: 'done' });
    const done = (await plans.goalPage(owner, goalId)).view.goal;
    expect(done).toMatchObject({ ...values, status: 'done' });
    expect(done.completedAt).toBeInstanceOf(Date);
    await plans.updateGoal(owner, goalId, { ...values, status: 'in_progress' });
    expect((await plans.goalPage(owner, goalId)).view.goal.completedAt).toBeNull();
  });

  it('removes the goal and its learning list, keeping reflections in the portfolio', async () => {
    const { database } = app.services;
    const goalId = await newGoal();
    const resource = await makeResource(database);
    await plans.attachResource(owner, goalId, resource.id);
    const outcome = await plans.completeResource(owner, goalId, resource.id, {
      learned: 'l',
      use: 'u',
    });
    await plans.removeGoal(owner, goalId);
    await expect(plans.goalPage(owner, goalId)).rejects.toBeInstanceOf(NotFoundError);
    expect(
      await countRows(database, 'plan_goal_resources', { column: 'goal_id', value: goalId }),
    ).toBe(0);
    if (!('evidenceId' in outcome)) throw new Error('expected a reflection');
    const [kept] = await database.db
      .select()
      .from(evidence)
      .where(eq(evidence.id, outcome.evidenceId));
    expect(kept?.goalId).toBeNull();
    expect(kept?.resourceId).toBe(resource.id);
  });

  it('lists the plan in “download my data”', async () => {
    const goalId = await newGoal();
    const data = await plans.personalData(owner);
    const goal = data.goals.find((g) => g.id === goalId);
    expect(goal).toMatchObject({
      areaCode: '2.1',
      targetLevel: 2,
      status: 'not_started',
      framework: { slug: DEFAULT_FRAMEWORK_SLUG },
    });
    expect((await plans.personalData(stranger)).goals.every((g) => g.id !== goalId)).toBe(true);
  });
});
