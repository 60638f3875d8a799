/**
 * Development plans: a person turns gaps in their latest results (or any area) into goals (an
 * area, a level to reach, a date), attaches learning resources, tracks each one, and writes a
 * short reflection when they finish one, which becomes evidence in their portfolio. Only the
 * owner sees or changes a plan (plans.policy.ts); anyone else gets "not found".
 *
 * Marking a resource done is one transaction: the resource's status, the person's "completed"
 * mark (so it is never recommended again) and the reflection evidence are written together or
 * not at all, and a second submit (two tabs, a double click) writes nothing more.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, isUuid } from '../../platform/db/index.js';
import { ConflictError, FieldsInvalidError, NotFoundError } from '../../platform/errors.js';
import { type AreaResult, countsAsGap, type ResultsService } from '../assessment/index.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
} from '../framework/index.js';
import type { OrganisationsService } from '../organisations/index.js';
import { addMonths, todayIn } from './plans.dates.js';
import type { AddResourceChoice, EditGoalValues, NewGoalValues } from './plans.forms.js';
import { ensureOwnGoal, plansPolicy } from './plans.policy.js';
import {
  type GoalResourceRow,
  type GoalRow,
  type PlanStatus,
  plansRepository as repo,
  type ReflectionRow,
  type ResourceRow,
} from './plans.repository.js';

export interface PlansServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  results: Pick<ResultsService, 'history'>;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  audit: AuditLog;
  now?: () => Date;
}

/** A goal with the names people read, and the resources attached to it. */
export interface GoalView {
  goal: GoalRow;
  areaName: string;
  domainName: string;
  /** The name of the level the goal aims for ("Apply"). */
  levelName: string;
  resources: GoalResourceRow[];
}

/** An area a goal can be made for, by name, with its domain. */
export interface AreaOption {
  code: string;
  name: string;
  domainName: string;
}

/** A gap in the person's latest results, and their goal for it if they have one not done. */
export interface GapView {
  area: AreaResult;
  goalId: string | undefined;
}

export interface PlanOverview {
  today: string;
  goals: GoalView[];
  /** The latest submitted results' gaps, most urgent first; undefined when there are none. */
  latest: { assessmentId: string; submittedAt: Date; gaps: GapView[] } | undefined;
}

/** What the new-goal page needs: the areas, what to prefill, and the results behind it. */
export interface NewGoalContext {
  today: string;
  areas: AreaOption[];
  levels: { level: number; name: string; summary: string }[];
  defaults: { areaCode: string; targetLevel: number | undefined; targetDate: string };
  /** The submitted assessment the goal comes from (its gap), when given. */
  from: { assessmentId: string; submittedAt: Date } | undefined;
  /** The person's results per area (from `from`, otherwise their latest), for context. */
  areaResults: ReadonlyMap<string, AreaResult>;
  /** A resource to add to the goal once made ("Add to my plan" → a new goal). */
  resource: ResourceRow | undefined;
  frameworkVersionId: number;
}

export interface GoalPageData {
  today: string;
  view: GoalView;
  levels: { level: number; name: string; summary: string }[];
  /** Reflections written for this goal's resources, by resource id. */
  reflections: ReadonlyMap<string, ReflectionRow>;
  /** Resources the person may add: the goal's area's, or those matching `words`. */
  candidates: ResourceRow[];
  /** True when there are more than CANDIDATE_LIMIT candidates (only the first are listed). */
  moreCandidates: boolean;
  words: string;
}

/** Problems with a plan form's fields that only the service can see (e.g. a resource). */
export class PlanFieldError extends FieldsInvalidError {
  override name = 'PlanFieldError';
}

/** The resource was marked done already: its reflection is written, its status is final. */
export class ResourceDoneError extends ConflictError {
  override name = 'ResourceDoneError';
  constructor(readonly goalId: string) {
    super('You have already marked this learning as done, so its status cannot change.');
  }
}

/** How many resources the goal page offers to add at once. */
export const CANDIDATE_LIMIT = 100;
/** A new goal's target date, unless the person chooses another: three months from today. */
export const DEFAULT_TARGET_MONTHS = 3;

const resourceNotFound = () => new NotFoundError('We could not find that learning resource');

