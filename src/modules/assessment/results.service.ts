/**
 * Results, the PDF report, exports, history and comparisons of a person's own submitted
 * assessments. Everything is read from the snapshot frozen at submission (results.snapshot.ts),
 * never recomputed, so a result means the same thing for ever, even after the framework has a
 * new version. Only the owner reads these (`ownsAssessment`; anything else is "not found");
 * someone an assessment is shared with reads it through sharing.service.ts.
 */
import { type Database, isUuid } from '../../platform/db/index.js';
import { ConflictError, FieldsInvalidError, NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import type { FrameworkModel, FrameworkService } from '../framework/index.js';
import type { AssessmentResults } from './assessment.model.js';
import {
  type AssessmentExport,
  assessmentCsv,
  buildAssessmentExport,
  exportedAnswers,
} from './export.js';
import type { HistoryEntry } from './history.presenter.js';
import { isoDate } from './results.presenter.js';
import { assessmentRepository } from './assessment.repository.js';
import { resultsRepository as repo, type SubmittedRow } from './results.repository.js';
import { parseResultsSnapshot } from './results.snapshot.js';
import { renderResultsPdf } from './report.pdf.js';
import type { ResultsValidatedLevel } from './results.validated.js';

export interface ResultsServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  /** The site's public address, for absolute links in the PDF. */
  publicUrl: string;
  now?: () => Date;
}

/** A submitted assessment as readers see it: who, when, and the snapshot. */
export interface SubmittedAssessment {
  id: string;
  personId: string;
  ownerName: string;
  submittedAt: Date;
  results: AssessmentResults;
}

/** The comparison form's problems, one per field, for the progress page. */
export class CompareFieldError extends FieldsInvalidError {
  override name = 'CompareFieldError';
}

/**
 * The owner asked for the results (or a report or export, or its sharing) of an assessment they
 * have not submitted yet. Only ever thrown to the owner: anyone else gets "not found". The
 * results page sends them back to its task list, the sharing page says they can share it once
 * submitted; downloads and forms answer 409 with this message.
 */
export class AssessmentNotSubmittedError extends ConflictError {
  override name = 'AssessmentNotSubmittedError';
  constructor(
    readonly assessmentId: string,
    message = 'This self-assessment has not been submitted yet, so it has no report or exports. Continue it from your home page and submit it when you have answered every area.',
  ) {
    super(message);
  }
}

/** What a results page needs besides the snapshot, from the framework's versions. */
export interface ResultsDisplayContext {
  /** Names by code from the snapshot's framework version (empty if it can't be loaded). */
  archetypeNames: Record<string, string>;
  professionNames: Record<string, string>;
  workSettingNames: Record<string, string>;
  /** The area codes of the framework's current version: the areas the explorer can show. */
  currentAreaCodes: ReadonlySet<string>;
}

/**
 * The person's levels validated by a line manager or educator, for the PDF and exports: shown
 * beside their own, never merged. Undefined when they could not be read (or the app keeps none).
 */
interface ValidatedExtra {
  validated?: readonly ResultsValidatedLevel[] | undefined;
}

/** Only the person who took an assessment reads it through this service. */
export const ownsAssessment = (personId: string, row: { personId: string }) =>
  row.personId === personId;

export function toSubmitted(row: SubmittedRow): SubmittedAssessment {
  return {
    id: row.id,
    personId: row.personId,
    ownerName: row.ownerName,
    submittedAt: row.submittedAt,
    results: parseResultsSnapshot(row.results),
  };
}

