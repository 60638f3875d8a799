/**
 * The self-assessment pages: the signed-in home page; starting (profile, archetypes with "help me
 * choose", mode); answering an area a few statements at a time (and one answer at a time by
 * autosave with JavaScript); the task list; "saved, come back later"; check answers and submit;
 * "start again" (deletes an assessment in progress, so archetypes and mode can be chosen afresh).
 * Every page needs a signed-in person and shows only their own assessment (the service checks).
 * Thin: parse → service → presenter → view.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import { personIdOf, renderPage, signedInOnly, signedInPersonId } from '../../platform/pages.js';
import { describeProfile, type ProfileService } from '../accounts/index.js';
import { DEFAULT_FRAMEWORK_SLUG, type FrameworkService } from '../framework/index.js';
import {
  decodeYesNo,
  encodeYesNo,
  parseAnswersForm,
  parseArchetypesForm,
  parseAutosave,
  parseHelpMeChooseForm,
  parseModeForm,
  parseProfileStepForm,
  type YesNo,
} from './assessment.forms.js';
import { nextUnfinishedAfter, statementsToAsk } from './assessment.plan.js';
import {
  archetypesStepPage,
  areaHref,
  areaPage,
  assessmentHref,
  checkAnswersPage,
  continueHref,
  helpMeChoosePage,
  inProgressElsewhere,
  modeStepPage,
  profileStepPage,
  sameCodes,
  savedPage,
  startAgainPage,
  suggestionsPage,
  taskListPage,
} from './assessment.presenter.js';
import {
  type Assessment,
  AssessmentFieldError,
  AssessmentIncompleteError,
  type AssessmentService,
  type AssessmentWorkspace,
} from './assessment.service.js';
import { suggestArchetypes } from './help-me-choose.js';

const VIEWS = 'assessment/views';

declare module 'fastify' {
  interface Session {
    /**
     * The statements the last area page showed, so that a reload (after autosave has saved some
     * of them) shows the same page rather than the engine's next choice.
     */
    assessmentPage?: { assessmentId: string; areaCode: string; statementIds: string[] };
  }
}

type IdParams = { Params: { id: string } };
type AreaParams = { Params: { id: string; areaCode: string } };

export interface AssessmentRouteDeps {
  assessments: AssessmentService;
  profiles: ProfileService;
  frameworks: FrameworkService;
}

