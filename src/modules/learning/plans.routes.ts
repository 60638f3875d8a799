/**
 * The development plan pages: the plan (goals by status, with due and overdue ones marked, and
 * the gaps in the latest results), a goal (its learning, each with its status, and adding more),
 * adding, changing and removing goals, the reflection asked for when learning is marked done,
 * and "Add to my plan" for a resource from the catalogue or a recommendation. Every page needs a
 * signed-in person and shows only their own plan (the service checks; anything else is "not
 * found"). Thin: parse → service → presenter → view, POST-redirect-GET.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FieldError } from '../../platform/forms.js';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import {
  parseAddResourceForm,
  parseAttachForm,
  parseEditGoalForm,
  parseNewGoalForm,
  parseReflectionForm,
  parseResourceSearch,
  parseResourceStatusForm,
} from './plans.forms.js';
import {
  addResourcePage,
  editGoalPage,
  goalHref,
  goalPage,
  goalResourceHref,
  newGoalHref,
  newGoalPage,
  PLAN_PATH,
  planPage,
  reflectionPage,
  removeGoalPage,
} from './plans.presenter.js';
import { PlanFieldError, type PlansService, ResourceDoneError } from './plans.service.js';
import type { ValidationService } from './validation.service.js';

const VIEWS = 'learning/views/plans';

type GoalParams = { Params: { id: string } };
type GoalResourceParams = { Params: { id: string; resourceId: string } };
type DoneQuery = { Querystring: { done?: string } };

/**
 * The notice after a change, by the `?done=` the redirect adds. A Map, not an object, so that
 * `?done=constructor` finds nothing.
 */
const NOTICES = new Map([
  ['created', 'Your goal has been added to your plan.'],
  ['updated', 'Your goal has been saved.'],
  ['removed', 'The goal has been removed from your plan.'],
  ['added', 'The learning has been added to this goal.'],
  ['already', 'That learning is already in this goal.'],
  ['status', 'The status of the learning has been updated.'],
  ['taken-off', 'The learning has been taken off this goal.'],
  [
    'completed',
    'Marked as done. Your reflection has been added to your portfolio as evidence for this area.',
  ],
]);

const noticeFor = (query: { done?: unknown }) =>
  typeof query.done === 'string' ? NOTICES.get(query.done) : undefined;

const withNotice = (href: string, notice: string, fragment = '') =>
  `${href}?done=${notice}${fragment}`;

