/**
 * Sharing a submitted assessment with a line manager or an educator: who could receive it, who
 * has it, sharing and withdrawing, and the other person's read-only view. Every rule is in
 * sharing.policy.ts (deny by default). Sharing, withdrawing and every single view are audited,
 * with the organisation the share was made in, so that organisation's admins see them in its
 * audit log.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import { InvalidInputError, NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import type { Mailer } from '../../platform/mail/index.js';
import {
  type Actor,
  type OrganisationsService,
  organisationsRepository,
} from '../organisations/index.js';
import { resultsRepository } from './results.repository.js';
import {
  AssessmentNotSubmittedError,
  ownsAssessment,
  type SubmittedAssessment,
  toSubmitted,
} from './results.service.js';
import { type CandidateView, listShareCandidates } from './share-candidates.js';
import { sharingPolicy } from './sharing.policy.js';
import {
  type ReceivedShareRow,
  type ShareListRow,
  sharingRepository as repo,
} from './sharing.repository.js';

export type { CandidateView } from './share-candidates.js';

export interface SharingServiceDeps {
  database: Database;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  audit: AuditLog;
  /** Tells the person shared with (a line manager or educator) that results are waiting. */
  notify?: {
    mailer: Mailer;
    publicUrl: string;
    people: {
      findPerson(personId: string): Promise<{ email: string; displayName: string } | undefined>;
    };
    logger?: { warn(details: object, message: string): void };
  };
  now?: () => Date;
}

/** A problem with the share form's one field. */
export class SharingFieldError extends InvalidInputError {
  override name = 'SharingFieldError';
  readonly errors: FieldError[];
  constructor(text: string) {
    super(text);
    this.errors = [{ field: 'sharedWith', text }];
  }
}

const notFound = () => new NotFoundError('We could not find that assessment');

