/**
 * The validation service on PGlite and PostgreSQL: only the person's line managers and educators
 * may be asked, only their own evidence offered, one pending request per area; the person asked
 * sees the claim and the evidence (files included) and decides while the relationship holds; a
 * return needs a comment; a decision is final; the validated level is kept apart from the
 * person's own level, which stays as submitted. Asking, viewing, downloading and deciding are
 * audited with the request's organisation, and emails go both ways (an email that cannot be
 * sent leaves the request or decision standing, and the caller is told).
 */
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { testConfig } from '../../../test/support/test-app.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { buildApp } from '../../app.js';
import { NotFoundError } from '../../platform/errors.js';
import type { OutboxMailer } from '../../platform/mail/index.js';
import { createMemoryStorage } from '../../platform/storage/index.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import type { Actor, Role } from '../organisations/index.js';
import { makePdf } from './evidence.fixtures.js';
import { validationRequestEvidence, validationRequests } from './learning.tables.js';
import {
  ValidationClosedError,
  ValidationFieldError,
  type ValidationService,
} from './validation.service.js';

let app: FastifyInstance;
let validation: ValidationService;
let outbox: OutboxMailer;
let orgId: string;
let admin: Actor;
let platformAdmin: string;
let priya: string;
let morgan: string;
let morganMembershipId: string;
let sam: string;
let jordan: string;
let chris: string;
let eve: string;
let medicineUnit: string;
let ahpUnit: string;
let areaCode: string;
let secondArea: string;
let thirdArea: string;
let noteId: string;
let fileId: string;
let otherAreaNoteId: string;
let chrisNoteId: string;
let pdf: Buffer;

beforeAll(async () => {
  app = await buildApp(testConfig(), {
    database: await createTestDatabase(),
    logger: false,
    latestTtlMs: 0,
    storage: createMemoryStorage(),
  });
  const { services } = app;
  validation = services.validation;
  if (services.mailer.kind !== 'outbox') throw new Error('tests need the outbox mailer');
  outbox = services.mailer;
  const { organisations, database } = services;
  platformAdmin = await makePerson(database, 'Pat Platform', { platformAdmin: true });
  const org = await makeOrganisationWithAdmin(services, {
    name: 'Validation Trust',
    platformAdminId: platformAdmin,
  });
  orgId = org.organisation.id;
  admin = org.admin;
  const unit = async (names: string[]) =>
    (await database.transaction((tx) => organisations.ensureUnitPath(tx, orgId, names))).unitId;
  const ward5 = await unit(['Medicine', 'Cardiology', 'Ward 5']);
  medicineUnit = await unit(['Medicine']);
  ahpUnit = await unit(['Allied Health']);
  const join = (personId: string, roles: Role[], unitId: string | null, organisationId = orgId) =>
    organisations.addMembership({ organisationId, personId, unitId, roles });
  priya = await makePerson(database, 'Priya Sharma', { email: 'priya@validation.example.org' });
  morgan = await makePerson(database, 'Morgan Reid', { email: 'morgan@validation.example.org' });
  sam = await makePerson(database, 'Sam Taylor');
  jordan = await makePerson(database, 'Jordan Lee', { email: 'jordan@validation.example.org' });
  chris = await makePerson(database, 'Chris Colleague');
  eve = await makePerson(database, 'Eve Elsewhere');
  await join(priya, ['member'], ward5);
  morganMembershipId = (await join(morgan, ['line_manager', 'member'], medicineUnit)).id;
  await join(sam, ['line_manager'], ahpUnit);
  await join(jordan, ['educator'], null);
  await join(chris, ['member'], ward5);
  const other = await makeOrganisationWithAdmin(services, { platformAdminId: platformAdmin });
  await join(eve, ['educator'], null, other.organisation.id);

  const model = await services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const [first, second, third] = model.areas;
  if (!first || !second || !third) throw new Error('the framework needs three areas');
  areaCode = first.code;
  secondArea = second.code;
  thirdArea = third.code;
  await makeSubmittedAssessment(services, priya, {
    levels: { [areaCode]: 2, [secondArea]: 1 },
    defaultLevel: 1,
  });

  const note = (personId: string, code: string, title: string) =>
    services.evidence.add(personId, 'note', {
      areaCode: code,
      statementId: '',
      title,
      body: 'I led the rollout of a new digital observations system on the ward.',
      url: '',
      reflectionUse: '',
    });
  noteId = (await note(priya, areaCode, 'Digital observations rollout')).id;
  otherAreaNoteId = (await note(priya, secondArea, 'Data quality audit')).id;
  chrisNoteId = (await note(chris, areaCode, 'Chris’s own note')).id;
  pdf = await makePdf('Certificate of completion');
  const upload = await services.evidence.receiveUpload(Readable.from(pdf), 'certificate.pdf');
  if (!upload.ok) throw new Error(upload.error);
  fileId = (
    await services.evidence.add(
      priya,
      'file',
      {
        areaCode,
        statementId: '',
        title: 'Course certificate',
        body: '',
        url: '',
        reflectionUse: '',
      },
      upload.upload,
    )
  ).id;
}, 120_000);
afterAll(async () => {
  await app.close();
});

