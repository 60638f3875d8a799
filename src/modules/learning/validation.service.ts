/**
 * Validation: a person asks a line manager or an educator (exactly the people they may share
 * their results with) to confirm their level in an area, offering evidence from their portfolio.
 * The person asked sees the claim, the person's own level beside it and the evidence, and
 * confirms it or returns it with a comment; a decision is final. Every rule is in
 * validation.policy.ts (deny by default); anything not allowed is "not found".
 *
 * Self-rating and validation never mix: a validated level is kept only here, and shown beside the
 * person's own level, labelled, never averaged with it or written into their results.
 *
 * Asking, withdrawing, each view by the person asked, each evidence file they download, and each
 * decision are audited with the request's organisation, so that its admins see them. Emails go to
 * the person asked when asked, and to the person who asked when decided; an email that cannot be
 * sent is logged, the request stands, and the caller is told (the page says so).
 */
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import { ConflictError, FieldsInvalidError, NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import type { Mailer } from '../../platform/mail/index.js';
import {
  type CandidateView,
  listShareCandidates,
  type ResultsService,
} from '../assessment/index.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
} from '../framework/index.js';
import type { Actor, OrganisationsService } from '../organisations/index.js';
import type { EvidenceFileType } from './evidence.files.js';
import { evidenceRepository } from './evidence.repository.js';
import type { DescribedEvidence, EvidenceService } from './evidence.service.js';
import type { AskValues, DecisionValues } from './validation.forms.js';
import { type ValidationRole, validationPolicy } from './validation.policy.js';
import {
  type ValidatedLevelRow,
  validationRepository as repo,
  type ValidationRequestRow,
} from './validation.repository.js';

export interface ValidationServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  results: Pick<ResultsService, 'history'>;
  evidence: Pick<EvidenceService, 'listOwn' | 'describe' | 'openFile'>;
  mailer: Mailer;
  audit: AuditLog;
  /** The site's public address, for links in emails. */
  publicUrl: string;
  logger?: Pick<FastifyBaseLogger, 'warn'>;
  now?: () => Date;
}

/** An area a request can be made for, by name, with its domain. */
export interface AreaOption {
  code: string;
  name: string;
  domainName: string;
}

export interface LevelOption {
  level: number;
  name: string;
  summary: string;
}

/** The person's own level in an area in their latest results (null: marked not relevant). */
export interface SelfLevel {
  level: number | null;
  submittedAt: Date;
}

/** What the ask page needs. */
export interface AskContext {
  areas: AreaOption[];
  levels: LevelOption[];
  candidates: CandidateView[];
  /** Whether the person belongs to any organisation (to explain an empty list of candidates). */
  hasOrganisations: boolean;
  evidence: DescribedEvidence[];
  /** Own levels by area from the latest submitted results; empty when there are none. */
  selfLevels: ReadonlyMap<string, SelfLevel>;
  /** Areas with a request still waiting. */
  pendingAreas: ReadonlySet<string>;
}

/** A request with the framework's names for its area and level. */
export interface DescribedRequest extends ValidationRequestRow {
  areaName: string;
  domainName: string;
  /** The name of the level claimed ("Apply"). */
  levelName: string;
}

/** One request as a page shows it to someone who may see it. */
export interface RequestPageData {
  request: DescribedRequest;
  role: ValidationRole;
  evidence: DescribedEvidence[];
  canWithdraw: boolean;
  canDecide: boolean;
}

export interface ValidationOverview {
  requests: DescribedRequest[];
  /** Whether the person holds a role that can be asked (line manager or educator) or is asked. */
  isValidator: boolean;
  /** Requests waiting for their decision. */
  waitingCount: number;
}

/** A validated level as other pages show it beside the person's own level. */
export interface ValidatedLevel {
  areaCode: string;
  level: number;
  validatorName: string;
  validatedAt: Date;
}

/** Problems with the ask form that only the service can see (who, evidence, one pending). */
export class ValidationFieldError extends FieldsInvalidError {
  override name = 'ValidationFieldError';
}

/** The request has been decided (or withdrawn): nothing about it can change any more. */
export class ValidationClosedError extends ConflictError {
  override name = 'ValidationClosedError';
}

const notFound = () => new NotFoundError('We could not find that validation request');

const closedError = (row: { status: string }) =>
  new ValidationClosedError(
    row.status === 'withdrawn'
      ? 'This request has been withdrawn, so it can no longer be decided.'
      : 'This request has already been decided. A decision is final.',
  );

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

