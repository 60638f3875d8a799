/**
 * A person's evidence: notes, links and uploaded files about an area of the framework (and
 * optionally one statement), and the reflections the development plan adds. Only the owner sees
 * or changes their evidence (evidence.policy.ts); anyone else is told "not found".
 *
 * Files: an upload is streamed into the file storage under a new random key, with the size
 * limit enforced as it arrives (nothing of an oversize file is kept), and its type is then found
 * from the stored bytes (evidence.files.ts); a file we do not accept is deleted at once. The
 * row that refers to it is written afterwards; if that fails, the file is deleted. Deleting
 * evidence deletes the row first and the file after the row is gone, so no row ever points at a
 * missing file. When an account is erased its rows go with the person (ON DELETE CASCADE) and
 * its files are deleted once that has committed (see `erasePerson`). Anything left over by a
 * crash between the two steps is removed by `sweepOrphanFiles`, run daily.
 *
 * Evidence that supports a validation request waiting for a decision or validated cannot be
 * changed or deleted (EvidenceLockedError): the person asked must decide on what they saw, and a
 * validated level keeps the record of what was validated. A returned or withdrawn request does
 * not hold it. Account erasure is not held: it removes the rows by cascade, not through here.
 */
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, type Db, isUuid } from '../../platform/db/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../platform/errors.js';
import type { Job } from '../../platform/jobs/jobs.js';
import {
  type FileStorage,
  newStorageKey,
  StoredFileNotFoundError,
  StoredFileTooLargeError,
} from '../../platform/storage/index.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
} from '../framework/index.js';
import {
  cleanFileName,
  detectEvidenceFileType,
  downloadFileName,
  type EvidenceFileType,
  evidenceFileType,
  rejectionMessage,
} from './evidence.files.js';
import type { AddableKind, EvidenceChoices, EvidenceValues } from './evidence.forms.js';
import {
  type EvidenceAccess,
  ensureCanChangeEvidence,
  ensureCanViewEvidence,
} from './evidence.policy.js';
import {
  type EvidenceListRow,
  type EvidenceLock,
  evidenceRepository as repo,
  type EvidenceRow,
} from './evidence.repository.js';
import { REFLECTION_MAX } from './plans.forms.js';

export interface EvidenceServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework' | 'listVersions'>;
  storage: FileStorage;
  audit: AuditLog;
  /** The largest file accepted, in bytes. */
  maxFileBytes: number;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /** Waits between checks when deleting an erased person's files (tests shorten them). */
  erasureRetryDelaysMs?: readonly number[];
}

/** A file that has been stored and accepted, not yet attached to any evidence. */
export interface ReceivedUpload {
  key: string;
  size: number;
  type: EvidenceFileType;
  /** The name the person gave it, cleaned for display and download. */
  name: string;
}

export type UploadOutcome = { ok: true; upload: ReceivedUpload } | { ok: false; error: string };

/** Framework text for one piece of evidence, from the version it was recorded against. */
export interface EvidenceFramework {
  areaName: string;
  /** 0-based position in the latest version's areas (framework order); later for old areas. */
  areaOrder: number;
  statement: { id: string; level: number; text: string } | null;
}

export type DescribedEvidence = EvidenceListRow & EvidenceFramework;

/** The person's own evidence, and the validation request that holds it as it is, if any. */
export type OwnEvidence = DescribedEvidence & { lock: EvidenceLock | null };

/**
 * Why evidence cannot be changed or deleted, as paragraphs. `request` words the link to the
 * request (the presenter makes it a link; the rest is plain words, nothing to escape).
 */
export function evidenceLockText(
  status: EvidenceLock['status'],
  request: (words: string) => string = (words) => words,
): string[] {
  return status === 'pending'
    ? [
        `You cannot change or delete this evidence while it supports ${request('your validation request')}, which is waiting for a decision.`,
        'To change or delete it, withdraw the request first. You can then ask again.',
      ]
    : [
        `You cannot change or delete this evidence: it supports ${request('your validation request')}, which has been validated.`,
        'It is kept as it was, as the record of what was validated.',
      ];
}