export function createSharingService({
  database,
  organisations,
  audit,
  notify,
  now = () => new Date(),
}: SharingServiceDeps) {
  /** One email to the person shared with; a failure is logged, never undoes the share. */
  async function tellRecipient(ownerId: string, recipientId: string, shareId: string) {
    if (!notify) return;
    try {
      const [owner, recipient] = await Promise.all([
        notify.people.findPerson(ownerId),
        notify.people.findPerson(recipientId),
      ]);
      if (!owner || !recipient) return;
      await notify.mailer.send({
        to: recipient.email,
        subject: `${owner.displayName} has shared their self-assessment results with you`,
        text: [
          `Hello ${recipient.displayName},`,
          '',
          `${owner.displayName} has shared the results of their digicap self-assessment with you. You can see them while they keep sharing them:`,
          '',
          `${notify.publicUrl}/shared-with-me/${shareId}`,
          '',
          'Every view is recorded in your organisation’s audit log. If you do not know why you were sent this, you can ignore it.',
        ].join('\n'),
      });
    } catch (error) {
      notify.logger?.warn({ err: error, shareId }, 'share email not sent');
    }
  }

  /**
   * The owner's submitted assessment. Their own still in progress: AssessmentNotSubmittedError
   * (they are told they can share it once submitted). Anyone else's, or none: "not found", so
   * that nobody learns which assessments exist.
   */
  async function ownedAssessment(owner: Actor, assessmentId: string): Promise<SubmittedAssessment> {
    if (!isUuid(assessmentId)) throw notFound();
    const row = await resultsRepository.findSubmitted(database.db, assessmentId);
    if (row && sharingPolicy.canManageShares(owner, { personId: row.personId, submitted: true }))
      return toSubmitted(row);
    const any = row
      ? undefined
      : await resultsRepository.findOwnerAndStatus(database.db, assessmentId);
    if (any?.status === 'in_progress' && ownsAssessment(owner.personId, any))
      throw new AssessmentNotSubmittedError(
        assessmentId,
        'You can share this assessment once you have submitted it. Continue it from your home page and submit it when you have answered every area.',
      );
    throw notFound();
  }

  /** Everyone the owner may share with, by name: line managers first, then educators. */
  const candidatesFor = (owner: Actor): Promise<CandidateView[]> =>
    listShareCandidates(database.db, owner);

  return {
    /** The sharing page: the assessment, who has it now, and who else it could go to. */
    async overview(
      personId: string,
      assessmentId: string,
    ): Promise<{
      assessment: SubmittedAssessment;
      shares: ShareListRow[];
      candidates: CandidateView[];
    }> {
      const owner = await organisations.actorFor(personId);
      const assessment = await ownedAssessment(owner, assessmentId);
      const shares = await repo.listOpenForAssessment(database.db, assessment.id);
      const sharedWith = new Set(shares.map((s) => s.sharedWithPersonId));
      const candidates = (await candidatesFor(owner)).filter((c) => !sharedWith.has(c.personId));
      return { assessment, shares, candidates };
    },

    /**
     * Shares the owner's assessment with one of their candidates (SharingFieldError for anyone
     * else). Sharing again with someone who already has it changes nothing. Returns the share.
     */
    async share(
      personId: string,
      assessmentId: string,
      sharedWithPersonId: string,
      ip?: string,
    ): Promise<{ shareId: string }> {
      const owner = await organisations.actorFor(personId);
      const assessment = await ownedAssessment(owner, assessmentId);
      if (sharedWithPersonId === '')
        throw new SharingFieldError('Select who to share your results with');
      const candidate = isUuid(sharedWithPersonId)
        ? (await candidatesFor(owner)).find((c) => c.personId === sharedWithPersonId)
        : undefined;
      // The policy has already ruled on every candidate listed; anyone else is refused.
      if (!candidate) throw new SharingFieldError('Select someone from the list');
      try {
        const made = await database.transaction(async (tx) => {
          const share = await repo.insertShare(tx, {
            assessmentId: assessment.id,
            sharedWithPersonId: candidate.personId,
            organisationId: candidate.organisationId,
            now: now(),
          });
          await audit.record(
            {
              action: 'assessment.shared',
              actorPersonId: personId,
              subjectType: 'assessment',
              subjectId: assessment.id,
              organisationId: candidate.organisationId,
              ip,
              details: {
                shareId: share.id,
                personId: candidate.personId,
                relationship: candidate.relationship,
              },
            },
            tx,
          );
          return { shareId: share.id };
        });
        await tellRecipient(personId, candidate.personId, made.shareId);
        return made;
      } catch (error) {
        // Already shared with them (two tabs, a double submit): that is what they wanted.
        if (!isUniqueViolation(error)) throw error;
        const open = await repo.listOpenForAssessment(database.db, assessment.id);
        const existing = open.find((s) => s.sharedWithPersonId === candidate.personId);
        if (!existing) throw error;
        return { shareId: existing.id };
      }
    },

    /** Withdraws one of the owner's shares; withdrawing one already withdrawn changes nothing. */
    async withdraw(
      personId: string,
      assessmentId: string,
      shareId: string,
      ip?: string,
    ): Promise<void> {
      const owner = await organisations.actorFor(personId);
      const assessment = await ownedAssessment(owner, assessmentId);
      const share = isUuid(shareId) ? await repo.findShare(database.db, shareId) : undefined;
      if (share?.assessmentId !== assessment.id)
        throw new NotFoundError('We could not find that share');
      await database.transaction(async (tx) => {
        if (!(await repo.withdrawShare(tx, share.id, now()))) return;
        await audit.record(
          {
            action: 'assessment.share-withdrawn',
            actorPersonId: personId,
            subjectType: 'assessment',
            subjectId: assessment.id,
            organisationId: share.organisationId,
            ip,
            details: { shareId: share.id, personId: share.sharedWithPersonId },
          },
          tx,
        );
      });
    },

    /** Open shares the person may see now (the relationship still holding), newest first. */
    async sharedWithMe(personId: string): Promise<ReceivedShareRow[]> {
      const viewer = await organisations.actorFor(personId);
      const rows = await repo.listOpenForRecipient(database.db, personId);
      const owners = new Map<string, Actor>();
      const visible: ReceivedShareRow[] = [];
      for (const row of rows) {
        let owner = owners.get(row.ownerPersonId);
        if (!owner) {
          owner = await organisations.actorFor(row.ownerPersonId);
          owners.set(row.ownerPersonId, owner);
        }
        if (sharingPolicy.canViewShare(viewer, owner, row)) visible.push(row);
      }
      return visible;
    },

    /**
     * The shared assessment, for the person it is shared with, while it is shared: "not found"
     * otherwise. Every view is audited.
     */
    async viewShared(
      personId: string,
      shareId: string,
      ip?: string,
    ): Promise<{ assessment: SubmittedAssessment; organisationName: string; sharedAt: Date }> {
      const share = isUuid(shareId) ? await repo.findShare(database.db, shareId) : undefined;
      const row = share
        ? await resultsRepository.findSubmitted(database.db, share.assessmentId)
        : undefined;
      if (!share || !row) throw notFound();
      const [viewer, owner] = await Promise.all([
        organisations.actorFor(personId),
        organisations.actorFor(row.personId),
      ]);
      if (!sharingPolicy.canViewShare(viewer, owner, share)) throw notFound();
      const assessment = toSubmitted(row);
      await audit.record({
        action: 'assessment.share-viewed',
        actorPersonId: personId,
        subjectType: 'assessment',
        subjectId: assessment.id,
        organisationId: share.organisationId,
        ip,
        details: { shareId: share.id, personId: assessment.personId },
      });
      const [organisation] = await organisationsRepository.listOrganisationsByIds(database.db, [
        share.organisationId,
      ]);
      return { assessment, organisationName: organisation?.name ?? '', sharedAt: share.createdAt };
    },

    /** Every share the person has made, open or withdrawn, for "download my data". */
    async personalData(personId: string) {
      const rows = await repo.listAllForOwner(database.db, personId);
      return rows.map((r) => ({
        assessmentId: r.assessmentId,
        sharedWith: r.sharedWithName,
        organisation: r.organisationName,
        sharedAt: r.createdAt.toISOString(),
        withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
      }));
    },
  };
}

export type SharingService = ReturnType<typeof createSharingService>;
