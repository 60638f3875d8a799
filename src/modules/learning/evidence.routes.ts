/**
 * Evidence pages: add (choose the area and kind, then the note, link or file), view, download a
 * file, change and delete. Every page needs a signed-in person and shows only their own evidence:
 * anyone else's is "not found". Thin: parse → service (which checks policy) → presenter → view.
 * Evidence held by a pending or validated validation request cannot be changed or deleted: its
 * change and delete pages, and their forms (a stale page, or a crafted request), answer 409 with
 * the evidence page saying why, and change nothing.
 *
 * The file upload is the only multipart form here, and @fastify/multipart is registered for that
 * one route. The file is streamed into storage rather than held in memory, but only after the
 * CSRF check and sign-in: a preValidation hook reads the form's fields up to the file (the form
 * puts `_csrf` first, as browsers send fields in page order) and leaves the file unread; the
 * platform's CSRF check and the sign-in guard run on those fields; then the handler streams the
 * file to storage with the size limit, and reads any fields after it. A request refused before
 * the handler has its file drained and dropped, so the browser still gets the answer.
 */
import { PassThrough } from 'node:stream';
import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { attachmentDisposition } from './evidence.files.js';
import {
  type AddableKind,
  type EvidenceValues,
  isAddableKind,
  parseEvidenceForm,
  parseStartForm,
} from './evidence.forms.js';
import {
  addEvidencePage,
  changeEvidencePage,
  deletePage,
  evidenceHref,
  type EvidenceNotice,
  NEW_EVIDENCE_HREF,
  newEvidenceKindHref,
  showPage,
  startPage,
  valuesOf,
} from './evidence.presenter.js';
import {
  EvidenceLockedError,
  type EvidenceService,
  type UploadOutcome,
} from './evidence.service.js';

const VIEWS = 'learning/views/evidence';

type IdParams = { Params: { id: string } };
type KindParams = { Params: { kind: string }; Querystring: Record<string, unknown> };