async function auditActions(action: string) {
  const page = await app.services.audit.listForOrganisation(orgId, { pageSize: 500 });
  return page.entries.filter((e) => e.action === action);
}

async function countRequests() {
  return (await app.services.database.db.select().from(validationRequests)).length;
}

const ask = (overrides: Partial<Parameters<ValidationService['ask']>[1]> = {}) =>
  validation.ask(priya, {
    areaCode,
    claimedLevel: 3,
    validatorPersonId: morgan,
    message: 'I have used this every day for a year.',
    evidenceIds: [noteId, fileId],
    ...overrides,
  });

async function fieldErrors(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFieldError);
  return (error as ValidationFieldError).errors;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let requestId: string;

describe('asking', () => {
  it('offers only the person’s line managers and educators, with their own levels and evidence', async () => {
    const context = await validation.askContext(priya);
    expect(context.candidates.map((c) => [c.name, c.relationship])).toEqual([
      ['Morgan Reid', 'line_manager'],
      ['Jordan Lee', 'educator'],
    ]);
    expect(context.selfLevels.get(areaCode)?.level).toBe(2);
    expect(context.evidence.map((e) => e.id).sort()).toEqual(
      [noteId, fileId, otherAreaNoteId].sort(),
    );
    expect(context.hasOrganisations).toBe(true);
    const loner = await makePerson(app.services.database, 'Lone Learner');
    const empty = await validation.askContext(loner);
    expect(empty.candidates).toEqual([]);
    expect(empty.hasOrganisations).toBe(false);
  });

  it('refuses anyone who is not a candidate, writing nothing', async () => {
    const before = await countRequests();
    for (const who of [sam, chris, eve, priya, admin.personId, platformAdmin, 'not-a-uuid']) {
      expect(await fieldErrors(ask({ validatorPersonId: who }))).toEqual([
        { field: 'validator', text: 'Select someone from the list' },
      ]);
    }
    expect(await countRequests()).toBe(before);
    expect(await auditActions('validation.requested')).toEqual([]);
  });

  it('refuses someone else’s evidence, and evidence that does not exist', async () => {
    const before = await countRequests();
    for (const ids of [[noteId, chrisNoteId], [crypto.randomUUID()], ['not-a-uuid']]) {
      expect(await fieldErrors(ask({ evidenceIds: ids }))).toEqual([
        { field: 'evidence', text: 'Select evidence from your own portfolio' },
      ]);
    }
    expect(await countRequests()).toBe(before);
  });

  it('records the request with the person’s own level, emails the person asked, and audits it', async () => {
    const sentBefore = outbox.list().length;
    const asked = await ask();
    requestId = asked.requestId;
    expect(asked.emailed).toBe(true);
    const [row] = await app.services.database.db
      .select()
      .from(validationRequests)
      .where(eq(validationRequests.id, requestId));
    expect(row).toEqual(
      expect.objectContaining({
        personId: priya,
        validatorPersonId: morgan,
        organisationId: orgId,
        areaCode,
        claimedLevel: 3,
        selfAssessedLevel: 2,
        status: 'pending',
        decidedAt: null,
      }),
    );
    const offered = await app.services.database.db
      .select()
      .from(validationRequestEvidence)
      .where(eq(validationRequestEvidence.requestId, requestId));
    expect(offered.map((o) => o.evidenceId).sort()).toEqual([noteId, fileId].sort());
    const mail = outbox.list()[0];
    expect(outbox.list().length).toBe(sentBefore + 1);
    expect(mail?.to).toBe('morgan@validation.example.org');
    expect(mail?.subject).toMatch(/^Priya Sharma asks you to validate their level in /);
    expect(mail?.text).toContain(`/validation/${requestId}`);
    const [event] = await auditActions('validation.requested');
    expect(event).toEqual(
      expect.objectContaining({
        actorPersonId: priya,
        subjectId: requestId,
        organisationId: orgId,
      }),
    );
  });

  it('allows one pending request per area', async () => {
    expect(await fieldErrors(ask({ validatorPersonId: jordan, evidenceIds: [] }))).toEqual([
      {
        field: 'areaCode',
        text: 'You have already asked for validation in this area. Withdraw that request to ask again',
      },
    ]);
    const context = await validation.askContext(priya);
    expect([...context.pendingAreas]).toEqual([areaCode]);
  });
});

