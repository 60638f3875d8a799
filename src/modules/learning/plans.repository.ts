/**
 * Data verbs for development plans: plan_goals and plan_goal_resources (written only here), the
 * "completed" mark and the reflection evidence written when a plan resource is marked done, and
 * the reads the plan pages need (learning_resources, read directly: same module). No business
 * rules: plans.policy.ts and plans.service.ts decide who may do what.
 */
import { and, asc, desc, eq, inArray, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { filterConditions } from './catalogue.repository.js';
import { frameworks, frameworkVersions } from '../framework/framework.tables.js';
import {
  evidence,
  learningResourceMarks,
  learningResources,
  planGoalResources,
  planGoals,
  planReminders,
} from './learning.tables.js';

export const PLAN_STATUSES = ['not_started', 'in_progress', 'done'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const isPlanStatus = (value: string): value is PlanStatus =>
  (PLAN_STATUSES as readonly string[]).includes(value);

export interface GoalRow {
  id: string;
  personId: string;
  frameworkVersionId: number;
  /** The framework (slug and version number) the goal's area belongs to. */
  frameworkSlug: string;
  frameworkVersion: number;
  areaCode: string;
  targetLevel: number;
  /** YYYY-MM-DD. */
  targetDate: string;
  status: PlanStatus;
  notes: string;
  fromAssessmentId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** A learning resource as plan pages show it. */
export interface ResourceRow {
  id: string;
  organisationId: string | null;
  title: string;
  provider: string;
  url: string;
  format: string;
  durationMinutes: number | null;
  cost: string;
  levels: number[];
  areaCodes: string[];
  summary: string;
  retiredAt: Date | null;
}

/** A resource attached to a goal, with its own status. */
export interface GoalResourceRow {
  goalId: string;
  status: PlanStatus;
  addedAt: Date;
  completedAt: Date | null;
  resource: ResourceRow;
}

export interface ReflectionRow {
  id: string;
  goalId: string | null;
  resourceId: string | null;
  title: string;
  learned: string;
  use: string;
  createdAt: Date;
}

export interface ReminderRow {
  goalId: string;
  kind: string;
  targetDate: string;
  sentAt: Date | null;
  attempts: number;
}

const goalColumns = {
  id: planGoals.id,
  personId: planGoals.personId,
  frameworkVersionId: planGoals.frameworkVersionId,
  frameworkSlug: frameworks.slug,
  frameworkVersion: frameworkVersions.version,
  areaCode: planGoals.areaCode,
  targetLevel: planGoals.targetLevel,
  targetDate: planGoals.targetDate,
  status: planGoals.status,
  notes: planGoals.notes,
  fromAssessmentId: planGoals.fromAssessmentId,
  createdAt: planGoals.createdAt,
  updatedAt: planGoals.updatedAt,
  completedAt: planGoals.completedAt,
};

const resourceColumns = {
  id: learningResources.id,
  organisationId: learningResources.organisationId,
  title: learningResources.title,
  provider: learningResources.provider,
  url: learningResources.url,
  format: learningResources.format,
  durationMinutes: learningResources.durationMinutes,
  cost: learningResources.cost,
  levels: learningResources.levels,
  areaCodes: learningResources.areaCodes,
  summary: learningResources.summary,
  retiredAt: learningResources.retiredAt,
};

/** The check constraint keeps statuses to the three; this keeps the types honest. */
const asStatus = (value: string): PlanStatus => (isPlanStatus(value) ? value : 'not_started');

function selectGoals(db: Db) {
  return db
    .select(goalColumns)
    .from(planGoals)
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, planGoals.frameworkVersionId))
    .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId));
}

/** A goal's attached resources with their status on the goal; the caller adds the where. */
function selectGoalResources(db: Db) {
  return db
    .select({
      goalId: planGoalResources.goalId,
      status: planGoalResources.status,
      addedAt: planGoalResources.addedAt,
      completedAt: planGoalResources.completedAt,
      resource: resourceColumns,
    })
    .from(planGoalResources)
    .innerJoin(learningResources, eq(learningResources.id, planGoalResources.resourceId));
}

type SelectedGoal = Omit<GoalRow, 'status'> & { status: string };
const toGoal = (row: SelectedGoal): GoalRow => ({ ...row, status: asStatus(row.status) });

/** Resources visible to members of these organisations (and everyone): shared or theirs. */
function visibleTo(organisationIds: readonly string[]) {
  return organisationIds.length === 0
    ? isNull(learningResources.organisationId)
    : or(
        isNull(learningResources.organisationId),
        inArray(learningResources.organisationId, [...organisationIds]),
      );
}

