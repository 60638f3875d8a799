/**
 * The evidence service on the real database (PGlite and PostgreSQL) with the bundled framework
 * and files on a real disk (a temporary folder): only the owner sees or changes evidence; uploads
 * are checked by content and size with nothing kept of a refused file; deleting evidence deletes
 * its file after the row; erasing an account deletes the person's files once the erasure has
 * committed (and not if it rolls back); the sweep removes old files nothing refers to.
 */
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makePerson } from '../../../test/support/organisations.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { findRootDir } from '../../config.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { eq } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../../platform/errors.js';
import { createMailer } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import { createLocalDiskStorage, type FileStorage } from '../../platform/storage/index.js';
import { type AccountsService, createAccountsService } from '../accounts/index.js';
import { organisations } from '../organisations/organisations.tables.js';
import {
  createFrameworkService,
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  loadFrameworkContent,
} from '../framework/index.js';
import {
  HTML_PAGE,
  makeDocx,
  makeExe,
  makePdf,
  makePlainZip,
  makePng,
  reflectionRow,
} from './evidence.fixtures.js';
import type { EvidenceValues } from './evidence.forms.js';
import { evidenceRepository } from './evidence.repository.js';
import {
  createEvidenceService,
  EvidenceLockedError,
  type EvidenceService,
} from './evidence.service.js';
import {
  learningResources,
  validationRequestEvidence,
  validationRequests,
} from './learning.tables.js';

const logger = pino({ level: 'silent' });
const MAX = 64 * 1024;
const PASSWORD = 'copper lantern meadow finch';

let database: Database;
let storageDir: string;
let storage: FileStorage;
let service: EvidenceService;
let accounts: AccountsService;
let model: FrameworkModel;
let clock = new Date('2026-11-25T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'digicap-evidence-'));
  storage = createLocalDiskStorage(storageDir);
  const frameworks = createFrameworkService({ database, latestTtlMs: 0 });
  const dir = path.join(findRootDir(), 'content', 'frameworks', DEFAULT_FRAMEWORK_SLUG);
  await frameworks.syncBundledContent([await loadFrameworkContent(dir)]);
  model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const audit = createAuditLog(database, () => clock);
  service = createEvidenceService({
    database,
    frameworks,
    storage,
    audit,
    maxFileBytes: MAX,
    logger,
    now: () => clock,
    erasureRetryDelaysMs: [0, 20, 50, 100],
  });
  accounts = createAccountsService({
    database,
    mailer: createMailer({ from: 'digicap <test@example.org>' }, logger),
    rateLimiter: createRateLimiter(database),
    audit,
    publicUrl: 'http://localhost',
  });
  accounts.onAccountErased((person, tx) => service.erasePerson(person, tx));
});
afterAll(async () => {
  await service.idle();
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});
beforeEach(() => {
  clock = new Date(clock.getTime() + 60_000);
});

/** The keys stored on disk. */
async function storedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const f of storage.list()) keys.push(f.key);
  return keys.sort();
}

const area = () => model.areas[1] ?? model.areas[0];
function values(overrides: Partial<EvidenceValues> = {}): EvidenceValues {
  const a = area();
  if (!a) throw new Error('no areas');
  return {
    areaCode: a.code,
    statementId: '',
    title: 'Led a session on the new e-prescribing system',
    body: 'I showed ten colleagues how to prescribe safely.',
    url: '',
    reflectionUse: '',
    ...overrides,
  };
}

async function upload(bytes: Buffer, name = 'certificate.pdf') {
  const outcome = await service.receiveUpload(Readable.from([bytes]), name);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.upload;
}

async function fileEvidence(personId: string, bytes?: Buffer) {
  const received = await upload(bytes ?? (await makePdf()));
  return service.add(personId, 'file', values({ title: 'Course certificate', body: '' }), received);
}