describe('seeing a request', () => {
  it('shows the claim and the evidence to the person asked, auditing each view', async () => {
    const data = await validation.view(morgan, requestId, { ip: '203.0.113.9' });
    expect(data.role).toBe('validator');
    expect(data.canDecide).toBe(true);
    expect(data.canWithdraw).toBe(false);
    expect(data.request.claimedLevel).toBe(3);
    expect(data.request.selfAssessedLevel).toBe(2);
    expect(data.evidence.map((e) => e.id).sort()).toEqual([noteId, fileId].sort());
    const views = await auditActions('validation.viewed');
    expect(views).toHaveLength(1);
    expect(views[0]).toEqual(
      expect.objectContaining({ actorPersonId: morgan, ip: '203.0.113.9', organisationId: orgId }),
    );
  });

  it('shows it to the person who asked, without auditing their own views', async () => {
    const data = await validation.view(priya, requestId);
    expect(data.role).toBe('claimant');
    expect(data.canWithdraw).toBe(true);
    expect(data.canDecide).toBe(false);
    expect(await auditActions('validation.viewed')).toHaveLength(1);
  });

  it('is "not found" for everyone else, admins included', async () => {
    for (const who of [chris, sam, jordan, eve, admin.personId, platformAdmin])
      await expect(validation.view(who, requestId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(validation.view(morgan, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
    await expect(validation.view(morgan, crypto.randomUUID())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await validation.queue(jordan)).map((r) => r.id)).toEqual([]);
    expect((await validation.queue(morgan)).map((r) => r.id)).toEqual([requestId]);
  });

  it('lets the person asked download an offered file, and nothing else', async () => {
    const file = await validation.openEvidenceFile(morgan, requestId, fileId);
    expect(file.type.mime).toBe('application/pdf');
    expect((await readAll(file.stream)).equals(pdf)).toBe(true);
    expect(await auditActions('validation.evidence-downloaded')).toHaveLength(1);
    // Not offered with this request, someone else's, or not a file.
    for (const id of [otherAreaNoteId, chrisNoteId, crypto.randomUUID(), 'x'])
      await expect(validation.openEvidenceFile(morgan, requestId, id)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    await expect(validation.openEvidenceFile(morgan, requestId, noteId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    for (const who of [chris, jordan, admin.personId])
      await expect(validation.openEvidenceFile(who, requestId, fileId)).rejects.toBeInstanceOf(
        NotFoundError,
      );
  });
});

describe('deciding', () => {
  it('needs a comment to return a request', async () => {
    expect(
      await fieldErrors(
        validation.decide(morgan, requestId, { outcome: 'returned', comment: null }),
      ),
    ).toEqual([
      {
        field: 'comment',
        text: 'Enter a comment saying why you are returning it and what would help',
      },
    ]);
  });

  it('lets only the person asked decide', async () => {
    for (const who of [priya, chris, jordan, admin.personId, platformAdmin])
      await expect(
        validation.decide(who, requestId, { outcome: 'validated', comment: null }),
      ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a line manager who has moved unit, and lets them again once back', async () => {
    const move = (unitId: string) =>
      app.services.organisations.changeMember(admin, orgId, morganMembershipId, {
        unitId,
        roles: ['line_manager', 'member'],
      });
    await move(ahpUnit);
    await expect(
      validation.decide(morgan, requestId, { outcome: 'validated', comment: null }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(validation.view(morgan, requestId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(validation.openEvidenceFile(morgan, requestId, fileId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await validation.queue(morgan)).toEqual([]);
    await move(medicineUnit);
    expect((await validation.queue(morgan)).map((r) => r.id)).toEqual([requestId]);
  });

  it('confirms the level, emails the person, keeps it apart from their own level, and is final', async () => {
    const sentBefore = outbox.list().length;
    const decided = await validation.decide(
      morgan,
      requestId,
      { outcome: 'validated', comment: 'Seen it on the ward.' },
      '203.0.113.10',
    );
    expect(decided).toEqual({ emailed: true });
    const data = await validation.view(priya, requestId);
    expect(data.request.status).toBe('validated');
    expect(data.request.validatorComment).toBe('Seen it on the ward.');
    expect(data.canWithdraw).toBe(false);
    expect(outbox.list().length).toBe(sentBefore + 1);
    expect(outbox.list()[0]).toEqual(
      expect.objectContaining({
        to: 'priya@validation.example.org',
        subject: expect.stringMatching(/^Morgan Reid has validated your level in /) as unknown,
      }),
    );
    expect(await auditActions('validation.validated')).toEqual([
      expect.objectContaining({
        actorPersonId: morgan,
        subjectId: requestId,
        organisationId: orgId,
      }),
    ]);

    const validated = await validation.validatedLevels(priya);
    expect(validated).toEqual([
      expect.objectContaining({ areaCode, level: 3, validatorName: 'Morgan Reid' }),
    ]);
    // The person's own level is untouched: still 2 in their results.
    const [latest] = await app.services.results.history(priya);
    expect(latest?.results.areas.find((a) => a.areaCode === areaCode)?.level).toBe(2);

    for (const decision of [
      { outcome: 'validated' as const, comment: null },
      { outcome: 'returned' as const, comment: 'Changed my mind' },
    ])
      await expect(validation.decide(morgan, requestId, decision)).rejects.toBeInstanceOf(
        ValidationClosedError,
      );
    await expect(validation.withdraw(priya, requestId)).rejects.toBeInstanceOf(
      ValidationClosedError,
    );
    expect((await validation.view(priya, requestId)).request.status).toBe('validated');
  });

  it('returns a request with a comment, and the person may ask again', async () => {
    const { requestId: second } = await ask({
      areaCode: secondArea,
      validatorPersonId: jordan,
      claimedLevel: 2,
      evidenceIds: [otherAreaNoteId],
    });
    await validation.decide(jordan, second, {
      outcome: 'returned',
      comment: 'Please add an example.',
    });
    const data = await validation.view(priya, second);
    expect(data.request.status).toBe('returned');
    expect(data.request.validatorComment).toBe('Please add an example.');
    expect(outbox.list()[0]?.subject).toMatch(/^Jordan Lee has returned your validation request/);
    // Returned is not validated.
    expect((await validation.validatedLevels(priya)).map((v) => v.areaCode)).toEqual([areaCode]);
    const again = await ask({ areaCode: secondArea, validatorPersonId: jordan, evidenceIds: [] });
    expect(again.requestId).not.toBe(second);
  });
});

describe('withdrawing', () => {
  it('lets only the person who asked withdraw a pending request; it can then not be decided', async () => {
    const { requestId: pending } = await ask({ areaCode: thirdArea, evidenceIds: [] });
    for (const who of [morgan, chris, admin.personId])
      await expect(validation.withdraw(who, pending)).rejects.toBeInstanceOf(NotFoundError);
    await validation.withdraw(priya, pending, '203.0.113.11');
    // Again: nothing changes, nothing more is audited.
    await validation.withdraw(priya, pending);
    expect(
      (await auditActions('validation.withdrawn')).filter((e) => e.subjectId === pending),
    ).toHaveLength(1);
    await expect(
      validation.decide(morgan, pending, { outcome: 'validated', comment: null }),
    ).rejects.toBeInstanceOf(ValidationClosedError);
    expect((await validation.view(priya, pending)).request.status).toBe('withdrawn');
    // A new request for that area is allowed again.
    await ask({ areaCode: thirdArea, evidenceIds: [] });
  });
});

describe('when an email cannot be sent', () => {
  it('keeps the request and the decision, and says the email was not sent', async () => {
    const failing = vi.spyOn(outbox, 'send').mockRejectedValue(new Error('mail server down'));
    try {
      const asked = await validation.ask(chris, {
        areaCode,
        claimedLevel: 2,
        validatorPersonId: morgan,
        message: '',
        evidenceIds: [chrisNoteId],
      });
      expect(asked.emailed).toBe(false);
      expect((await validation.view(chris, asked.requestId)).request.status).toBe('pending');
      expect((await validation.queue(morgan)).map((r) => r.id)).toContain(asked.requestId);
      expect(
        await validation.decide(morgan, asked.requestId, {
          outcome: 'returned',
          comment: 'Say more.',
        }),
      ).toEqual({ emailed: false });
      expect((await validation.view(chris, asked.requestId)).request.status).toBe('returned');
      expect(failing).toHaveBeenCalledTimes(2);
    } finally {
      failing.mockRestore();
    }
  });
});

describe('the person’s data', () => {
  it('lists the overview, and exports every request they made', async () => {
    const overview = await validation.overview(priya);
    expect(overview.requests[0]?.status).toBe('pending');
    expect(overview.isValidator).toBe(false);
    const morganOverview = await validation.overview(morgan);
    expect(morganOverview.isValidator).toBe(true);
    const data = await validation.personalData(priya);
    expect(data.length).toBe(overview.requests.length);
    const validated = data.find((d) => d.id === requestId);
    expect(validated).toEqual(
      expect.objectContaining({
        claimedLevel: 3,
        selfAssessedLevelWhenAsked: 2,
        status: 'validated',
        askedOf: { name: 'Morgan Reid', organisation: 'Validation Trust' },
      }),
    );
    expect(validated?.evidenceIds.sort()).toEqual([noteId, fileId].sort());
    expect(await validation.personalData(morgan)).toEqual([]);
  });

  it('goes with the account: rows cascade when the person is erased', async () => {
    const db = app.services.database.db;
    const { people } = await import('../accounts/accounts.tables.js');
    await db.delete(people).where(eq(people.id, priya));
    expect(
      await db.select().from(validationRequests).where(eq(validationRequests.personId, priya)),
    ).toEqual([]);
    expect(await validation.validatedLevels(priya)).toEqual([]);
  });
});