const notRelevant = (a: { answered: number; notRelevant: number }) =>
  a.answered === 0 && a.notRelevant > 0;

export function createValidationService({
  database,
  frameworks,
  organisations,
  results,
  evidence,
  mailer,
  audit,
  publicUrl,
  logger,
  now = () => new Date(),
}: ValidationServiceDeps) {
  const latest = () => frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);

  /** A request's framework version, or the latest if it can no longer be loaded. */
  async function modelFor(row: Pick<ValidationRequestRow, 'frameworkSlug' | 'frameworkVersion'>) {
    try {
      return await frameworks.getFramework(row.frameworkSlug, row.frameworkVersion);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return latest();
    }
  }

  function describeWith(model: FrameworkModel, row: ValidationRequestRow): DescribedRequest {
    return {
      ...row,
      areaName: model.nodesByCode.get(row.areaCode)?.name ?? `Area ${row.areaCode}`,
      domainName: model.domainOf(row.areaCode)?.name ?? '',
      levelName: model.level(row.claimedLevel)?.name ?? '',
    };
  }

  async function describeAll(rows: ValidationRequestRow[]): Promise<DescribedRequest[]> {
    const models = new Map<string, Promise<FrameworkModel>>();
    return Promise.all(
      rows.map(async (row) => {
        const key = `${row.frameworkSlug}@${String(row.frameworkVersion)}`;
        let model = models.get(key);
        if (!model) {
          model = modelFor(row);
          models.set(key, model);
        }
        return describeWith(await model, row);
      }),
    );
  }

  /** Actors by person id, each loaded once per call. */
  function actorLoader() {
    const cache = new Map<string, Promise<Actor>>();
    return (personId: string): Promise<Actor> => {
      let actor = cache.get(personId);
      if (!actor) {
        actor = organisations.actorFor(personId);
        cache.set(personId, actor);
      }
      return actor;
    };
  }

  /** The request and how the viewer may see it; "not found" when they may not. */
  async function visibleRequest(personId: string, requestId: string) {
    const row = isUuid(requestId) ? await repo.findById(database.db, requestId) : undefined;
    if (!row) throw notFound();
    const [viewer, owner] = await Promise.all([
      organisations.actorFor(personId),
      organisations.actorFor(row.personId),
    ]);
    const role = validationPolicy.roleOf(viewer, owner, row);
    if (!role) throw notFound();
    return { row, viewer, owner, role };
  }

  async function selfLevels(personId: string): Promise<Map<string, SelfLevel>> {
    const [newest] = await results.history(personId);
    if (!newest) return new Map();
    return new Map(
      newest.results.areas.map((a) => [
        a.areaCode,
        { level: notRelevant(a) ? null : a.level, submittedAt: newest.submittedAt },
      ]),
    );
  }

  /** Sends an email; whether it went (one that did not is logged, and the change stands). */
  async function send(
    to: string,
    subject: string,
    lines: string[],
    context: object,
  ): Promise<boolean> {
    try {
      await mailer.send({ to, subject, text: lines.join('\n') });
      return true;
    } catch (error) {
      logger?.warn({ err: error, ...context }, 'validation email not sent');
      return false;
    }
  }

  const requestUrl = (id: string) => `${publicUrl}/validation/${id}`;

  /**
   * One request, for the person who asked or the person asked (while the relationship holds):
   * "not found" for anyone else. Each view by the person asked is audited (not when `audit`
   * is false: the decision form shown again with its errors).
   */
  async function view(
    personId: string,
    requestId: string,
    options: { ip?: string | undefined; audit?: boolean } = {},
  ): Promise<RequestPageData> {
    const { row, viewer, owner, role } = await visibleRequest(personId, requestId);
    const offered = await repo.evidenceIdsFor(database.db, row.id);
    const [model, items] = await Promise.all([
      modelFor(row),
      evidenceRepository
        .listForPersonByIds(database.db, row.personId, offered)
        .then((list) => evidence.describe(list)),
    ]);
    // The request's area first, then the rest, each newest first.
    const sorted = [...items].sort(
      (a, b) => Number(b.areaCode === row.areaCode) - Number(a.areaCode === row.areaCode),
    );
    if (role === 'validator' && options.audit !== false)
      await audit.record({
        action: 'validation.viewed',
        actorPersonId: personId,
        subjectType: 'validation_request',
        subjectId: row.id,
        organisationId: row.organisationId,
        ip: options.ip,
        details: { personId: row.personId, areaCode: row.areaCode },
      });
    return {
      request: describeWith(model, row),
      role,
      evidence: sorted,
      canWithdraw: validationPolicy.canWithdraw(personId, row),
      canDecide: validationPolicy.canDecide(viewer, owner, row),
    };
  }

  /** Requests the person is asked to decide and may still see, pending first. */
  async function queue(personId: string): Promise<DescribedRequest[]> {
    const rows = await repo.listForValidator(database.db, personId);
    if (rows.length === 0) return [];
    const actorOf = actorLoader();
    const viewer = await actorOf(personId);
    const visible: ValidationRequestRow[] = [];
    for (const row of rows) {
      const owner = await actorOf(row.personId);
      if (validationPolicy.roleOf(viewer, owner, row) === 'validator') visible.push(row);
    }
    return describeAll(visible);
  }

  return {
    /** What the ask page offers: areas, levels, who may be asked, the person's evidence. */
    async askContext(personId: string): Promise<AskContext> {
      const [model, owner, own, levels, mine] = await Promise.all([
        latest(),
        organisations.actorFor(personId),
        evidence.listOwn(personId),
        selfLevels(personId),
        repo.listForPerson(database.db, personId),
      ]);
      const candidates = await listShareCandidates(database.db, owner);
      return {
        areas: model.areas.map((a) => ({
          code: a.code,
          name: a.name,
          domainName: model.domainOf(a.code)?.name ?? '',
        })),
        levels: model.data.levels.map((l) => ({
          level: l.level,
          name: l.name,
          summary: l.summary,
        })),
        candidates,
        hasOrganisations: owner.memberships.size > 0,
        evidence: own,
        selfLevels: levels,
        pendingAreas: new Set(mine.filter((r) => r.status === 'pending').map((r) => r.areaCode)),
      };
    },

    /**
     * Asks a share candidate of the person to validate a level, with evidence of their own.
     * Anyone else, someone else's evidence, or a second pending request for the same area are
     * field errors (ValidationFieldError). Returns the new request's id, and whether the person
     * asked was emailed.
     */
    async ask(
      personId: string,
      values: AskValues,
      ip?: string,
    ): Promise<{ requestId: string; emailed: boolean }> {
      const model = await latest();
      if (!model.nodesByCode.get(values.areaCode)?.isArea)
        throw new ValidationFieldError([
          { field: 'areaCode', text: 'Select an area from the list' },
        ]);
      const owner = await organisations.actorFor(personId);
      const candidate = isUuid(values.validatorPersonId)
        ? (await listShareCandidates(database.db, owner)).find(
            (c) => c.personId === values.validatorPersonId,
          )
        : undefined;
      const validator = candidate ? await organisations.actorFor(candidate.personId) : undefined;
      const errors: FieldError[] = [];
      if (
        !candidate ||
        !validator ||
        !validationPolicy.canAsk(owner, validator, candidate.organisationId)
      )
        errors.push({ field: 'validator', text: 'Select someone from the list' });
      const ids = values.evidenceIds;
      const owners = await repo.evidenceOwners(database.db, ids.filter(isUuid));
      if (
        !ids.every((id) =>
          validationPolicy.canOfferEvidence(
            personId,
            owners.has(id) ? { personId: owners.get(id) ?? '' } : undefined,
          ),
        )
      )
        errors.push({ field: 'evidence', text: 'Select evidence from your own portfolio' });
      const alreadyPending = () =>
        new ValidationFieldError([
          {
            field: 'areaCode',
            text: 'You have already asked for validation in this area. Withdraw that request to ask again',
          },
        ]);
      const versionId = model.versionInfo.versionId;
      if (await repo.findPending(database.db, personId, versionId, values.areaCode))
        errors.unshift(...alreadyPending().errors);
      if (errors.length > 0 || !candidate) throw new ValidationFieldError(errors);
      const self = (await selfLevels(personId)).get(values.areaCode);
      let requestId: string;
      try {
        requestId = await database.transaction(async (tx) => {
          const id = await repo.insert(tx, {
            personId,
            validatorPersonId: candidate.personId,
            organisationId: candidate.organisationId,
            frameworkVersionId: versionId,
            areaCode: values.areaCode,
            claimedLevel: values.claimedLevel,
            selfAssessedLevel: self?.level ?? null,
            message: values.message,
            evidenceIds: ids,
            now: now(),
          });
          await audit.record(
            {
              action: 'validation.requested',
              actorPersonId: personId,
              subjectType: 'validation_request',
              subjectId: id,
              organisationId: candidate.organisationId,
              ip,
              details: {
                personId: candidate.personId,
                relationship: candidate.relationship,
                areaCode: values.areaCode,
                claimedLevel: values.claimedLevel,
                evidence: ids.length,
              },
            },
            tx,
          );
          return id;
        });
      } catch (error) {
        // Two tabs or a double submit: the other one is the pending request.
        if (isUniqueViolation(error)) throw alreadyPending();
        throw error;
      }
      const row = await repo.findById(database.db, requestId);
      let emailed = false;
      if (row) {
        const described = describeWith(model, row);
        emailed = await send(
          row.validatorEmail,
          `${row.personName} asks you to validate their level in ${described.areaName}`,
          [
            `Dear ${row.validatorName},`,
            '',
            `${row.personName} asks you, as their ${candidate.relationship === 'line_manager' ? 'line manager' : 'educator'} in ${row.organisationName}, to validate their level in ${row.areaCode} ${described.areaName}: level ${String(row.claimedLevel)}${described.levelName ? ` (${described.levelName})` : ''}.`,
            '',
            'See their claim and the evidence they offer, and confirm it or return it with a comment:',
            '',
            requestUrl(row.id),
            '',
            'You need to sign in to digicap to see it.',
          ],
          { requestId: row.id },
        );
      }
      return { requestId, emailed };
    },

    /** The person's own requests, and whether they have requests to decide. */
    async overview(personId: string): Promise<ValidationOverview> {
      const [mine, waiting, actor] = await Promise.all([
        repo.listForPerson(database.db, personId),
        queue(personId),
        organisations.actorFor(personId),
      ]);
      const holdsRole = [...actor.memberships.values()].some(
        (m) => m.roles.includes('line_manager') || m.roles.includes('educator'),
      );
      return {
        requests: await describeAll(mine),
        isValidator: holdsRole || waiting.length > 0,
        waitingCount: waiting.filter((r) => r.status === 'pending').length,
      };
    },

    /** Requests the person is asked to decide and may still see, pending first. */
    queue,

    view,

    /**
     * The request page for showing the decision form again with its errors: only to the person
     * asked while they may still decide ("not found" to anyone else; ValidationClosedError once
     * decided or withdrawn). Not audited as a view.
     */
    async decisionPage(personId: string, requestId: string): Promise<RequestPageData> {
      const data = await view(personId, requestId, { audit: false });
      if (data.role !== 'validator') throw notFound();
      if (!data.canDecide) throw closedError(data.request);
      return data;
    },

    /** Withdraws the person's own pending request; withdrawing it again changes nothing. */
    async withdraw(personId: string, requestId: string, ip?: string): Promise<void> {
      const { row } = await visibleRequest(personId, requestId);
      if (row.personId !== personId) throw notFound();
      if (row.status === 'withdrawn') return;
      if (!validationPolicy.canWithdraw(personId, row))
        throw new ValidationClosedError(
          'This request has been decided, so it can no longer be withdrawn.',
        );
      await database.transaction(async (tx) => {
        if (!(await repo.withdraw(tx, row.id)))
          throw new ValidationClosedError(
            'This request has been decided, so it can no longer be withdrawn.',
          );
        await audit.record(
          {
            action: 'validation.withdrawn',
            actorPersonId: personId,
            subjectType: 'validation_request',
            subjectId: row.id,
            organisationId: row.organisationId,
            ip,
            details: { personId: row.validatorPersonId, areaCode: row.areaCode },
          },
          tx,
        );
      });
    },

    /**
     * The person asked confirms the level or returns the request with a comment. Only while it
     * is pending and the relationship holds ("not found" once it does not); a decision is final
     * (ValidationClosedError for a second one, or for a withdrawn request). Returns whether the
     * person who asked was emailed.
     */
    async decide(
      personId: string,
      requestId: string,
      decision: DecisionValues,
      ip?: string,
    ): Promise<{ emailed: boolean }> {
      const { row, viewer, owner, role } = await visibleRequest(personId, requestId);
      if (role !== 'validator') throw notFound();
      const closed = () => closedError(row);
      if (!validationPolicy.canDecide(viewer, owner, row)) throw closed();
      if (decision.outcome === 'returned' && !decision.comment)
        throw new ValidationFieldError([
          {
            field: 'comment',
            text: 'Enter a comment saying why you are returning it and what would help',
          },
        ]);
      const at = now();
      await database.transaction(async (tx) => {
        const decided = await repo.decide(tx, row.id, {
          status: decision.outcome,
          comment: decision.comment,
          now: at,
        });
        if (!decided) throw closed();
        await audit.record(
          {
            action:
              decision.outcome === 'validated' ? 'validation.validated' : 'validation.returned',
            actorPersonId: personId,
            subjectType: 'validation_request',
            subjectId: row.id,
            organisationId: row.organisationId,
            ip,
            details: {
              personId: row.personId,
              areaCode: row.areaCode,
              claimedLevel: row.claimedLevel,
            },
          },
          tx,
        );
      });
      const model = await modelFor(row);
      const { areaName } = describeWith(model, row);
      const validated = decision.outcome === 'validated';
      const emailed = await send(
        row.personEmail,
        validated
          ? `${row.validatorName} has validated your level in ${areaName}`
          : `${row.validatorName} has returned your validation request for ${areaName}`,
        [
          `Dear ${row.personName},`,
          '',
          validated
            ? `${row.validatorName} has confirmed your level ${String(row.claimedLevel)} in ${row.areaCode} ${areaName} on ${dateFormat.format(at)}. It is shown beside your own rating on your results, labelled as validated.`
            : `${row.validatorName} has returned your request to validate level ${String(row.claimedLevel)} in ${row.areaCode} ${areaName}, with a comment.`,
          ...(decision.comment ? ['', `Their comment: ${decision.comment}`] : []),
          '',
          'See your request:',
          '',
          requestUrl(row.id),
        ],
        { requestId: row.id },
      );
      return { emailed };
    },

    /**
     * A file offered with a request, for the person asked (while they may see the request) or
     * the person who asked: the evidence service streams it. Each download by the person asked
     * is audited.
     */
    async openEvidenceFile(
      personId: string,
      requestId: string,
      evidenceId: string,
      ip?: string,
    ): Promise<{
      stream: Readable;
      type: EvidenceFileType;
      fileName: string;
      size: number | undefined;
    }> {
      const { row, viewer, owner, role } = await visibleRequest(personId, requestId);
      const offered = new Set(await repo.evidenceIdsFor(database.db, row.id));
      const item = isUuid(evidenceId)
        ? await evidenceRepository.findById(database.db, evidenceId)
        : undefined;
      if (!validationPolicy.canSeeEvidence(viewer, owner, row, item, offered))
        throw new NotFoundError('We could not find that evidence');
      const file = await evidence.openFile(personId, evidenceId, {
        decidingEvidenceIds: new Set([evidenceId]),
      });
      if (role === 'validator')
        await audit.record({
          action: 'validation.evidence-downloaded',
          actorPersonId: personId,
          subjectType: 'validation_request',
          subjectId: row.id,
          organisationId: row.organisationId,
          ip,
          details: { personId: row.personId, evidenceId },
        });
      return file;
    },

    /**
     * The latest validated level per area (any framework version), with who validated it and
     * when: shown beside the person's own levels, never merged with them. Newest framework
     * order is not implied; callers match by area code.
     */
    async validatedLevels(personId: string): Promise<ValidatedLevel[]> {
      const rows: ValidatedLevelRow[] = await repo.latestValidated(database.db, personId);
      return rows.map((r) => ({
        areaCode: r.areaCode,
        level: r.level,
        validatorName: r.validatorName,
        validatedAt: r.decidedAt,
      }));
    },

    /** "Download my data": every request the person has made, whatever its status. */
    async personalData(personId: string) {
      const rows = await describeAll(await repo.listForPerson(database.db, personId));
      const offered = await Promise.all(rows.map((r) => repo.evidenceIdsFor(database.db, r.id)));
      return rows.map((r, i) => ({
        id: r.id,
        area: { code: r.areaCode, name: r.areaName },
        claimedLevel: r.claimedLevel,
        selfAssessedLevelWhenAsked: r.selfAssessedLevel,
        askedOf: { name: r.validatorName, organisation: r.organisationName },
        message: r.message,
        evidenceIds: offered[i] ?? [],
        status: r.status,
        validatorComment: r.validatorComment,
        askedAt: r.createdAt.toISOString(),
        decidedAt: r.decidedAt?.toISOString() ?? null,
      }));
    },
  };
}

export type ValidationService = ReturnType<typeof createValidationService>;