const queryValue = (query: unknown, name: string) => {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** A multipart request's parts, and its file part once the fields before it have been read. */
interface PendingUpload {
  parts: AsyncIterableIterator<Multipart>;
  file?: MultipartFile;
  /** The handler has taken the file (streamed it, or drained it). */
  taken: boolean;
}

const pendingUploads = new WeakMap<FastifyRequest, PendingUpload>();

const addFieldValue = (body: Record<string, string>, part: Multipart) => {
  // The first value of a name wins, as with the other forms.
  if (part.type === 'field' && typeof part.value === 'string') body[part.fieldname] ??= part.value;
};

/** preValidation: the fields up to the first file become the body; the file waits. */
async function readFieldsBeforeFile(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const parts = request.parts();
  const pending: PendingUpload = { parts, taken: false };
  pendingUploads.set(request, pending);
  const body: Record<string, string> = {};
  for (;;) {
    const next = await parts.next();
    if (next.done) break;
    if (next.value.type === 'file') {
      pending.file = next.value;
      break;
    }
    addFieldValue(body, next.value);
  }
  request.body = body;
}

/** onResponse: a file nobody took (the CSRF check or sign-in refused the request) is drained. */
function drainUntakenFile(request: FastifyRequest): Promise<void> {
  const pending = pendingUploads.get(request);
  if (pending?.file && !pending.taken) pending.file.file.resume();
  return Promise.resolve();
}

/**
 * Sends an evidence file (from `EvidenceService.openFile`) as a download. Never shown in our
 * pages' origin: downloaded, with its real type, and if a browser opens it anyway, sandboxed
 * with nothing allowed. The validation pages send offered evidence the same way.
 */
export function sendEvidenceFile(
  reply: FastifyReply,
  file: Awaited<ReturnType<EvidenceService['openFile']>>,
) {
  reply
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('content-security-policy', "default-src 'none'; sandbox; frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('cache-control', 'private, no-store')
    .type(file.type.mime);
  if (file.size !== undefined) reply.header('content-length', file.size);
  return reply.send(file.stream);
}

export interface EvidenceRoutesDeps {
  evidence: EvidenceService;
}

export async function registerEvidenceRoutes(
  app: FastifyInstance,
  { evidence }: EvidenceRoutesDeps,
): Promise<void> {
  // --- Step 1: area and kind --------------------------------------------------------------

  app.get(NEW_EVIDENCE_HREF, signedInOnly, async (request, reply) => {
    personIdOf(request);
    const { model, choices } = await evidence.formContext();
    const area = queryValue(request.query, 'area');
    const kind = queryValue(request.query, 'kind');
    const view = startPage({
      model,
      values: {
        areaCode: choices.areaCodes.has(area) ? area : '',
        kind: isAddableKind(kind) ? kind : '',
      },
      maxFileBytes: evidence.maxFileBytes,
    });
    return renderPage(reply, `${VIEWS}/new.njk`, view);
  });

  app.post(NEW_EVIDENCE_HREF, signedInOnly, async (request, reply) => {
    personIdOf(request);
    const { model, choices } = await evidence.formContext();
    const parsed = parseStartForm(request.body, choices);
    if (parsed.errors.length > 0 || !parsed.kind) {
      const view = startPage({
        model,
        values: parsed.values,
        errors: parsed.errors,
        maxFileBytes: evidence.maxFileBytes,
      });
      return renderPage(reply, `${VIEWS}/new.njk`, view, 422);
    }
    return reply.redirect(newEvidenceKindHref(parsed.kind, parsed.values.areaCode), 303);
  });

  // --- Step 2: the note, link or file --------------------------------------------------------

  async function renderAdd(
    reply: FastifyReply,
    kind: AddableKind,
    values: Partial<EvidenceValues>,
    errors: FieldError[] = [],
    reselectFile = false,
  ) {
    const { model } = await evidence.formContext();
    const view = addEvidencePage(kind, {
      model,
      values,
      errors,
      maxFileBytes: evidence.maxFileBytes,
      reselectFile,
    });
    return renderPage(reply, `${VIEWS}/form.njk`, view, errors.length > 0 ? 422 : 200);
  }

  app.get<KindParams>(`${NEW_EVIDENCE_HREF}/:kind`, signedInOnly, async (request, reply) => {
    personIdOf(request);
    const { kind } = request.params;
    if (!isAddableKind(kind)) throw new NotFoundError('We could not find that page');
    const { choices } = await evidence.formContext();
    const area = queryValue(request.query, 'area');
    // The area is chosen on the page before: without one, go back there.
    if (!choices.areaCodes.has(area))
      return reply.redirect(
        `${NEW_EVIDENCE_HREF}?${new URLSearchParams({ kind }).toString()}`,
        303,
      );
    return renderAdd(reply, kind, { areaCode: area });
  });

  /** Saves new evidence, or shows the form again (422) with the problems. */
  async function addOrShowErrors(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: AddableKind,
    body: unknown,
    file?: { outcome?: UploadOutcome },
  ) {
    const personId = personIdOf(request);
    const { choices } = await evidence.formContext();
    const { values, errors } = parseEvidenceForm(kind, body, choices, 'add');
    const outcome = file?.outcome;
    if (kind === 'file') {
      if (!outcome) errors.push({ field: 'file', text: 'Select a file' });
      else if (!outcome.ok) errors.push({ field: 'file', text: outcome.error });
    }
    // The hidden area field was changed: start again from choosing the area.
    if (errors.some((e) => e.field === 'areaCode')) {
      if (outcome?.ok) await evidence.discardUpload(outcome.upload);
      return reply.redirect(NEW_EVIDENCE_HREF, 303);
    }
    if (errors.length > 0) {
      if (outcome?.ok) await evidence.discardUpload(outcome.upload);
      // Order the summary as the page: statement, title, link or file, then note.
      const order = ['statementId', 'title', 'url', 'file', 'body'];
      errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
      return renderAdd(reply, kind, values, errors, outcome?.ok === true);
    }
    const row = await evidence.add(
      personId,
      kind,
      values,
      outcome?.ok ? outcome.upload : undefined,
    );
    return reply.redirect(`${evidenceHref(row.id)}?added=1`, 303);
  }

  for (const kind of ['note', 'link'] as const) {
    app.post(`${NEW_EVIDENCE_HREF}/${kind}`, signedInOnly, (request, reply) =>
      addOrShowErrors(request, reply, kind, request.body),
    );
  }

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      throwFileSizeLimit: false,
      limits: {
        // One byte over the limit reaches storage, which refuses it and keeps nothing.
        fileSize: evidence.maxFileBytes + 1,
        files: 1,
        fields: 10,
        parts: 12,
        fieldSize: 100_000,
        headerPairs: 20,
      },
    });
    uploads.post(
      `${NEW_EVIDENCE_HREF}/file`,
      {
        ...signedInOnly,
        preValidation: readFieldsBeforeFile,
        onResponse: drainUntakenFile,
      },
      async (request, reply) => {
        personIdOf(request);
        const body: Record<string, string> = {
          ...((request.body as Record<string, string> | undefined) ?? {}),
        };
        const pending = pendingUploads.get(request);
        let outcome: UploadOutcome | undefined;
        if (pending?.file) {
          const part = pending.file;
          pending.taken = true;
          // Storage reads from its own stream, so that refusing the file (too large) never
          // stops the request being read to its end.
          const guard = new PassThrough();
          part.file.pipe(guard);
          try {
            // A form sent with no file chosen has an empty part with no name.
            outcome =
              part.filename === '' ? undefined : await evidence.receiveUpload(guard, part.filename);
          } finally {
            part.file.unpipe(guard);
            guard.destroy();
            part.file.resume();
          }
          // Fields after the file, if the browser sent any there.
          for (;;) {
            const next = await pending.parts.next();
            if (next.done) break;
            if (next.value.type === 'file') next.value.file.resume();
            else addFieldValue(body, next.value);
          }
        }
        try {
          return await addOrShowErrors(request, reply, 'file', body, { outcome });
        } catch (error) {
          if (outcome?.ok) await evidence.discardUpload(outcome.upload);
          throw error;
        }
      },
    );
  });

  // --- One piece of evidence -----------------------------------------------------------------

  app.get<IdParams>('/portfolio/evidence/:id', signedInOnly, async (request, reply) => {
    const item = await evidence.getOwn(personIdOf(request), request.params.id);
    const q = request.query as Record<string, unknown>;
    const notice: EvidenceNotice | undefined =
      q.added === '1' ? 'added' : q.changed === '1' ? 'changed' : undefined;
    return renderPage(reply, `${VIEWS}/show.njk`, showPage(item, notice));
  });

  /** The evidence page, saying why it cannot be changed or deleted (409). */
  async function renderLocked(request: FastifyRequest<IdParams>, reply: FastifyReply) {
    const item = await evidence.getOwn(personIdOf(request), request.params.id);
    return renderPage(reply, `${VIEWS}/show.njk`, showPage(item), 409);
  }

  /** Runs a change, or shows why the evidence cannot be changed (a request holds it). */
  async function unlessLocked(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    change: () => Promise<unknown>,
  ) {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof EvidenceLockedError)) throw error;
      return renderLocked(request, reply);
    }
  }

  app.get<IdParams>('/portfolio/evidence/:id/file', signedInOnly, async (request, reply) => {
    const file = await evidence.openFile(personIdOf(request), request.params.id);
    return sendEvidenceFile(reply, file);
  });

  async function renderChange(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    values?: EvidenceValues,
    errors: FieldError[] = [],
  ) {
    const item = await evidence.getOwn(personIdOf(request), request.params.id);
    if (item.lock) return renderLocked(request, reply);
    const { model } = await evidence.formContext();
    const view = changeEvidencePage(item, {
      model,
      values: values ?? valuesOf(item),
      errors,
      maxFileBytes: evidence.maxFileBytes,
    });
    return renderPage(reply, `${VIEWS}/form.njk`, view, errors.length > 0 ? 422 : 200);
  }

  app.get<IdParams>('/portfolio/evidence/:id/edit', signedInOnly, (request, reply) =>
    renderChange(request, reply),
  );

  app.post<IdParams>('/portfolio/evidence/:id/edit', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const item = await evidence.getOwn(personId, request.params.id);
    if (item.lock) return renderLocked(request, reply);
    const { choices } = await evidence.formContext();
    const { values, errors } = parseEvidenceForm(item.kind, request.body, choices, 'change');
    if (errors.length > 0) {
      const order = ['areaCode', 'statementId', 'title', 'url', 'body', 'reflectionUse'];
      errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
      return renderChange(request, reply, values, errors);
    }
    // The service checks again, in the transaction that changes it.
    return unlessLocked(request, reply, async () => {
      await evidence.update(personId, item.id, values);
      return reply.redirect(`${evidenceHref(item.id)}?changed=1`, 303);
    });
  });

  app.get<IdParams>('/portfolio/evidence/:id/delete', signedInOnly, async (request, reply) => {
    const item = await evidence.getOwn(personIdOf(request), request.params.id);
    if (item.lock) return renderLocked(request, reply);
    return renderPage(reply, `${VIEWS}/delete.njk`, deletePage(item));
  });

  app.post<IdParams>('/portfolio/evidence/:id/delete', signedInOnly, (request, reply) =>
    unlessLocked(request, reply, async () => {
      await evidence.remove(personIdOf(request), request.params.id);
      return reply.redirect('/portfolio?deleted=1', 303);
    }),
  );
}