export function registerPlanRoutes(
  app: FastifyInstance,
  deps: {
    plans: PlansService;
    /** Levels validated by a line manager or educator, shown beside the person's own. */
    validations?: Pick<ValidationService, 'validatedLevels'> | undefined;
  },
): void {
  const { plans } = deps;
  const validatedLevels = (personId: string) => deps.validations?.validatedLevels(personId);

  async function renderGoal(
    reply: FastifyReply,
    personId: string,
    goalId: string,
    options: Parameters<typeof goalPage>[1] & { words?: string } = {},
    status = 200,
  ) {
    const data = await plans.goalPage(personId, goalId, options.words ?? '');
    const validated = await validatedLevels(personId);
    return renderPage(
      reply,
      `${VIEWS}/goal.njk`,
      goalPage(data, { ...options, validated }),
      status,
    );
  }

  // The plan ---------------------------------------------------------------------------------

  app.get<DoneQuery>(PLAN_PATH, signedInOnly, async (request, reply) => {
    const overview = await plans.overview(personIdOf(request));
    return renderPage(
      reply,
      `${VIEWS}/plan.njk`,
      planPage(overview, {
        notice: noticeFor(request.query),
        validated: await validatedLevels(personIdOf(request)),
      }),
    );
  });

  // A new goal ---------------------------------------------------------------------------------

  app.get<{ Querystring: { area?: string; from?: string; resource?: string } }>(
    `${PLAN_PATH}/goals/new`,
    signedInOnly,
    async (request, reply) => {
      const { area, from, resource } = request.query;
      const context = await plans.newGoalContext(personIdOf(request), {
        areaCode: typeof area === 'string' ? area : undefined,
        from: typeof from === 'string' && from !== '' ? from : undefined,
        resource: typeof resource === 'string' && resource !== '' ? resource : undefined,
      });
      return renderPage(reply, `${VIEWS}/new-goal.njk`, newGoalPage(context));
    },
  );

  app.post(`${PLAN_PATH}/goals/new`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const hidden = (name: string) =>
      typeof body[name] === 'string' && body[name] !== '' ? body[name] : undefined;
    const context = await plans.newGoalContext(personId, {
      from: hidden('from'),
      resource: hidden('resource'),
    });
    const parsed = parseNewGoalForm(request.body, {
      areaCodes: new Set(context.areas.map((a) => a.code)),
      today: context.today,
    });
    const rerender = (errors: FieldError[]) =>
      renderPage(
        reply,
        `${VIEWS}/new-goal.njk`,
        newGoalPage(context, { typed: parsed.typed, errors }),
        422,
      );
    if (!parsed.values) return rerender(parsed.errors);
    try {
      const { goalId } = await plans.createGoal(personId, parsed.values, request.ip);
      return await reply.redirect(
        withNotice(goalHref(goalId), parsed.values.resource ? 'added' : 'created'),
        303,
      );
    } catch (error) {
      if (error instanceof PlanFieldError) return rerender(error.errors);
      throw error;
    }
  });

  // A goal -------------------------------------------------------------------------------------

  app.get<GoalParams & { Querystring: { done?: string; q?: string } }>(
    `${PLAN_PATH}/goals/:id`,
    signedInOnly,
    (request, reply) =>
      renderGoal(reply, personIdOf(request), request.params.id, {
        notice: noticeFor(request.query),
        words: parseResourceSearch(request.query),
      }),
  );

  app.get<GoalParams>(`${PLAN_PATH}/goals/:id/edit`, signedInOnly, async (request, reply) => {
    const context = await plans.editContext(personIdOf(request), request.params.id);
    return renderPage(reply, `${VIEWS}/edit-goal.njk`, editGoalPage(context));
  });

  app.post<GoalParams>(`${PLAN_PATH}/goals/:id/edit`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const context = await plans.editContext(personId, request.params.id);
    const parsed = parseEditGoalForm(request.body, {
      today: context.today,
      currentTargetDate: context.view.goal.targetDate,
    });
    if (!parsed.values)
      return renderPage(
        reply,
        `${VIEWS}/edit-goal.njk`,
        editGoalPage(context, { typed: parsed.typed, errors: parsed.errors }),
        422,
      );
    await plans.updateGoal(personId, context.view.goal.id, parsed.values);
    return reply.redirect(withNotice(goalHref(context.view.goal.id), 'updated'), 303);
  });

  app.get<GoalParams>(`${PLAN_PATH}/goals/:id/remove`, signedInOnly, async (request, reply) => {
    const context = await plans.editContext(personIdOf(request), request.params.id);
    return renderPage(reply, `${VIEWS}/remove-goal.njk`, removeGoalPage(context));
  });

  app.post<GoalParams>(`${PLAN_PATH}/goals/:id/remove`, signedInOnly, async (request, reply) => {
    await plans.removeGoal(personIdOf(request), request.params.id, request.ip);
    return reply.redirect(withNotice(PLAN_PATH, 'removed'), 303);
  });

  // A goal's learning ------------------------------------------------------------------------------

  app.post<GoalParams>(`${PLAN_PATH}/goals/:id/resources`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { id } = request.params;
    const { resourceId, errors } = parseAttachForm(request.body);
    try {
      if (errors.length > 0) throw new PlanFieldError(errors);
      const { attached } = await plans.attachResource(personId, id, resourceId);
      return await reply.redirect(
        withNotice(goalHref(id), attached ? 'added' : 'already', '#learning'),
        303,
      );
    } catch (error) {
      if (!(error instanceof PlanFieldError)) throw error;
      return renderGoal(
        reply,
        personId,
        id,
        { errors: error.errors, selectedResourceId: resourceId },
        422,
      );
    }
  });

  app.post<GoalResourceParams>(
    `${PLAN_PATH}/goals/:id/resources/:resourceId/status`,
    signedInOnly,
    async (request, reply) => {
      const personId = personIdOf(request);
      const { id, resourceId } = request.params;
      const { status } = parseResourceStatusForm(request.body);
      if (!status)
        return renderGoal(
          reply,
          personId,
          id,
          {
            errors: [{ field: `status-${resourceId}`, text: 'Select a status for this learning' }],
          },
          422,
        );
      // Done asks for a reflection first, on its own page.
      if (status === 'done') {
        await plans.reflectionContext(personId, id, resourceId);
        return reply.redirect(goalResourceHref(id, resourceId, '/done'), 303);
      }
      await plans.setResourceStatus(personId, id, resourceId, status);
      return reply.redirect(withNotice(goalHref(id), 'status', '#learning'), 303);
    },
  );

  app.post<GoalResourceParams>(
    `${PLAN_PATH}/goals/:id/resources/:resourceId/remove`,
    signedInOnly,
    async (request, reply) => {
      const { id, resourceId } = request.params;
      await plans.detachResource(personIdOf(request), id, resourceId);
      return reply.redirect(withNotice(goalHref(id), 'taken-off', '#learning'), 303);
    },
  );

  app.get<GoalResourceParams>(
    `${PLAN_PATH}/goals/:id/resources/:resourceId/done`,
    signedInOnly,
    async (request, reply) => {
      const { id, resourceId } = request.params;
      try {
        const context = await plans.reflectionContext(personIdOf(request), id, resourceId);
        return await renderPage(reply, `${VIEWS}/done.njk`, reflectionPage(context));
      } catch (error) {
        // Done already (a second tab, the back button): the goal shows the reflection.
        if (error instanceof ResourceDoneError) return reply.redirect(goalHref(id), 303);
        throw error;
      }
    },
  );

  app.post<GoalResourceParams>(
    `${PLAN_PATH}/goals/:id/resources/:resourceId/done`,
    signedInOnly,
    async (request, reply) => {
      const personId = personIdOf(request);
      const { id, resourceId } = request.params;
      const parsed = parseReflectionForm(request.body);
      if (!parsed.values) {
        try {
          const context = await plans.reflectionContext(personId, id, resourceId);
          return await renderPage(
            reply,
            `${VIEWS}/done.njk`,
            reflectionPage(context, { typed: parsed.typed, errors: parsed.errors }),
            422,
          );
        } catch (error) {
          if (error instanceof ResourceDoneError) return reply.redirect(goalHref(id), 303);
          throw error;
        }
      }
      const outcome = await plans.completeResource(
        personId,
        id,
        resourceId,
        parsed.values,
        request.ip,
      );
      return reply.redirect(
        'alreadyDone' in outcome
          ? goalHref(id)
          : withNotice(goalHref(id), 'completed', '#learning'),
        303,
      );
    },
  );

  // "Add to my plan" -----------------------------------------------------------------------------

  app.get<{ Querystring: { resource?: string } }>(
    `${PLAN_PATH}/add-resource`,
    signedInOnly,
    async (request, reply) => {
      const resource = typeof request.query.resource === 'string' ? request.query.resource : '';
      const choices = await plans.addResourceChoices(personIdOf(request), resource);
      return renderPage(reply, `${VIEWS}/add-resource.njk`, addResourcePage(choices));
    },
  );

  app.post(`${PLAN_PATH}/add-resource`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const parsed = parseAddResourceForm(request.body);
    const rerender = async (errors: FieldError[]) => {
      const choices = await plans.addResourceChoices(personId, parsed.resource);
      return renderPage(
        reply,
        `${VIEWS}/add-resource.njk`,
        addResourcePage(choices, { typed: parsed.typed, errors }),
        422,
      );
    };
    if (!parsed.choice) return rerender(parsed.errors);
    try {
      const outcome = await plans.addResource(personId, parsed.resource, parsed.choice);
      if ('newGoalAreaCode' in outcome)
        return await reply.redirect(
          newGoalHref({ areaCode: outcome.newGoalAreaCode, resource: parsed.resource }),
          303,
        );
      return await reply.redirect(
        withNotice(goalHref(outcome.goalId), outcome.attached ? 'added' : 'already', '#learning'),
        303,
      );
    } catch (error) {
      if (error instanceof PlanFieldError) return rerender(error.errors);
      throw error;
    }
  });
}