export function createPlansService({
  database,
  frameworks,
  results,
  organisations,
  audit,
  now = () => new Date(),
}: PlansServiceDeps) {
  const today = () => todayIn(now());

  async function organisationIdsOf(personId: string): Promise<ReadonlySet<string>> {
    const actor = await organisations.actorFor(personId);
    return new Set(actor.memberships.keys());
  }

  function levelsOf(model: FrameworkModel) {
    return model.data.levels.map((l) => ({ level: l.level, name: l.name, summary: l.summary }));
  }

  function areaOptions(model: FrameworkModel): AreaOption[] {
    return model.areas.map((a) => ({
      code: a.code,
      name: a.name,
      domainName: model.domainOf(a.code)?.name ?? '',
    }));
  }

  async function modelFor(goal: Pick<GoalRow, 'frameworkSlug' | 'frameworkVersion'>) {
    return frameworks.getFramework(goal.frameworkSlug, goal.frameworkVersion);
  }

  async function describeGoals(goals: GoalRow[]): Promise<GoalView[]> {
    const resources = await repo.listGoalResources(
      database.db,
      goals.map((g) => g.id),
    );
    const views: GoalView[] = [];
    for (const goal of goals) {
      const model = await modelFor(goal);
      views.push({
        goal,
        areaName: model.nodesByCode.get(goal.areaCode)?.name ?? goal.areaCode,
        domainName: model.domainOf(goal.areaCode)?.name ?? '',
        levelName: model.level(goal.targetLevel)?.name ?? '',
        resources: resources.filter((r) => r.goalId === goal.id),
      });
    }
    return views;
  }

  /** The person's own goal, or "not found" (someone else's, a malformed id, none). */
  async function ownGoal(personId: string, goalId: string): Promise<GoalRow> {
    const goal = isUuid(goalId) ? await repo.findGoal(database.db, goalId) : undefined;
    return ensureOwnGoal(personId, goal);
  }

  async function ownGoalResource(personId: string, goalId: string, resourceId: string) {
    const goal = await ownGoal(personId, goalId);
    const attached = isUuid(resourceId)
      ? await repo.findGoalResource(database.db, goal.id, resourceId)
      : undefined;
    if (!attached) throw new NotFoundError('We could not find that learning in this goal');
    return { goal, attached };
  }

  /** A resource the person may add to their plan, or "not found". */
  async function addableResource(personId: string, resourceId: string): Promise<ResourceRow> {
    const resource = isUuid(resourceId)
      ? await repo.findResource(database.db, resourceId)
      : undefined;
    if (!plansPolicy.canAddResource(await organisationIdsOf(personId), resource))
      throw resourceNotFound();
    return resource;
  }

  async function newGoalContext(
    personId: string,
    input: {
      areaCode?: string | undefined;
      from?: string | undefined;
      resource?: string | undefined;
    },
  ): Promise<NewGoalContext> {
    const history = await results.history(personId);
    let source = history[0];
    let from: NewGoalContext['from'];
    if (input.from) {
      // Only the person's own submitted assessments; anyone else's is "not found".
      source = history.find((h) => h.id === input.from);
      if (!source) throw new NotFoundError('We could not find those results');
      from = { assessmentId: source.id, submittedAt: source.submittedAt };
    }
    // A goal from a gap names the area in the version those results used; otherwise the latest.
    const model =
      from && source
        ? await frameworks.getFramework(
            source.results.frameworkSlug,
            source.results.frameworkVersion,
          )
        : await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const areaResults = new Map((source?.results.areas ?? []).map((a) => [a.areaCode, a]));
    const areas = areaOptions(model);
    const areaCode = areas.some((a) => a.code === input.areaCode) ? (input.areaCode ?? '') : '';
    const result = areaResults.get(areaCode);
    let targetLevel: number | undefined;
    if (result && result.targetLevel > result.level) targetLevel = result.targetLevel;
    else if (result && result.level < 4) targetLevel = Math.max(1, result.level + 1);
    const resource = input.resource ? await addableResource(personId, input.resource) : undefined;
    return {
      today: today(),
      areas,
      levels: levelsOf(model),
      defaults: { areaCode, targetLevel, targetDate: addMonths(today(), DEFAULT_TARGET_MONTHS) },
      from,
      areaResults,
      resource,
      frameworkVersionId: model.versionInfo.versionId,
    };
  }

  async function attach(personId: string, goal: GoalRow, resourceId: string) {
    const resource = isUuid(resourceId)
      ? await repo.findResource(database.db, resourceId)
      : undefined;
    if (!plansPolicy.canAddResource(await organisationIdsOf(personId), resource))
      throw new PlanFieldError([
        { field: 'resourceId', text: 'Select the learning you want to add from the list' },
      ]);
    const attached = await repo.attachResource(database.db, goal.id, resource.id, now());
    return { attached, title: resource.title };
  }

  return {
    /** The plan page: every goal with its resources, and the gaps in the latest results. */
    async overview(personId: string): Promise<PlanOverview> {
      const [goals, history] = await Promise.all([
        repo.listGoalsForPerson(database.db, personId),
        results.history(personId),
      ]);
      const views = await describeGoals(goals);
      const latestAssessment = history[0];
      let latest: PlanOverview['latest'];
      if (latestAssessment) {
        const byCode = new Map(latestAssessment.results.areas.map((a) => [a.areaCode, a]));
        // Areas answered wholly "not relevant to my role" are in the snapshot's gaps (level 0
        // below a target) but are not gaps to plan for, as on the results page.
        const gaps = latestAssessment.results.gaps.flatMap((code) => {
          const area = byCode.get(code);
          if (!area || !countsAsGap(area)) return [];
          const goal = goals.find((g) => g.areaCode === code && g.status !== 'done');
          return [{ area, goalId: goal?.id }];
        });
        if (gaps.length > 0)
          latest = {
            assessmentId: latestAssessment.id,
            submittedAt: latestAssessment.submittedAt,
            gaps,
          };
      }
      return { today: today(), goals: views, latest };
    },

    /**
     * What the new-goal form needs. `areaCode` prefills the area; `from` (one of the person's
     * submitted assessments, else "not found") names the gap the goal comes from, and sets the
     * target level to their target for that area; `resource` is one to add once it is made.
     */
    newGoalContext,

    /** Makes a goal (and adds the resource chosen on the way, if any); returns its id. */
    async createGoal(
      personId: string,
      values: NewGoalValues,
      ip?: string,
    ): Promise<{ goalId: string }> {
      const context = await newGoalContext(personId, {
        from: values.from || undefined,
        resource: values.resource || undefined,
      });
      if (!context.areas.some((a) => a.code === values.areaCode))
        throw new PlanFieldError([{ field: 'areaCode', text: 'Select an area from the list' }]);
      return database.transaction(async (tx) => {
        const goal = await repo.insertGoal(tx, {
          personId,
          frameworkVersionId: context.frameworkVersionId,
          areaCode: values.areaCode,
          targetLevel: values.targetLevel,
          targetDate: values.targetDate,
          notes: values.notes,
          fromAssessmentId: context.from?.assessmentId ?? null,
          now: now(),
        });
        if (context.resource) await repo.attachResource(tx, goal.id, context.resource.id, now());
        await audit.record(
          {
            action: 'plan.goal-created',
            actorPersonId: personId,
            subjectType: 'plan-goal',
            subjectId: goal.id,
            ip,
            details: { areaCode: values.areaCode, targetLevel: values.targetLevel },
          },
          tx,
        );
        return { goalId: goal.id };
      });
    },

    /** One goal's page: the goal, its resources and reflections, and what else could be added. */
    async goalPage(personId: string, goalId: string, words = ''): Promise<GoalPageData> {
      const goal = await ownGoal(personId, goalId);
      const [view] = await describeGoals([goal]);
      if (!view) throw new NotFoundError('We could not find that goal');
      const [reflections, organisationIds, model] = await Promise.all([
        repo.listReflectionsForGoal(database.db, goal.id),
        organisationIdsOf(personId),
        modelFor(goal),
      ]);
      const found = await repo.listVisibleResources(database.db, {
        organisationIds: [...organisationIds],
        areaCode: words ? undefined : goal.areaCode,
        words: words || undefined,
        excludeIds: view.resources.map((r) => r.resource.id),
        limit: CANDIDATE_LIMIT + 1,
      });
      const candidates = found.slice(0, CANDIDATE_LIMIT);
      const byResource = new Map<string, ReflectionRow>();
      for (const r of reflections) {
        // Newest first: keep the latest reflection per resource.
        if (r.resourceId && !byResource.has(r.resourceId)) byResource.set(r.resourceId, r);
      }
      return {
        today: today(),
        view,
        levels: levelsOf(model),
        reflections: byResource,
        candidates,
        moreCandidates: found.length > CANDIDATE_LIMIT,
        words,
      };
    },

    /** The goal as its edit page shows it. */
    async editContext(personId: string, goalId: string) {
      const goal = await ownGoal(personId, goalId);
      const [view] = await describeGoals([goal]);
      if (!view) throw new NotFoundError('We could not find that goal');
      return { today: today(), view, levels: levelsOf(await modelFor(goal)) };
    },

    async updateGoal(personId: string, goalId: string, values: EditGoalValues): Promise<void> {
      const goal = await ownGoal(personId, goalId);
      const at = now();
      await repo.updateGoal(database.db, goal.id, {
        ...values,
        completedAt: values.status === 'done' ? (goal.completedAt ?? at) : null,
        now: at,
      });
    },

    /** Removes a goal and its list of resources; reflections stay in the portfolio. */
    async removeGoal(personId: string, goalId: string, ip?: string): Promise<void> {
      const goal = await ownGoal(personId, goalId);
      await database.transaction(async (tx) => {
        await repo.deleteGoal(tx, goal.id);
        await audit.record(
          {
            action: 'plan.goal-removed',
            actorPersonId: personId,
            subjectType: 'plan-goal',
            subjectId: goal.id,
            ip,
            details: { areaCode: goal.areaCode },
          },
          tx,
        );
      });
    },

    /**
     * Adds a resource to the person's goal. A resource they may not add (another organisation's,
     * retired, unknown) is a field error; one already there changes nothing (`attached` false).
     */
    async attachResource(personId: string, goalId: string, resourceId: string) {
      const goal = await ownGoal(personId, goalId);
      return attach(personId, goal, resourceId);
    },

    /** Takes a resource not yet done off a goal. */
    async detachResource(personId: string, goalId: string, resourceId: string): Promise<void> {
      const { goal, attached } = await ownGoalResource(personId, goalId, resourceId);
      if (attached.status === 'done') throw new ResourceDoneError(goal.id);
      await repo.detachResource(database.db, goal.id, attached.resource.id);
    },

    /**
     * Sets a resource's status to not started or in progress (done goes through
     * completeResource, with a reflection). Starting one starts a goal not yet started.
     */
    async setResourceStatus(
      personId: string,
      goalId: string,
      resourceId: string,
      status: Exclude<PlanStatus, 'done'>,
    ): Promise<void> {
      const { goal, attached } = await ownGoalResource(personId, goalId, resourceId);
      if (attached.status === 'done') throw new ResourceDoneError(goal.id);
      await database.transaction(async (tx) => {
        const at = now();
        const changed = await repo.setResourceStatus(tx, goal.id, attached.resource.id, status, at);
        if (!changed) throw new ResourceDoneError(goal.id);
        if (status === 'in_progress') await repo.startGoal(tx, goal.id, at);
      });
    },

    /** The reflection page's subject: the goal and the resource (ResourceDoneError if done). */
    async reflectionContext(personId: string, goalId: string, resourceId: string) {
      const { goal, attached } = await ownGoalResource(personId, goalId, resourceId);
      if (attached.status === 'done') throw new ResourceDoneError(goal.id);
      const [view] = await describeGoals([goal]);
      if (!view) throw new NotFoundError('We could not find that goal');
      return { view, attached };
    },

    /**
     * Marks a resource done with the person's reflection, in one transaction: the resource's
     * status and completion time, a "completed" mark, and a reflection in their evidence
     * ("Reflection: <title>"). Done already: nothing is written (`alreadyDone`).
     */
    async completeResource(
      personId: string,
      goalId: string,
      resourceId: string,
      reflection: { learned: string; use: string },
      ip?: string,
    ): Promise<{ evidenceId: string } | { alreadyDone: true }> {
      const { goal, attached } = await ownGoalResource(personId, goalId, resourceId);
      const resource = attached.resource;
      return database.transaction(async (tx) => {
        const at = now();
        if (!(await repo.completeResource(tx, goal.id, resource.id, at)))
          return { alreadyDone: true as const };
        await repo.markCompleted(tx, personId, resource.id, at);
        const written = await repo.insertReflection(tx, {
          personId,
          title: `Reflection: ${resource.title}`,
          learned: reflection.learned,
          use: reflection.use,
          frameworkVersionId: goal.frameworkVersionId,
          areaCode: goal.areaCode,
          resourceId: resource.id,
          goalId: goal.id,
          now: at,
        });
        await repo.startGoal(tx, goal.id, at);
        await audit.record(
          {
            action: 'plan.resource-completed',
            actorPersonId: personId,
            subjectType: 'plan-goal',
            subjectId: goal.id,
            ip,
            details: { resourceId: resource.id, evidenceId: written.id },
          },
          tx,
        );
        return { evidenceId: written.id };
      });
    },

    /**
     * "Add to my plan" for a resource: the person's goals not done (those for one of the
     * resource's areas first) and the resource's areas they could make a new goal for.
     */
    async addResourceChoices(personId: string, resourceId: string) {
      const resource = await addableResource(personId, resourceId);
      const goals = (await repo.listGoalsForPerson(database.db, personId)).filter(
        (g) => g.status !== 'done',
      );
      const views = await describeGoals(goals);
      const matches = (v: GoalView) => resource.areaCodes.includes(v.goal.areaCode);
      const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
      const newAreas = areaOptions(model).filter((a) => resource.areaCodes.includes(a.code));
      return {
        resource,
        goals: [...views.filter(matches), ...views.filter((v) => !matches(v))],
        matching: new Set(views.filter(matches).map((v) => v.goal.id)),
        newAreas,
      };
    },

    /**
     * The choice made on "Add to my plan": adds the resource to one of the person's goals, or
     * says which new goal to make (the new-goal page adds the resource once it is made).
     */
    async addResource(
      personId: string,
      resourceId: string,
      choice: AddResourceChoice,
    ): Promise<{ goalId: string; attached: boolean } | { newGoalAreaCode: string }> {
      const resource = await addableResource(personId, resourceId);
      if (choice.kind === 'new') {
        const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
        if (
          !resource.areaCodes.includes(choice.areaCode) ||
          !model.nodesByCode.get(choice.areaCode)?.isArea
        )
          throw new PlanFieldError([{ field: 'goal', text: 'Select a goal from the list' }]);
        return { newGoalAreaCode: choice.areaCode };
      }
      const goal = isUuid(choice.goalId)
        ? await repo.findGoal(database.db, choice.goalId)
        : undefined;
      if (!goal || !plansPolicy.canChangeGoal(personId, goal) || goal.status === 'done')
        throw new PlanFieldError([{ field: 'goal', text: 'Select a goal from the list' }]);
      const { attached } = await attach(personId, goal, resource.id);
      return { goalId: goal.id, attached };
    },

    /** Every goal with its resources, and the reminders sent, for "download my data". */
    async personalData(personId: string) {
      const goals = await repo.listGoalsForPerson(database.db, personId);
      const [resources, reminders] = await Promise.all([
        repo.listGoalResources(
          database.db,
          goals.map((g) => g.id),
        ),
        repo.listRemindersForPerson(database.db, personId),
      ]);
      return {
        goals: goals.map((g) => ({
          id: g.id,
          framework: { slug: g.frameworkSlug, version: g.frameworkVersion },
          areaCode: g.areaCode,
          targetLevel: g.targetLevel,
          targetDate: g.targetDate,
          status: g.status,
          notes: g.notes,
          fromAssessmentId: g.fromAssessmentId,
          createdAt: g.createdAt.toISOString(),
          updatedAt: g.updatedAt.toISOString(),
          completedAt: g.completedAt?.toISOString() ?? null,
          resources: resources
            .filter((r) => r.goalId === g.id)
            .map((r) => ({
              resourceId: r.resource.id,
              title: r.resource.title,
              url: r.resource.url,
              status: r.status,
              addedAt: r.addedAt.toISOString(),
              completedAt: r.completedAt?.toISOString() ?? null,
            })),
        })),
        reminders: reminders.map((r) => ({
          goalId: r.goalId,
          kind: r.kind,
          targetDate: r.targetDate,
          sentAt: r.sentAt?.toISOString() ?? null,
        })),
      };
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