describe('adding evidence', () => {
  it('adds a note, a link and a file about an area and statement, newest first in the list', async () => {
    const personId = await makePerson(database, 'Nia Note');
    const a = area();
    const statement = a ? model.statementsInArea(a.code)[0] : undefined;
    if (!a || !statement) throw new Error('framework has no statements');
    const note = await service.add(personId, 'note', values({ statementId: statement.id }));
    clock = new Date(clock.getTime() + 1000);
    const link = await service.add(
      personId,
      'link',
      values({ title: 'Certificate', body: '', url: 'https://www.example.org/certificate/123' }),
    );
    clock = new Date(clock.getTime() + 1000);
    const file = await fileEvidence(personId);

    const list = await service.listOwn(personId);
    expect(list.map((e) => [e.kind, e.title])).toEqual([
      ['file', 'Course certificate'],
      ['link', 'Certificate'],
      ['note', 'Led a session on the new e-prescribing system'],
    ]);
    const shown = await service.getOwn(personId, note.id);
    expect(shown).toMatchObject({
      kind: 'note',
      areaCode: a.code,
      areaName: a.name,
      areaOrder: model.areas.indexOf(a),
      statement: { id: statement.id, level: statement.level, text: statement.text },
      body: 'I showed ten colleagues how to prescribe safely.',
      frameworkVersionId: model.versionInfo.versionId,
    });
    expect(link.url).toBe('https://www.example.org/certificate/123');
    expect(file).toMatchObject({
      fileName: 'certificate.pdf',
      fileType: 'application/pdf',
      url: null,
    });
    expect(await storage.exists(file.fileKey ?? '')).toBe(true);
  });

  it('refuses an area or statement that is not in the framework, and deletes the upload', async () => {
    const personId = await makePerson(database, 'Ola Oddarea');
    const received = await upload(makePng(), 'chart.png');
    await expect(
      service.add(personId, 'file', values({ areaCode: '99.9' }), received),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await storage.exists(received.key)).toBe(false);
    const other = model.areas.find((x) => x.code !== area()?.code);
    const foreign = other ? model.statementsInArea(other.code)[0] : undefined;
    await expect(
      service.add(personId, 'note', values({ statementId: foreign?.id ?? 'x' })),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await service.listOwn(personId)).toEqual([]);
  });
});

describe('uploads', () => {
  it('stores a file whose content is allowed, whatever its name', async () => {
    const received = await upload(await makePdf(), 'looks-like-a-picture.png');
    expect(received.name).toBe('looks-like-a-picture.png');
    expect(received.size).toBe((await makePdf()).length);
    expect(received.type.mime).toBe('application/pdf');
    const docx = await upload(makeDocx(), 'reflection.docx');
    expect(docx.type.label).toBe('Word document');
    await service.discardUpload(received);
    await service.discardUpload(docx);
  });

  it.each([
    ['an executable called .pdf', makeExe(), 'report.pdf', /^"report.pdf" is not a type of file/],
    ['HTML called .pdf', HTML_PAGE, 'notes.pdf', /^"notes.pdf" is not a type of file/],
    ['a ZIP called .docx', makePlainZip(), 'essay.docx', /^"essay.docx" is not a type of file/],
    ['an empty file', Buffer.alloc(0), 'empty.pdf', /^"empty.pdf" is empty/],
  ])('refuses %s and keeps nothing of it', async (_what, bytes, name, message) => {
    const before = await storedKeys();
    const outcome = await service.receiveUpload(Readable.from([bytes]), name);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatch(message);
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses a file over the size limit as it arrives, keeping nothing, not even a temporary file', async () => {
    const before = await storedKeys();
    const big = Buffer.concat([await makePdf(), Buffer.alloc(MAX)]);
    const outcome = await service.receiveUpload(
      Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
      'big.pdf',
    );
    expect(outcome).toEqual({
      ok: false,
      error: '"big.pdf" is larger than 0.1 MB. Upload a file of 0.1 MB or less',
    });
    expect(await storedKeys()).toEqual(before);
    expect(await readdir(path.join(storageDir, '.incoming'))).toEqual([]);
  });
});