export function registerAssessmentRoutes(app: FastifyInstance, deps: AssessmentRouteDeps): void {
  const { assessments, profiles, frameworks } = deps;
  const framework = () => frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);

  async function profileOf(personId: string) {
    const profile = await profiles.getProfile(personId);
    return profile ?? { professionCode: null, workSettingCode: null, archetypeCodes: [] };
  }

  /** A submitted assessment is read-only: its pages give way to its results. */
  const resultsRedirect = (reply: FastifyReply, ws: AssessmentWorkspace) =>
    reply.redirect(assessmentHref(ws.assessment.id, '/results'), 303);

  // Starting ------------------------------------------------------------------------------------

  /**
   * Where the start steps send a person who already has an assessment in progress: its task
   * list, or the archetypes step (which offers "Start again") when their profile's archetypes
   * have changed since it started, rather than continuing it without a word.
   */
  async function continueInProgress(personId: string, inProgress: Assessment): Promise<string> {
    const profile = await profileOf(personId);
    return profile.archetypeCodes.length === 0 ||
      sameCodes(inProgress.archetypeCodes, profile.archetypeCodes)
      ? assessmentHref(inProgress.id)
      : '/assessments/new/archetypes';
  }

  app.get('/assessments/new', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const inProgress = await assessments.getInProgress(personId);
    if (inProgress) return reply.redirect(await continueInProgress(personId, inProgress), 303);
    const [profile, model] = await Promise.all([profileOf(personId), framework()]);
    return renderPage(
      reply,
      `${VIEWS}/start-profile.njk`,
      profileStepPage(profile, model.data, []),
    );
  });

  app.post('/assessments/new', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [profile, model] = await Promise.all([profileOf(personId), framework()]);
    const { values, errors } = parseProfileStepForm(request.body, model.data);
    if (errors.length > 0)
      return renderPage(
        reply,
        `${VIEWS}/start-profile.njk`,
        profileStepPage(values, model.data, errors),
        422,
      );
    await profiles.updateProfile(personId, { ...profile, ...values }, request.ip);
    return reply.redirect('/assessments/new/archetypes', 303);
  });

  /**
   * The person's assessment in progress, when its archetypes are not those now chosen: it keeps
   * the archetypes it started with, so the archetypes step says so and offers "Start again".
   */
  async function inProgressWithOtherArchetypes(personId: string, chosen: readonly string[]) {
    const inProgress = await assessments.getInProgress(personId);
    if (!inProgress || sameCodes(inProgress.archetypeCodes, chosen)) return undefined;
    return inProgress;
  }

  app.get('/assessments/new/archetypes', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [profile, model] = await Promise.all([profileOf(personId), framework()]);
    const other = await inProgressWithOtherArchetypes(personId, profile.archetypeCodes);
    const elsewhere = other
      ? inProgressElsewhere(
          other,
          await assessments.plan(other),
          profile.archetypeCodes,
          model.data.archetypes,
        )
      : undefined;
    const view = archetypesStepPage(
      profile.archetypeCodes,
      model.data.archetypes,
      [],
      model.slug,
      elsewhere,
    );
    return renderPage(reply, `${VIEWS}/start-archetypes.njk`, view);
  });

  app.post('/assessments/new/archetypes', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [profile, model] = await Promise.all([profileOf(personId), framework()]);
    const known = model.data.archetypes.map((a) => a.code);
    const { values, errors } = parseArchetypesForm(request.body, known);
    if (errors.length > 0) {
      const view = archetypesStepPage(values, model.data.archetypes, errors, model.slug);
      return renderPage(reply, `${VIEWS}/start-archetypes.njk`, view, 422);
    }
    await profiles.updateProfile(personId, { ...profile, archetypeCodes: values }, request.ip);
    // An assessment in progress with other archetypes: back here, where the page says so.
    if (await inProgressWithOtherArchetypes(personId, values))
      return reply.redirect('/assessments/new/archetypes', 303);
    return reply.redirect('/assessments/new/mode', 303);
  });

  // `?answers=ynn…`: "Back" from the suggestions shows the answers given.
  app.get<{ Querystring: { answers?: string } }>(
    '/assessments/new/help-me-choose',
    signedInOnly,
    async (request, reply) => {
      const guide = (await framework()).data.archetypeGuide;
      const answers = decodeYesNo(request.query.answers, guide.questions.length) ?? [];
      const view = helpMeChoosePage(guide, answers, []);
      return renderPage(reply, `${VIEWS}/help-me-choose.njk`, view);
    },
  );

  app.post('/assessments/new/help-me-choose', signedInOnly, async (request, reply) => {
    const guide = (await framework()).data.archetypeGuide;
    const { answers, errors } = parseHelpMeChooseForm(request.body, guide.questions.length);
    if (errors.length > 0)
      return renderPage(
        reply,
        `${VIEWS}/help-me-choose.njk`,
        helpMeChoosePage(guide, answers, errors),
        422,
      );
    const encoded = encodeYesNo(answers as YesNo[]);
    return reply.redirect(`/assessments/new/help-me-choose/suggestions?answers=${encoded}`, 303);
  });

  app.get<{ Querystring: { answers?: string } }>(
    '/assessments/new/help-me-choose/suggestions',
    signedInOnly,
    async (request, reply) => {
      const model = await framework();
      const guide = model.data.archetypeGuide;
      const answers = decodeYesNo(request.query.answers, guide.questions.length);
      if (!answers) return reply.redirect('/assessments/new/help-me-choose', 303);
      const view = suggestionsPage(
        suggestArchetypes(guide, model.data.archetypes, answers),
        encodeYesNo(answers),
      );
      return renderPage(reply, `${VIEWS}/help-me-choose-suggestions.njk`, view);
    },
  );

  async function renderMode(
    personId: string,
    reply: FastifyReply,
    values: { mode: string; fromPrevious: boolean },
    errors: FieldError[],
  ) {
    const [profile, choices, previous] = await Promise.all([
      profileOf(personId),
      profiles.choices(),
      assessments.getLatestSubmitted(personId),
    ]);
    if (profile.archetypeCodes.length === 0)
      return reply.redirect('/assessments/new/archetypes', 303);
    const view = modeStepPage({
      profile,
      described: describeProfile(profile, choices),
      estimates: await assessments.startEstimates(profile.archetypeCodes),
      hasPrevious: previous !== undefined,
      values,
      errors,
    });
    return renderPage(reply, `${VIEWS}/start-mode.njk`, view, errors.length > 0 ? 422 : 200);
  }

  app.get('/assessments/new/mode', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const inProgress = await assessments.getInProgress(personId);
    if (inProgress) return reply.redirect(await continueInProgress(personId, inProgress), 303);
    return renderMode(personId, reply, { mode: 'focused', fromPrevious: true }, []);
  });

  app.post('/assessments', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { values, errors } = parseModeForm(request.body);
    if (errors.length > 0) return renderMode(personId, reply, values, errors);
    const profile = await profileOf(personId);
    if (profile.archetypeCodes.length === 0)
      return reply.redirect('/assessments/new/archetypes', 303);
    if (await inProgressWithOtherArchetypes(personId, profile.archetypeCodes))
      return reply.redirect('/assessments/new/archetypes', 303);
    const { assessment, continued, copied } = await assessments.startAssessment(
      personId,
      {
        mode: values.mode,
        archetypeCodes: profile.archetypeCodes,
        fromPrevious: values.fromPrevious,
      },
      request.ip,
    );
    const plan = await assessments.plan(assessment);
    // The previous answers settled every area: check answers says so, rather than arriving
    // there unexplained.
    if (!continued && copied > 0 && plan.complete)
      return reply.redirect(assessmentHref(assessment.id, '/check-answers?from=previous'), 303);
    return reply.redirect(continueHref(assessment, plan), 303);
  });

  // Answering -----------------------------------------------------------------------------------

  app.get<IdParams>('/assessments/:id', signedInOnly, async (request, reply) => {
    const ws = await assessments.workspace(personIdOf(request), request.params.id);
    if (ws.assessment.status === 'submitted') return resultsRedirect(reply, ws);
    return renderPage(reply, `${VIEWS}/task-list.njk`, taskListPage(ws));
  });

  /**
   * The statements an area's page shows: those answered when reviewing (a finished area, or a
   * change from check answers); otherwise the page last shown for this area in this session, if
   * any (some of it may be saved already by autosave), or the next statements to ask.
   * `reopened`: a change from check answers left the area unfinished, so it asks the next
   * statements rather than showing the answers again.
   */
  function pageStatements(
    request: FastifyRequest,
    ws: AssessmentWorkspace,
    areaCode: string,
    fromCheckAnswers: boolean,
    reopened = false,
  ) {
    const area = ws.pool.areas.find((a) => a.areaCode === areaCode);
    const status = ws.plan.areas.find((a) => a.areaCode === areaCode)?.status;
    const answered = area?.statementIds.filter((id) => ws.answers.has(id)) ?? [];
    const toAsk = () => statementsToAsk(ws.pool, ws.assessment.mode, ws.answers, areaCode);
    const review = status === 'done' || (fromCheckAnswers && !(reopened && toAsk().length > 0));
    if (review && answered.length > 0) return { statementIds: answered, reviewing: true };
    const last = request.session.assessmentPage;
    if (
      last?.assessmentId === ws.assessment.id &&
      last.areaCode === areaCode &&
      last.statementIds.length > 0 &&
      last.statementIds.every((id) => ws.pool.statements.get(id)?.areaCode === areaCode)
    )
      return { statementIds: last.statementIds, reviewing: false };
    return { statementIds: toAsk(), reviewing: false };
  }

  function ensureArea(ws: AssessmentWorkspace, areaCode: string) {
    if (!ws.pool.areas.some((a) => a.areaCode === areaCode))
      throw new NotFoundError('That area is not part of this assessment');
  }

  app.get<AreaParams & { Querystring: { from?: string; reopened?: string } }>(
    '/assessments/:id/areas/:areaCode',
    signedInOnly,
    async (request, reply) => {
      const { id, areaCode } = request.params;
      const ws = await assessments.workspace(personIdOf(request), id);
      if (ws.assessment.status === 'submitted') return resultsRedirect(reply, ws);
      ensureArea(ws, areaCode);
      const fromCheckAnswers = request.query.from === 'check-answers';
      const status = ws.plan.areas.find((a) => a.areaCode === areaCode)?.status;
      const reopened = fromCheckAnswers && request.query.reopened === '1' && status !== 'done';
      const page = pageStatements(request, ws, areaCode, fromCheckAnswers, reopened);
      if (!page.reviewing)
        request.session.assessmentPage = {
          assessmentId: ws.assessment.id,
          areaCode,
          statementIds: page.statementIds,
        };
      const view = areaPage(ws, {
        areaCode,
        ...page,
        fromCheckAnswers,
        reopened: reopened && !page.reviewing,
        errors: [],
      });
      return renderPage(reply, `${VIEWS}/area.njk`, view);
    },
  );

  app.post<AreaParams>('/assessments/:id/areas/:areaCode', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { id, areaCode } = request.params;
    const form = parseAnswersForm(request.body);
    const rerender = (ws: AssessmentWorkspace, errors: FieldError[], submitted = {}) => {
      const inArea = form.shown.filter((s) => ws.pool.statements.get(s)?.areaCode === areaCode);
      const fallback = pageStatements(request, ws, areaCode, form.fromCheckAnswers);
      const view = areaPage(ws, {
        areaCode,
        statementIds: inArea.length > 0 ? inArea : fallback.statementIds,
        // Reviewing when every statement shown had an answer already (not new questions).
        reviewing:
          inArea.length > 0
            ? fallback.reviewing && inArea.every((s) => ws.answers.has(s))
            : fallback.reviewing,
        fromCheckAnswers: form.fromCheckAnswers,
        submitted,
        errors,
      });
      return renderPage(reply, `${VIEWS}/area.njk`, view, 422);
    };
    try {
      if (Object.keys(form.answers).length > 0)
        await assessments.recordAnswers(personId, id, areaCode, form.answers);
      else await assessments.visitArea(personId, id, areaCode);
    } catch (error) {
      if (!(error instanceof AssessmentFieldError)) throw error;
      return rerender(await assessments.workspace(personId, id), error.errors, form.answers);
    }
    if (form.action === 'later') return reply.redirect(assessmentHref(id, '/saved'), 303);
    const ws = await assessments.workspace(personId, id);
    ensureArea(ws, areaCode);
    const missing = form.shown.filter(
      (s) => ws.pool.statements.get(s)?.areaCode === areaCode && !ws.answers.has(s),
    );
    if (missing.length > 0) {
      const order = form.shown.filter((s) => ws.pool.statements.get(s)?.areaCode === areaCode);
      return rerender(
        ws,
        missing.map((s) => ({
          field: s,
          text: `Choose an answer for statement ${String(order.indexOf(s) + 1)} on this page`,
        })),
      );
    }
    // This page is done with: the next page of the area is the engine's next choice.
    request.session.assessmentPage = undefined;
    const status = ws.plan.areas.find((a) => a.areaCode === areaCode)?.status;
    if (form.fromCheckAnswers)
      // In focused mode a changed answer (a lower one, or a "lead" answer that stops a shortcut)
      // can reopen a finished area: it asks a few more questions (with a notice saying why),
      // then goes back to check answers, so submit is not refused.
      return reply.redirect(
        status === 'done'
          ? assessmentHref(id, '/check-answers')
          : areaHref(id, areaCode, '?from=check-answers&reopened=1'),
        303,
      );
    const next = status === 'done' ? nextUnfinishedAfter(ws.plan, areaCode) : areaCode;
    return reply.redirect(next ? areaHref(id, next) : assessmentHref(id, '/check-answers'), 303);
  });

  /**
   * Autosave is called by script, not navigated to: a signed-out person gets 401 (with JSON), not
   * a redirect to the sign-in page, so the page can say the answer was not saved.
   */
  const signedInForScript = {
    schema: { hide: true },
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      if (signedInPersonId(request)) return;
      await reply
        .status(401)
        .header('cache-control', 'no-store')
        .send({ errors: [{ field: 'session', text: 'Sign in again to keep your answers' }] });
    },
  };

  // Autosave: one answer as soon as it is chosen (JavaScript only; the form works without it).
  app.post<IdParams>('/assessments/:id/answers', signedInForScript, async (request, reply) => {
    const personId = personIdOf(request);
    const parsed = parseAutosave(request.body);
    reply.header('cache-control', 'no-store');
    if (!parsed)
      return reply
        .status(422)
        .send({ errors: [{ field: 'value', text: 'Send an area, a statement and an answer' }] });
    try {
      await assessments.recordAnswers(personId, request.params.id, parsed.areaCode, parsed.answers);
    } catch (error) {
      if (!(error instanceof AssessmentFieldError)) throw error;
      return reply.status(422).send({ errors: error.errors });
    }
    return reply.status(204).send();
  });

  app.get<IdParams>('/assessments/:id/saved', signedInOnly, async (request, reply) => {
    const ws = await assessments.workspace(personIdOf(request), request.params.id);
    if (ws.assessment.status === 'submitted') return resultsRedirect(reply, ws);
    return renderPage(reply, `${VIEWS}/saved.njk`, savedPage(ws));
  });

  app.get<IdParams & { Querystring: { from?: string } }>(
    '/assessments/:id/check-answers',
    signedInOnly,
    async (request, reply) => {
      const ws = await assessments.workspace(personIdOf(request), request.params.id);
      if (ws.assessment.status === 'submitted') return resultsRedirect(reply, ws);
      const view = checkAnswersPage(ws, { copiedFromPrevious: request.query.from === 'previous' });
      return renderPage(reply, `${VIEWS}/check-answers.njk`, view);
    },
  );

  app.post<IdParams>('/assessments/:id/submit', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { id } = request.params;
    try {
      await assessments.submit(personId, id, request.ip);
    } catch (error) {
      if (!(error instanceof AssessmentIncompleteError)) throw error;
      const ws = await assessments.workspace(personId, id);
      return renderPage(
        reply,
        `${VIEWS}/check-answers.njk`,
        checkAnswersPage(ws, { refused: error.message }),
        422,
      );
    }
    return reply.redirect(assessmentHref(id, '/results'), 303);
  });

  // Start again ---------------------------------------------------------------------------------

  app.get<IdParams>('/assessments/:id/start-again', signedInOnly, async (request, reply) => {
    const ws = await assessments.workspace(personIdOf(request), request.params.id);
    if (ws.assessment.status === 'submitted') return resultsRedirect(reply, ws);
    return renderPage(reply, `${VIEWS}/start-again.njk`, startAgainPage(ws));
  });

  app.post<IdParams>('/assessments/:id/start-again', signedInOnly, async (request, reply) => {
    await assessments.abandon(personIdOf(request), request.params.id, request.ip);
    request.session.assessmentPage = undefined;
    return reply.redirect('/assessments/new', 303);
  });
}