export function createResultsService({
  database,
  frameworks,
  publicUrl,
  now = () => new Date(),
}: ResultsServiceDeps) {
  /** The framework version a snapshot used, or undefined if it can no longer be loaded. */
  async function loadModel(slug: string, version: number): Promise<FrameworkModel | undefined> {
    return frameworks.getFramework(slug, version).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
  }
  const modelOf = (results: AssessmentResults) =>
    loadModel(results.frameworkSlug, results.frameworkVersion);

  /**
   * The area codes of a framework's current version (none if the framework is gone). The
   * framework explorer shows only that version, so only these areas can be linked to.
   */
  async function currentAreaCodes(slug: string): Promise<ReadonlySet<string>> {
    const current = await frameworks.getFramework(slug).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    return new Set(current?.areas.map((a) => a.code));
  }

  async function own(personId: string, id: string): Promise<SubmittedAssessment> {
    if (!isUuid(id)) throw new NotFoundError('We could not find those results');
    const row = await repo.findSubmitted(database.db, id);
    if (row && ownsAssessment(personId, row)) return toSubmitted(row);
    // The owner's own assessment still in progress: they are told so (and the results page
    // sends them to its task list). Someone else's, or none: "not found", so that nobody
    // learns which assessments exist.
    const any = row ? undefined : await repo.findOwnerAndStatus(database.db, id);
    if (any?.status === 'in_progress' && ownsAssessment(personId, any))
      throw new AssessmentNotSubmittedError(id);
    throw new NotFoundError('We could not find those results');
  }

  /** Names by code from the snapshot's framework version (empty if it can't be loaded). */
  async function namesOf(results: AssessmentResults) {
    const model = await modelOf(results);
    const byCode = (choices: readonly { code: string; name: string }[] | undefined) =>
      Object.fromEntries(choices?.map((c) => [c.code, c.name]) ?? []) as Record<string, string>;
    return {
      archetypeNames: byCode(model?.data.archetypes),
      professionNames: byCode(model?.data.professions),
      workSettingNames: byCode(model?.data.workSettings),
    };
  }

  async function archetypeNames(results: AssessmentResults): Promise<Record<string, string>> {
    return (await namesOf(results)).archetypeNames;
  }

  async function exportOf(
    assessment: SubmittedAssessment,
    { validated }: ValidatedExtra,
  ): Promise<AssessmentExport> {
    const [answers, model] = await Promise.all([
      assessmentRepository.listAnswers(database.db, assessment.id),
      modelOf(assessment.results),
    ]);
    return buildAssessmentExport({
      assessmentId: assessment.id,
      ownerName: assessment.ownerName,
      results: assessment.results,
      answers,
      model,
      validated,
      now: now(),
    });
  }

  const fileStem = (a: SubmittedAssessment) => `digicap-assessment-${isoDate(a.submittedAt)}`;

  async function history(personId: string): Promise<HistoryEntry[]> {
    const rows = await repo.listSubmittedForPerson(database.db, personId);
    return rows.map(toSubmitted);
  }

  return {
    /**
     * The person's own submitted assessment; AssessmentNotSubmittedError for their own still in
     * progress; NotFoundError otherwise.
     */
    getOwn: own,

    /** Archetype names by code from the snapshot's framework version (for display only). */
    archetypeNames,

    /**
     * Names for the snapshot's archetypes, profession and work setting (from its framework
     * version), and which of its areas the framework explorer still has: for the results pages.
     */
    async displayContext(results: AssessmentResults): Promise<ResultsDisplayContext> {
      const [names, current] = await Promise.all([
        namesOf(results),
        currentAreaCodes(results.frameworkSlug),
      ]);
      return { ...names, currentAreaCodes: current };
    },

    currentAreaCodes,

    /** Every submitted assessment of the person, newest first. */
    history,

    /**
     * Two of the person's assessments, earlier first, for comparison. Missing, malformed,
     * unknown, someone else's or identical choices are field errors (CompareFieldError).
     */
    async compare(
      personId: string,
      values: { from: string; to: string },
    ): Promise<{ from: HistoryEntry; to: HistoryEntry; history: HistoryEntry[] }> {
      const entries = await history(personId);
      const byId = new Map(entries.map((h) => [h.id, h]));
      const errors: FieldError[] = [];
      const pick = (field: 'from' | 'to', value: string, missing: string) => {
        if (value === '') errors.push({ field, text: missing });
        else if (!byId.has(value))
          errors.push({ field, text: 'Select one of your assessments from the list' });
        return byId.get(value);
      };
      const from = pick('from', values.from, 'Select the first assessment to compare');
      const to = pick('to', values.to, 'Select the assessment to compare it with');
      if (from && to && from.id === to.id)
        errors.push({ field: 'to', text: 'Select two different assessments' });
      if (errors.length > 0 || !from || !to) throw new CompareFieldError(errors);
      const [earlier, later] =
        from.submittedAt.getTime() <= to.submittedAt.getTime() ? [from, to] : [to, from];
      return { from: earlier, to: later, history: entries };
    },

    /** The JSON export, with the person's validated levels beside their own when given. */
    async exportJson(personId: string, id: string, extra: ValidatedExtra = {}) {
      const assessment = await own(personId, id);
      return { filename: `${fileStem(assessment)}.json`, data: await exportOf(assessment, extra) };
    },

    /** The CSV export, with the person's validated levels beside their own when given. */
    async exportCsv(personId: string, id: string, extra: ValidatedExtra = {}) {
      const assessment = await own(personId, id);
      return {
        filename: `${fileStem(assessment)}.csv`,
        csv: assessmentCsv(await exportOf(assessment, extra)),
      };
    },

    async reportPdf(personId: string, id: string, extra: ValidatedExtra = {}) {
      const assessment = await own(personId, id);
      const pdf = await renderResultsPdf({
        ownerName: assessment.ownerName,
        results: assessment.results,
        ...(await namesOf(assessment.results)),
        publicUrl,
        now: now(),
        validated: extra.validated,
      });
      return { filename: `${fileStem(assessment)}.pdf`, pdf };
    },

    /**
     * Every assessment of the person, in progress or submitted, with its answers (statement
     * texts and answer labels) and, once submitted, its results snapshot: for "download my data".
     */
    async personalData(personId: string) {
      const rows = await repo.listAllForPerson(database.db, personId);
      return Promise.all(
        rows.map(async (row) => {
          const [answers, model] = await Promise.all([
            assessmentRepository.listAnswers(database.db, row.id),
            loadModel(row.frameworkSlug, row.frameworkVersion),
          ]);
          return {
            id: row.id,
            status: row.status,
            mode: row.mode,
            archetypeCodes: row.archetypeCodes,
            professionCode: row.professionCode,
            workSettingCode: row.workSettingCode,
            framework: { slug: row.frameworkSlug, version: row.frameworkVersion },
            startedAt: row.startedAt.toISOString(),
            updatedAt: row.updatedAt.toISOString(),
            submittedAt: row.submittedAt?.toISOString() ?? null,
            answers: exportedAnswers(answers, model),
            results: row.results ?? null,
          };
        }),
      );
    },
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