describe('only the owner', () => {
  it('sees, downloads, changes and deletes their evidence; anyone else finds nothing', async () => {
    const owner = await makePerson(database, 'Owen Owner');
    const other = await makePerson(database, 'Olga Other');
    const file = await fileEvidence(owner);
    const key = file.fileKey ?? '';
    for (const attempt of [
      () => service.getOwn(other, file.id),
      () => service.openFile(other, file.id),
      () => service.update(other, file.id, values({ title: 'Mine now' })),
      () => service.remove(other, file.id),
      () => service.getOwn(owner, 'not-a-uuid'),
      () => service.getOwn(owner, '00000000-0000-4000-8000-000000000000'),
    ])
      await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect(await storage.exists(key)).toBe(true);
    expect((await service.getOwn(owner, file.id)).title).toBe('Course certificate');

    const download = await service.openFile(owner, file.id);
    expect(download).toMatchObject({ fileName: 'certificate.pdf', size: file.fileSize });
    expect(download.type.mime).toBe('application/pdf');
    expect((await text(download.stream)).startsWith('%PDF-')).toBe(true);
  });

  it('lets a validator download only evidence offered to them (the hook for validation)', async () => {
    const owner = await makePerson(database, 'Vera Valid');
    const validator = await makePerson(database, 'Victor Validator');
    const file = await fileEvidence(owner);
    await expect(service.openFile(validator, file.id)).rejects.toBeInstanceOf(NotFoundError);
    const opened = await service.openFile(validator, file.id, {
      decidingEvidenceIds: new Set([file.id]),
    });
    opened.stream.destroy();
    expect(opened.fileName).toBe('certificate.pdf');
  });

  it('changes the title, area, statement and note, and a link’s address', async () => {
    const owner = await makePerson(database, 'Cara Change');
    const link = await service.add(
      owner,
      'link',
      values({ url: 'https://www.example.org/a', body: '' }),
    );
    const target = model.areas[3];
    const statement = target ? model.statementsInArea(target.code)[1] : undefined;
    if (!target || !statement) throw new Error('framework too small');
    await service.update(
      owner,
      link.id,
      values({
        areaCode: target.code,
        statementId: statement.id,
        title: 'Renamed',
        body: 'Now with a note',
        url: 'https://www.example.org/b',
      }),
    );
    expect(await service.getOwn(owner, link.id)).toMatchObject({
      title: 'Renamed',
      areaCode: target.code,
      areaName: target.name,
      statement: { id: statement.id },
      body: 'Now with a note',
      url: 'https://www.example.org/b',
    });
    await expect(
      service.update(owner, link.id, values({ areaCode: target.code, statementId: 'nope' })),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('deletes the row first, then the file', async () => {
    const owner = await makePerson(database, 'Dee Delete');
    const file = await fileEvidence(owner);
    await service.remove(owner, file.id);
    expect(await evidenceRepository.findById(database.db, file.id)).toBeUndefined();
    expect(await storage.exists(file.fileKey ?? '')).toBe(false);
    await expect(service.getOwn(owner, file.id)).rejects.toBeInstanceOf(NotFoundError);
    const audit = await createAuditLog(database).listForPerson(owner);
    expect(audit.map((e) => e.action)).toEqual(['evidence.deleted', 'evidence.added']);
  });
});

describe('while a validation request holds it', () => {
  let orgId: string;
  let validator: string;
  beforeAll(async () => {
    const [org] = await database.db
      .insert(organisations)
      .values({ name: 'Holding Trust', type: 'trust' })
      .returning({ id: organisations.id });
    orgId = org?.id ?? '';
    validator = await makePerson(database, 'Val Validator');
  });

  /** A request by the person offering these evidence ids, in the given state (one per area). */
  async function request(personId: string, evidenceIds: string[], status: string, areaIndex = 0) {
    const a = model.areas[areaIndex];
    const [row] = await database.db
      .insert(validationRequests)
      .values({
        personId,
        validatorPersonId: validator,
        organisationId: orgId,
        frameworkVersionId: model.versionInfo.versionId,
        areaCode: a?.code ?? '',
        claimedLevel: 2,
        status,
        decidedAt: status === 'validated' || status === 'returned' ? clock : null,
      })
      .returning({ id: validationRequests.id });
    const id = row?.id ?? '';
    await database.db
      .insert(validationRequestEvidence)
      .values(evidenceIds.map((evidenceId) => ({ requestId: id, evidenceId })));
    return id;
  }
  const setStatus = (id: string, status: string) =>
    database.db
      .update(validationRequests)
      .set({ status, decidedAt: status === 'returned' ? clock : null })
      .where(eq(validationRequests.id, id));

  async function refused(attempt: Promise<unknown>, requestId: string, status: string) {
    const error: unknown = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvidenceLockedError);
    expect((error as EvidenceLockedError).lock).toEqual({ requestId, status });
    expect((error as EvidenceLockedError).statusCode).toBe(409);
  }

  it('cannot be changed or deleted while the request waits, nor once validated', async () => {
    const owner = await makePerson(database, 'Hana Held');
    const file = await fileEvidence(owner);
    const note = await service.add(owner, 'note', values({ title: 'Offered note' }));
    const pending = await request(owner, [file.id], 'pending');
    const validated = await request(owner, [note.id], 'validated');
    for (const [item, requestId, status] of [
      [file, pending, 'pending'],
      [note, validated, 'validated'],
    ] as const) {
      const before = await evidenceRepository.findById(database.db, item.id);
      expect((await service.getOwn(owner, item.id)).lock).toEqual({ requestId, status });
      await refused(
        service.update(owner, item.id, values({ title: 'Rewritten' })),
        requestId,
        status,
      );
      await refused(service.remove(owner, item.id), requestId, status);
      expect(await evidenceRepository.findById(database.db, item.id)).toEqual(before);
    }
    expect(await storage.exists(file.fileKey ?? '')).toBe(true);
    const audit = await createAuditLog(database).listForPerson(owner);
    expect(audit.map((e) => e.action)).toEqual(['evidence.added', 'evidence.added']);
  });

  it('can be changed and deleted again once the request is withdrawn or returned', async () => {
    const owner = await makePerson(database, 'Rae Released');
    const a = await service.add(owner, 'note', values({ title: 'A' }));
    const b = await service.add(owner, 'note', values({ title: 'B' }));
    const first = await request(owner, [a.id], 'pending');
    const second = await request(owner, [b.id], 'pending', 1);
    await setStatus(first, 'withdrawn');
    await setStatus(second, 'returned');
    expect((await service.getOwn(owner, a.id)).lock).toBeNull();
    await service.update(owner, a.id, values({ title: 'A, changed' }));
    expect((await service.getOwn(owner, a.id)).title).toBe('A, changed');
    await service.remove(owner, b.id);
    await expect(service.getOwn(owner, b.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('does not hold back erasing the account: everything goes', async () => {
    const email = 'held.leaver@erasure.example.org';
    const leaving = (
      await accounts.createConfirmedAccount({
        email,
        displayName: 'Held Leaver',
        password: PASSWORD,
      })
    ).personId;
    const file = await fileEvidence(leaving);
    const requestId = await request(leaving, [file.id], 'validated');
    await accounts.deleteAccount({ personId: leaving, password: PASSWORD, ip: '127.0.0.1' });
    await service.idle();
    expect(await evidenceRepository.findById(database.db, file.id)).toBeUndefined();
    expect(await storage.exists(file.fileKey ?? '')).toBe(false);
    const left = await database.db
      .select()
      .from(validationRequests)
      .where(eq(validationRequests.id, requestId));
    expect(left).toEqual([]);
  });
});

describe('reflections from the development plan', () => {
  it('are listed with the learning resource they are about', async () => {
    const owner = await makePerson(database, 'Rhys Reflect');
    const a = area();
    if (!a) throw new Error('no area');
    const [resource] = await database.db
      .insert(learningResources)
      .values({
        slug: 'test-reflection-resource',
        title: 'Example course',
        provider: 'Example provider',
        url: 'https://www.example.org/course',
        format: 'course',
        cost: 'free',
        levels: [1],
        areaCodes: [a.code],
        archetypeCodes: ['U'],
        summary: 'A course for tests.',
        curatedBy: 'tests',
      })
      .returning({ id: learningResources.id });
    await evidenceRepository.insert(
      database.db,
      reflectionRow({
        personId: owner,
        title: 'Finished: Example course',
        frameworkVersionId: model.versionInfo.versionId,
        areaCode: a.code,
        body: 'What consent means for data sharing.',
        reflectionUse: 'I will check the sharing agreement first.',
        resourceId: resource?.id ?? null,
        now: clock,
      }),
    );
    const [reflection] = await service.listOwn(owner);
    expect(reflection).toMatchObject({
      kind: 'reflection',
      reflectionUse: 'I will check the sharing agreement first.',
      resource: {
        title: 'Example course',
        provider: 'Example provider',
        url: 'https://www.example.org/course',
      },
    });
    expect(await service.personalData(owner)).toEqual([
      expect.objectContaining({
        kind: 'reflection',
        text: 'What consent means for data sharing.',
        reflectionUse: 'I will check the sharing agreement first.',
        resource: {
          title: 'Example course',
          provider: 'Example provider',
          url: 'https://www.example.org/course',
        },
        file: null,
      }),
    ]);
  });
});

describe('changing a reflection', () => {
  it('keeps the rules of marking learning done: both texts, each up to 2,000 characters', async () => {
    const owner = await makePerson(database, 'Ria Rules');
    const reflection = await evidenceRepository.insert(
      database.db,
      reflectionRow({
        personId: owner,
        frameworkVersionId: model.versionInfo.versionId,
        areaCode: area()?.code ?? '',
        now: clock,
      }),
    );
    for (const texts of [
      { body: 'Learned', reflectionUse: '' },
      { body: '', reflectionUse: 'Use' },
      { body: 'x'.repeat(2_001), reflectionUse: 'Use' },
      { body: 'Learned', reflectionUse: 'x'.repeat(2_001) },
    ])
      await expect(
        service.update(owner, reflection.id, values({ title: 'Changed', ...texts })),
      ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await service.getOwn(owner, reflection.id)).toMatchObject({
      title: 'Finished: a course',
      reflectionUse: 'How I will use it.',
    });
    await service.update(
      owner,
      reflection.id,
      values({ title: 'Changed', body: 'y'.repeat(2_000), reflectionUse: 'z'.repeat(2_000) }),
    );
    expect(await service.getOwn(owner, reflection.id)).toMatchObject({
      title: 'Changed',
      body: 'y'.repeat(2_000),
      reflectionUse: 'z'.repeat(2_000),
    });
  });
});

describe('account erasure', () => {
  async function account(name: string) {
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}@erasure.example.org`;
    return (await accounts.createConfirmedAccount({ email, displayName: name, password: PASSWORD }))
      .personId;
  }

  it('deletes the person’s files once the erasure has committed, and nobody else’s', async () => {
    const leaving = await account('Lea Leaving');
    const staying = await account('Stan Staying');
    const a = await fileEvidence(leaving);
    const b = await fileEvidence(leaving, makePng());
    await service.add(leaving, 'note', values());
    const kept = await fileEvidence(staying);
    expect(await service.personalData(leaving)).toHaveLength(3);

    await accounts.deleteAccount({ personId: leaving, password: PASSWORD, ip: '127.0.0.1' });
    await service.idle();
    expect(await storage.exists(a.fileKey ?? '')).toBe(false);
    expect(await storage.exists(b.fileKey ?? '')).toBe(false);
    expect(await storage.exists(kept.fileKey ?? '')).toBe(true);
    expect(await service.listOwn(leaving)).toEqual([]);
    expect(await service.listOwn(staying)).toHaveLength(1);
  });

  it('keeps the files when the erasure is rolled back', async () => {
    const person = await account('Rolf Rollback');
    const file = await fileEvidence(person);
    await expect(
      database.transaction(async (tx) => {
        await service.erasePerson({ personId: person }, tx);
        throw new Error('something else failed');
      }),
    ).rejects.toThrow('something else failed');
    await service.idle();
    expect(await storage.exists(file.fileKey ?? '')).toBe(true);
    expect(await service.listOwn(person)).toHaveLength(1);
  });
});

describe('sweepOrphanFiles', () => {
  it('deletes old files nothing refers to, never recent ones or referenced ones', async () => {
    const owner = await makePerson(database, 'Sid Sweep');
    const referenced = await fileEvidence(owner);
    const orphan = await upload(makePng(), 'orphan.png');
    const fresh = await upload(makePng(), 'fresh.png');
    const twoDaysAgo = new Date(clock.getTime() - 2 * 86_400_000);
    for (const key of [referenced.fileKey ?? '', orphan.key])
      await utimes(path.join(storageDir, key.slice(0, 2), key), twoDaysAgo, twoDaysAgo);
    const result = await service.sweepOrphanFiles();
    expect(result.files).toBeGreaterThanOrEqual(1);
    expect(await storage.exists(orphan.key)).toBe(false);
    expect(await storage.exists(fresh.key)).toBe(true);
    expect(await storage.exists(referenced.fileKey ?? '')).toBe(true);
  });
});