/** A resource on a goal, while it is not done (done is final: nothing changes it). */
const notDoneOnGoal = (goalId: string, resourceId: string) =>
  and(
    eq(planGoalResources.goalId, goalId),
    eq(planGoalResources.resourceId, resourceId),
    ne(planGoalResources.status, 'done'),
  );

export const plansRepository = {
  async insertGoal(
    db: Db,
    input: {
      personId: string;
      frameworkVersionId: number;
      areaCode: string;
      targetLevel: number;
      targetDate: string;
      notes: string;
      fromAssessmentId: string | null;
      now: Date;
    },
  ): Promise<{ id: string }> {
    return insertedRow(
      await db
        .insert(planGoals)
        .values({
          personId: input.personId,
          frameworkVersionId: input.frameworkVersionId,
          areaCode: input.areaCode,
          targetLevel: input.targetLevel,
          targetDate: input.targetDate,
          notes: input.notes,
          fromAssessmentId: input.fromAssessmentId,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning({ id: planGoals.id }),
    );
  },

  async findGoal(db: Db, id: string): Promise<GoalRow | undefined> {
    const [row] = await selectGoals(db).where(eq(planGoals.id, id));
    return row && toGoal(row);
  },

  /** A person's goals, soonest target date first. */
  async listGoalsForPerson(db: Db, personId: string): Promise<GoalRow[]> {
    const rows = await selectGoals(db)
      .where(eq(planGoals.personId, personId))
      .orderBy(asc(planGoals.targetDate), asc(planGoals.createdAt), asc(planGoals.id));
    return rows.map(toGoal);
  },

  async updateGoal(
    db: Db,
    id: string,
    input: {
      targetLevel: number;
      targetDate: string;
      status: PlanStatus;
      notes: string;
      completedAt: Date | null;
      now: Date;
    },
  ): Promise<void> {
    await db
      .update(planGoals)
      .set({
        targetLevel: input.targetLevel,
        targetDate: input.targetDate,
        status: input.status,
        notes: input.notes,
        completedAt: input.completedAt,
        updatedAt: input.now,
      })
      .where(eq(planGoals.id, id));
  },

  /** A goal not started yet becomes in progress (when work on one of its resources starts). */
  async startGoal(db: Db, id: string, now: Date): Promise<void> {
    await db
      .update(planGoals)
      .set({ status: 'in_progress', updatedAt: now })
      .where(and(eq(planGoals.id, id), eq(planGoals.status, 'not_started')));
  },

  async deleteGoal(db: Db, id: string): Promise<void> {
    await db.delete(planGoals).where(eq(planGoals.id, id));
  },

  /** Resources attached to these goals, in the order they were added. */
  async listGoalResources(db: Db, goalIds: readonly string[]): Promise<GoalResourceRow[]> {
    if (goalIds.length === 0) return [];
    const rows = await selectGoalResources(db)
      .where(inArray(planGoalResources.goalId, [...goalIds]))
      .orderBy(asc(planGoalResources.addedAt), asc(learningResources.title));
    return rows.map((r) => ({ ...r, status: asStatus(r.status) }));
  },

  async findGoalResource(
    db: Db,
    goalId: string,
    resourceId: string,
  ): Promise<GoalResourceRow | undefined> {
    const rows = await selectGoalResources(db).where(
      and(eq(planGoalResources.goalId, goalId), eq(planGoalResources.resourceId, resourceId)),
    );
    const [row] = rows;
    return row && { ...row, status: asStatus(row.status) };
  },

  /** Attaches a resource to a goal; false when it was attached already. */
  async attachResource(db: Db, goalId: string, resourceId: string, now: Date): Promise<boolean> {
    const rows = await db
      .insert(planGoalResources)
      .values({ goalId, resourceId, addedAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ goalId: planGoalResources.goalId });
    return rows.length > 0;
  },

  async detachResource(db: Db, goalId: string, resourceId: string): Promise<boolean> {
    const rows = await db
      .delete(planGoalResources)
      .where(
        and(eq(planGoalResources.goalId, goalId), eq(planGoalResources.resourceId, resourceId)),
      )
      .returning({ goalId: planGoalResources.goalId });
    return rows.length > 0;
  },

  /** Sets a resource's status (not to or from done); false when it is done already. */
  async setResourceStatus(
    db: Db,
    goalId: string,
    resourceId: string,
    status: Exclude<PlanStatus, 'done'>,
    now: Date,
  ): Promise<boolean> {
    const rows = await db
      .update(planGoalResources)
      .set({ status, updatedAt: now })
      .where(notDoneOnGoal(goalId, resourceId))
      .returning({ goalId: planGoalResources.goalId });
    return rows.length > 0;
  },

  /** Marks a resource done; false when it was done already (a second submit changes nothing). */
  async completeResource(db: Db, goalId: string, resourceId: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(planGoalResources)
      .set({ status: 'done', completedAt: now, updatedAt: now })
      .where(notDoneOnGoal(goalId, resourceId))
      .returning({ goalId: planGoalResources.goalId });
    return rows.length > 0;
  },

  /** The person's "completed" mark on a resource (recommendations never suggest it again). */
  async markCompleted(db: Db, personId: string, resourceId: string, now: Date): Promise<void> {
    await db
      .insert(learningResourceMarks)
      .values({ personId, resourceId, kind: 'completed', createdAt: now })
      .onConflictDoNothing();
  },

  /** The reflection written when a plan resource is marked done, as evidence in the portfolio. */
  async insertReflection(
    db: Db,
    input: {
      personId: string;
      title: string;
      learned: string;
      use: string;
      frameworkVersionId: number;
      areaCode: string;
      resourceId: string;
      goalId: string;
      now: Date;
    },
  ): Promise<{ id: string }> {
    return insertedRow(
      await db
        .insert(evidence)
        .values({
          personId: input.personId,
          kind: 'reflection',
          title: input.title,
          frameworkVersionId: input.frameworkVersionId,
          areaCode: input.areaCode,
          body: input.learned,
          reflectionUse: input.use,
          resourceId: input.resourceId,
          goalId: input.goalId,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning({ id: evidence.id }),
    );
  },

  /** Reflections written for a goal's resources, newest first. */
  async listReflectionsForGoal(db: Db, goalId: string): Promise<ReflectionRow[]> {
    return db
      .select({
        id: evidence.id,
        goalId: evidence.goalId,
        resourceId: evidence.resourceId,
        title: evidence.title,
        learned: evidence.body,
        use: sql<string>`coalesce(${evidence.reflectionUse}, '')`,
        createdAt: evidence.createdAt,
      })
      .from(evidence)
      .where(and(eq(evidence.goalId, goalId), eq(evidence.kind, 'reflection')))
      .orderBy(desc(evidence.createdAt));
  },

  /** A resource by id, retired or not, whoever may see it. */
  async findResource(db: Db, id: string): Promise<ResourceRow | undefined> {
    const [row] = await db
      .select(resourceColumns)
      .from(learningResources)
      .where(eq(learningResources.id, id));
    return row;
  },

  /**
   * Resources members of these organisations may add to a plan (shared or their organisations',
   * not retired): those for an area, or matching words in the title, provider or summary, or
   * both; never those listed in `excludeIds`. By title.
   */
  async listVisibleResources(
    db: Db,
    input: {
      organisationIds: readonly string[];
      areaCode?: string | undefined;
      words?: string | undefined;
      excludeIds?: readonly string[];
      limit: number;
    },
  ): Promise<ResourceRow[]> {
    const conditions = [isNull(learningResources.retiredAt), visibleTo(input.organisationIds)];
    if (input.areaCode)
      conditions.push(sql`${learningResources.areaCodes} && array[${input.areaCode}]::text[]`);
    // Every word, anywhere in the title, provider or summary, as the catalogue's own search.
    if (input.words) conditions.push(...filterConditions({ q: input.words }));
    if (input.excludeIds && input.excludeIds.length > 0)
      conditions.push(notInArray(learningResources.id, [...input.excludeIds]));
    return db
      .select(resourceColumns)
      .from(learningResources)
      .where(and(...conditions))
      .orderBy(asc(learningResources.title), asc(learningResources.id))
      .limit(input.limit);
  },

  /** The reminders sent (or being sent) about a person's goals, for "download my data". */
  async listRemindersForPerson(db: Db, personId: string): Promise<ReminderRow[]> {
    return db
      .select({
        goalId: planReminders.goalId,
        kind: planReminders.kind,
        targetDate: planReminders.targetDate,
        sentAt: planReminders.sentAt,
        attempts: planReminders.attempts,
      })
      .from(planReminders)
      .innerJoin(planGoals, eq(planGoals.id, planReminders.goalId))
      .where(eq(planGoals.personId, personId))
      .orderBy(asc(planReminders.createdAt));
  },
};