/** The evidence supports a pending or validated validation request: it stays as it is. */
export class EvidenceLockedError extends ConflictError {
  override name = 'EvidenceLockedError';
  constructor(readonly lock: EvidenceLock) {
    super(evidenceLockText(lock.status).join(' '));
  }
}

/** "10 MB" for a limit in bytes. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? String(mb) : mb.toFixed(1)} MB`;
}

/** The choices the evidence forms offer: the areas and statements of a framework version. */
export function choicesOf(model: FrameworkModel): EvidenceChoices {
  return {
    areaCodes: new Set(model.areas.map((a) => a.code)),
    statementArea: new Map(model.data.statements.map((s) => [s.id, s.areaCode])),
  };
}

const DEFAULT_ERASURE_DELAYS = [0, 250, 1_000, 5_000, 30_000, 120_000];

export function createEvidenceService({
  database,
  frameworks,
  storage,
  audit,
  maxFileBytes,
  logger,
  now = () => new Date(),
  erasureRetryDelaysMs = DEFAULT_ERASURE_DELAYS,
}: EvidenceServiceDeps) {
  const latest = () => frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  /** Background deletions of erased people's files (awaited by `idle()`). */
  const pending = new Set<Promise<void>>();
  let closed = false;

  /** Each framework version's model, by version id, loaded once per call. */
  function versionLoader() {
    const byId = new Map<number, Promise<FrameworkModel | undefined>>();
    let versions: Promise<Map<number, number>> | undefined;
    return (versionId: number): Promise<FrameworkModel | undefined> => {
      let model = byId.get(versionId);
      if (!model) {
        versions ??= frameworks
          .listVersions(DEFAULT_FRAMEWORK_SLUG)
          .then((rows) => new Map(rows.map((r) => [r.versionId, r.version])));
        model = versions.then((map) => {
          const version = map.get(versionId);
          return version === undefined
            ? undefined
            : frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG, version).catch(() => undefined);
        });
        byId.set(versionId, model);
      }
      return model;
    };
  }

  /** Adds area names, framework order and statement texts to rows. */
  async function describe(rows: EvidenceListRow[]): Promise<DescribedEvidence[]> {
    const current = await latest();
    const load = versionLoader();
    const order = new Map(current.areas.map((a, i) => [a.code, i]));
    return Promise.all(
      rows.map(async (row) => {
        const model =
          row.frameworkVersionId === current.versionInfo.versionId
            ? current
            : ((await load(row.frameworkVersionId)) ?? current);
        const area = model.nodesByCode.get(row.areaCode) ?? current.nodesByCode.get(row.areaCode);
        const statement = row.statementId ? model.statementsById.get(row.statementId) : undefined;
        return {
          ...row,
          areaName: area?.name ?? `Area ${row.areaCode}`,
          areaOrder: order.get(row.areaCode) ?? current.areas.length,
          statement: statement
            ? { id: statement.id, level: statement.level, text: statement.text }
            : null,
        };
      }),
    );
  }

  async function findOwn(personId: string, id: string): Promise<EvidenceListRow> {
    const row = isUuid(id) ? await repo.findById(database.db, id) : undefined;
    return ensureCanChangeEvidence(personId, row);
  }

  /** Checks an area (and statement) against the latest version; its id for the row. */
  async function placeIn(areaCode: string, statementId: string) {
    const model = await latest();
    const statement = statementId ? model.statementsById.get(statementId) : undefined;
    if (
      !model.nodesByCode.get(areaCode)?.isArea ||
      (statementId && statement?.areaCode !== areaCode)
    )
      throw new InvalidInputError('That area or statement is not in the framework');
    return {
      frameworkVersionId: model.versionInfo.versionId,
      areaCode,
      statementId: statement ? statement.id : null,
    };
  }

  /**
   * Inside the transaction that changes or deletes evidence: locks its row, then refuses if a
   * pending or validated request holds it. Offering evidence with a request inserts a row whose
   * foreign key takes a KEY SHARE lock on the evidence row, which FOR UPDATE conflicts with, so
   * the two are serialised: either the request waits until this change has committed (and then
   * offers the changed evidence, or fails on the deleted one), or this waits until the request
   * has committed and, each statement seeing what was committed before it (READ COMMITTED),
   * finds it and refuses. A decision or withdrawal racing this only changes whether it is held.
   */
  async function ensureUnlocked(tx: Db, id: string): Promise<void> {
    const lock = await repo.lockFor(tx, id, { forUpdate: true });
    if (lock) throw new EvidenceLockedError(lock);
  }

  async function deleteFile(key: string, why: string): Promise<void> {
    try {
      await storage.delete(key);
    } catch (error) {
      // The daily sweep removes it later: nothing refers to it any more.
      logger.error({ err: error, why }, 'could not delete an evidence file');
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) {
        resolve();
        return;
      }
      setTimeout(resolve, ms).unref();
    });

  /**
   * Deletes those of `keys` that no evidence refers to any more, checking again after each
   * delay while some still are (the erasing transaction may not have committed yet). Keys still
   * referred to at the end stay (the erasure was rolled back).
   */
  async function deleteWhenUnreferenced(keys: string[]): Promise<void> {
    let remaining = keys;
    for (const delay of erasureRetryDelaysMs) {
      await sleep(delay);
      if (closed) return;
      try {
        const referenced = await repo.referencedKeys(database.db, remaining);
        const unreferenced = remaining.filter((k) => !referenced.has(k));
        for (const key of unreferenced) await deleteFile(key, 'account erased');
        remaining = remaining.filter((k) => referenced.has(k));
      } catch (error) {
        logger.warn({ err: error }, 'could not check erased evidence files yet');
      }
      if (remaining.length === 0) return;
    }
    logger.warn(
      { files: remaining.length },
      'evidence files of an erased account are still referred to; leaving them',
    );
  }

  return {
    maxFileBytes,

    /** The latest framework version and the choices its areas and statements give the forms. */
    async formContext(): Promise<{ model: FrameworkModel; choices: EvidenceChoices }> {
      const model = await latest();
      return { model, choices: choicesOf(model) };
    },

    /**
     * Stores an upload and checks it: not larger than the limit (reading stops there and nothing
     * is kept), not empty, and of a type we accept by its content. Returns the stored file, or
     * the message to show, naming the file. The file belongs to nobody until `add` attaches it;
     * `discardUpload` it if the rest of the form is wrong.
     */
    async receiveUpload(content: Readable, declaredName: string): Promise<UploadOutcome> {
      const name = cleanFileName(declaredName);
      const key = newStorageKey();
      let size: number;
      try {
        size = await storage.put(key, content, { maxBytes: maxFileBytes });
      } catch (error) {
        if (!(error instanceof StoredFileTooLargeError)) throw error;
        return {
          ok: false,
          error: `"${name}" is larger than ${megabytes(maxFileBytes)}. Upload a file of ${megabytes(maxFileBytes)} or less`,
        };
      }
      if (size === 0) {
        await deleteFile(key, 'empty upload');
        return { ok: false, error: `"${name}" is empty. Upload a file with something in it` };
      }
      let detection;
      try {
        detection = await detectEvidenceFileType(() => storage.get(key));
      } catch (error) {
        logger.warn({ err: error }, 'could not read the type of an uploaded file');
        detection = { ok: false as const, reason: 'unknown' as const };
      }
      if (!detection.ok) {
        await deleteFile(key, 'refused upload');
        logger.info({ detected: detection.detected ?? 'nothing' }, 'evidence upload refused');
        return { ok: false, error: rejectionMessage(name, detection.reason) };
      }
      return { ok: true, upload: { key, size, type: detection.type, name } };
    },

    /** Removes an upload that will not be attached (the rest of its form had errors). */
    async discardUpload(upload: ReceivedUpload): Promise<void> {
      await deleteFile(upload.key, 'upload discarded');
    },

    /**
     * Adds evidence to the person's portfolio. A file's upload must come from `receiveUpload`;
     * if the evidence cannot be saved, the file is deleted.
     */
    async add(
      personId: string,
      kind: AddableKind,
      values: EvidenceValues,
      upload?: ReceivedUpload,
    ): Promise<EvidenceRow> {
      try {
        if (kind === 'file' && !upload) throw new InvalidInputError('A file is needed');
        const place = await placeIn(values.areaCode, values.statementId);
        return await database.transaction(async (tx) => {
          const row = await repo.insert(tx, {
            personId,
            kind,
            title: values.title,
            ...place,
            body: values.body,
            reflectionUse: null,
            url: kind === 'link' ? values.url : null,
            resourceId: null,
            goalId: null,
            fileKey: kind === 'file' && upload ? upload.key : null,
            fileName: kind === 'file' && upload ? upload.name : null,
            fileType: kind === 'file' && upload ? upload.type.mime : null,
            fileSize: kind === 'file' && upload ? upload.size : null,
            now: now(),
          });
          await audit.record(
            {
              action: 'evidence.added',
              actorPersonId: personId,
              subjectType: 'evidence',
              subjectId: row.id,
              details: { kind },
            },
            tx,
          );
          return row;
        });
      } catch (error) {
        if (upload) await deleteFile(upload.key, 'evidence not saved');
        throw error;
      }
    },

    /**
     * The person's own evidence with its framework text and the request holding it, if any;
     * "not found" for anyone else's.
     */
    async getOwn(personId: string, id: string): Promise<OwnEvidence> {
      const row = await findOwn(personId, id);
      const [[described], lock] = await Promise.all([
        describe([row]),
        repo.lockFor(database.db, row.id),
      ]);
      if (!described) throw new NotFoundError('We could not find that evidence');
      return { ...described, lock: lock ?? null };
    },

    /**
     * Changes the title, area, statement, note (and a link's address, a reflection's texts).
     * EvidenceLockedError while a pending or validated request holds it.
     */
    async update(personId: string, id: string, values: EvidenceValues): Promise<EvidenceRow> {
      const row = await findOwn(personId, id);
      // The rules of marking learning done (the form says which field is wrong).
      if (
        row.kind === 'reflection' &&
        [values.body, values.reflectionUse].some((t) => !t || t.length > REFLECTION_MAX)
      )
        throw new InvalidInputError(
          `A reflection needs what you learned and how you will use it, each ${REFLECTION_MAX.toLocaleString('en-GB')} characters or fewer`,
        );
      const place = await placeIn(values.areaCode, values.statementId);
      return database.transaction(async (tx) => {
        await ensureUnlocked(tx, row.id);
        const updated = await repo.update(
          tx,
          row.id,
          {
            title: values.title,
            ...place,
            body: values.body,
            ...(row.kind === 'reflection' ? { reflectionUse: values.reflectionUse } : {}),
            ...(row.kind === 'link' ? { url: values.url } : {}),
          },
          now(),
        );
        if (!updated) throw new NotFoundError('We could not find that evidence');
        await audit.record(
          {
            action: 'evidence.changed',
            actorPersonId: personId,
            subjectType: 'evidence',
            subjectId: row.id,
            details: { kind: row.kind },
          },
          tx,
        );
        return updated;
      });
    },

    /**
     * Deletes the evidence, then its file (after the row is gone). EvidenceLockedError while a
     * pending or validated request holds it.
     */
    async remove(personId: string, id: string): Promise<void> {
      const row = await findOwn(personId, id);
      const deleted = await database.transaction(async (tx) => {
        await ensureUnlocked(tx, row.id);
        const gone = await repo.delete(tx, row.id);
        if (!gone) throw new NotFoundError('We could not find that evidence');
        await audit.record(
          {
            action: 'evidence.deleted',
            actorPersonId: personId,
            subjectType: 'evidence',
            subjectId: row.id,
            details: { kind: row.kind },
          },
          tx,
        );
        return gone;
      });
      if (deleted.fileKey) await deleteFile(deleted.fileKey, 'evidence deleted');
    },

    /**
     * An evidence file to download: the stream, the type found from its content when it was
     * uploaded, a safe name and the size. Only for someone who may see the evidence.
     */
    async openFile(personId: string, id: string, access: EvidenceAccess = {}) {
      const row = ensureCanViewEvidence(
        personId,
        isUuid(id) ? await repo.findById(database.db, id) : undefined,
        access,
      );
      const type = evidenceFileType(row.fileType);
      if (row.kind !== 'file' || !row.fileKey || !type)
        throw new NotFoundError('That evidence has no file');
      try {
        const stream = await storage.get(row.fileKey);
        return {
          stream,
          type,
          fileName: downloadFileName(row.fileName ?? 'evidence', type),
          size: row.fileSize ?? undefined,
        };
      } catch (error) {
        if (!(error instanceof StoredFileNotFoundError)) throw error;
        logger.error({ evidenceId: row.id }, 'an evidence file is missing from storage');
        throw new NotFoundError('We could not find the file for that evidence');
      }
    },

    /** All the person's evidence, newest first, with its framework text. */
    async listOwn(personId: string): Promise<DescribedEvidence[]> {
      return describe(await repo.listForPerson(database.db, personId));
    },

    /** Framework text for rows read elsewhere (e.g. evidence offered with a request). */
    describe,

    /** "Download my data": every piece of evidence, with file details but not the files. */
    async personalData(personId: string) {
      const rows = await describe(await repo.listForPerson(database.db, personId));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        area: { code: r.areaCode, name: r.areaName },
        statement: r.statement ? { id: r.statement.id, text: r.statement.text } : null,
        text: r.body,
        reflectionUse: r.reflectionUse,
        url: r.url,
        resource: r.resource,
        file: r.fileKey ? { name: r.fileName, type: r.fileType, sizeBytes: r.fileSize } : null,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      }));
    },

    /**
     * Account erasure (accounts.onAccountErased), inside the erasing transaction: notes the
     * person's file keys, and deletes those files once no row refers to them any more, that is
     * once the transaction has committed (the rows go with the person, ON DELETE CASCADE). If it
     * rolls back, the files stay with their rows.
     */
    async erasePerson(person: { personId: string }, tx: Db): Promise<void> {
      const keys = await repo.fileKeysForPerson(tx, person.personId);
      if (keys.length === 0) return;
      const job = deleteWhenUnreferenced(keys).finally(() => pending.delete(job));
      pending.add(job);
    },

    /** Resolves when no background file deletion is in progress (for tests and shutdown). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    /**
     * Deletes stored files that no evidence refers to and that are older than `olderThanMs`
     * (so an upload between storing and saving its row is never touched), and leftovers of
     * interrupted uploads. Safe to run on several instances at once.
     */
    async sweepOrphanFiles(
      olderThanMs = 24 * 3_600_000,
    ): Promise<{ files: number; incomplete: number }> {
      const cutoff = new Date(now().getTime() - olderThanMs);
      let files = 0;
      let batch: string[] = [];
      const flush = async () => {
        const referenced = await repo.referencedKeys(database.db, batch);
        for (const key of batch.filter((k) => !referenced.has(k))) {
          if (await storage.delete(key)) files += 1;
        }
        batch = [];
      };
      for await (const file of storage.list()) {
        if (file.storedAt >= cutoff) continue;
        batch.push(file.key);
        if (batch.length >= 500) await flush();
      }
      if (batch.length > 0) await flush();
      const incomplete = await storage.purgeIncomplete(cutoff);
      return { files, incomplete };
    },

    /** Stops background work (app shutdown). */
    close(): void {
      closed = true;
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;

/** The daily sweep of stored files nothing refers to, as a scheduled job (platform/jobs). */
export function evidenceFilesSweepJob(evidence: Pick<EvidenceService, 'sweepOrphanFiles'>): Job {
  return {
    name: 'evidence-files-sweep',
    intervalMs: 24 * 3_600_000,
    run: () => evidence.sweepOrphanFiles(),
  };
}
