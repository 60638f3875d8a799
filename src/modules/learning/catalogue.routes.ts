/**
 * Catalogue pages: browse and filter (a GET form, so it works without JavaScript and every view
 * is a link), one resource, and for those who manage a catalogue: add, edit, retire and bring
 * back, CSV import and export. Thin: parse → service (which checks catalogue.policy.ts) →
 * presenter → view. Anything someone may not see is "not found"; what they may see but not
 * change is "forbidden".
 *
 * Browse and details pages are for everyone; they create no session for visitors who are not
 * signed in (no CSRF token is made for them, as there is nothing for them to post).
 *
 * The CSV import is a multipart form: @fastify/multipart is registered for that one route, with
 * its fields attached to the body as plain values, so the CSRF check every POST gets
 * (platform/session.ts) reads `_csrf` from it like any other form. The file is kept in memory (at
 * most CATALOGUE_MAX_BYTES; the rest is cut off and reported), never written to disk.
 */
import multipart from '@fastify/multipart';
import { countParam, readUpload } from '../../platform/csv-upload.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeUtf8 } from '../../platform/csv.js';
import { ForbiddenError } from '../../platform/errors.js';
import { personIdOf, renderPage, signedInOnly, signedInPersonId } from '../../platform/pages.js';
import { CATALOGUE_MAX_BYTES, type CatalogueProblem } from './catalogue.csv.js';
import {
  emptyResourceForm,
  FORM_FIELD_OF,
  parseCatalogueQuery,
  parseImportUpload,
  parseResourceForm,
  type ResourceFormValues,
  resourceFormValues,
  sortFieldErrors,
} from './catalogue.forms.js';
import {
  browsePage,
  CATALOGUE_PATH,
  importPage,
  resourceFormPage,
  resourceHref,
  resourcePage,
} from './catalogue.presenter.js';
import {
  CatalogueFieldError,
  CatalogueRejectedError,
  type CatalogueService,
  type ImportSummary,
  type ScopeView,
} from './catalogue.service.js';

const VIEWS = 'learning/views/catalogue';
const hide = { schema: { hide: true } };

type IdParams = { Params: { id: string } };
type Query = { Querystring: Record<string, unknown> };

/**
 * Notices after a change, by the `?done=` the redirect adds. A Map, not an object: `?done=__proto__`
 * must find nothing.
 */
const NOTICES = new Map([
  ['added', 'The resource has been added.'],
  ['saved', 'Your changes have been saved.'],
  ['retired', 'The resource has been retired: it is no longer shown or recommended.'],
  ['unretired', 'The resource is back in the catalogue.'],
]);

const noticeOf = (query: Record<string, unknown>) =>
  typeof query.done === 'string' ? NOTICES.get(query.done) : undefined;

/** A public page: personal when someone is signed in (never cached), a CSRF token only for them. */
function renderPublic(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  view: object,
  status = 200,
) {
  reply.header('cache-control', 'no-store');
  const csrfToken = signedInPersonId(request) ? reply.generateCsrf() : undefined;
  return reply.status(status).viewAsync(template, { ...view, csrfToken });
}

export async function registerCatalogueRoutes(
  app: FastifyInstance,
  { catalogue }: { catalogue: CatalogueService },
): Promise<void> {
  app.get<Query>(CATALOGUE_PATH, hide, async (request, reply) => {
    const terms = await catalogue.terms();
    const query = parseCatalogueQuery(request.query, terms);
    const result = await catalogue.browse(signedInPersonId(request), query.filter, {
      page: query.page,
      includeRetired: query.includeRetired,
    });
    return renderPublic(
      request,
      reply,
      `${VIEWS}/browse.njk`,
      browsePage(result, query, terms),
      query.errors.length > 0 ? 400 : 200,
    );
  });

  // --- Adding ---------------------------------------------------------------------------------

  async function renderForm(
    reply: FastifyReply,
    personId: string,
    options: {
      mode: 'add' | 'edit';
      values: ResourceFormValues;
      errors?: { field: string; text: string }[];
      resourceId?: string;
    },
    status = 200,
  ) {
    const terms = await catalogue.terms();
    if (options.mode === 'edit' && options.resourceId) {
      const view = await catalogue.resourceToEdit(personId, options.resourceId);
      return renderPage(
        reply,
        `${VIEWS}/form.njk`,
        resourceFormPage({
          ...options,
          terms,
          scopes: [],
          resource: view.resource,
          organisationName: view.organisationName,
        }),
        status,
      );
    }
    const scopes = await catalogue.managedScopes(personId);
    if (scopes.length === 0) throw new ForbiddenError('You do not manage any learning resources');
    return renderPage(
      reply,
      `${VIEWS}/form.njk`,
      resourceFormPage({ ...options, terms, scopes }),
      status,
    );
  }

  app.get<Query>(`${CATALOGUE_PATH}/new`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const scopes = await catalogue.managedScopes(personId);
    if (scopes.length === 0) throw new ForbiddenError('You do not manage any learning resources');
    const asked = typeof request.query.organisation === 'string' ? request.query.organisation : '';
    const chosen: ScopeView | undefined =
      scopes.length === 1 ? scopes[0] : scopes.find((s) => s.key === asked);
    const values = {
      ...emptyResourceForm(),
      organisation: chosen?.key ?? '',
      curatedBy: chosen ? catalogue.defaultCurator(chosen) : '',
    };
    return renderForm(reply, personId, { mode: 'add', values });
  });

  app.post(`${CATALOGUE_PATH}/new`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const terms = await catalogue.terms();
    const parsed = parseResourceForm(request.body, terms);
    const errors = [...parsed.errors];
    const scopes = await catalogue.managedScopes(personId);
    if (scopes.length === 0) throw new ForbiddenError('You do not manage any learning resources');
    if (scopes.length > 1 && !scopes.some((s) => s.key === parsed.values.organisation))
      errors.unshift({ field: 'organisation', text: 'Select who the resource is for' });
    if (errors.length > 0 || !parsed.fields)
      return renderForm(
        reply,
        personId,
        { mode: 'add', values: parsed.values, errors: sortFieldErrors(errors) },
        422,
      );
    try {
      const resource = await catalogue.add(
        personId,
        parsed.values.organisation,
        parsed.fields,
        request.ip,
      );
      return await reply.redirect(`${resourceHref(resource.id)}?done=added`, 303);
    } catch (error) {
      if (!(error instanceof CatalogueFieldError)) throw error;
      const fieldErrors = error.errors.map((e) => ({
        field: FORM_FIELD_OF[e.field],
        text: e.text,
      }));
      return renderForm(
        reply,
        personId,
        { mode: 'add', values: parsed.values, errors: fieldErrors },
        422,
      );
    }
  });

  // --- Import and export (before /:id so that their names are never taken for ids) -----------

  async function renderImport(
    reply: FastifyReply,
    personId: string,
    options: Omit<Parameters<typeof importPage>[0], 'scopes' | 'areaCodes'>,
    status = 200,
  ) {
    const scopes = await catalogue.managedScopes(personId);
    if (scopes.length === 0) throw new ForbiddenError('You do not manage any learning resources');
    const terms = await catalogue.terms();
    return renderPage(
      reply,
      `${VIEWS}/import.njk`,
      importPage({ ...options, scopes, areaCodes: terms.areaCodes }),
      status,
    );
  }

  app.get<Query>(`${CATALOGUE_PATH}/import`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const q = request.query;
    const key = typeof q.organisation === 'string' ? q.organisation : undefined;
    let imported: { summary: ImportSummary; scope: ScopeView } | undefined;
    if (q.imported === '1') {
      const scope = (await catalogue.managedScopes(personId)).find((s) => s.key === key);
      if (scope)
        imported = {
          scope,
          summary: {
            added: countParam(q.added),
            updated: countParam(q.updated),
            unchanged: countParam(q.unchanged),
          },
        };
    }
    return renderImport(reply, personId, { selected: key, imported });
  });

  app.get<Query>(`${CATALOGUE_PATH}/export.csv`, signedInOnly, async (request, reply) => {
    const key =
      typeof request.query.organisation === 'string' ? request.query.organisation : undefined;
    const { filename, csv } = await catalogue.exportCsv(personIdOf(request), key);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: 'keyValues',
      onFile: readUpload,
      limits: { fileSize: CATALOGUE_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
    });
    uploads.post(`${CATALOGUE_PATH}/import`, signedInOnly, async (request, reply) => {
      const personId = personIdOf(request);
      // Policy first: someone who may not import learns nothing about their file.
      const scopes = await catalogue.managedScopes(personId);
      if (scopes.length === 0) throw new ForbiddenError('You do not manage any learning resources');
      const upload = parseImportUpload(request.body);
      const selected = upload.organisation;
      let scope: ScopeView;
      try {
        scope = await catalogue.scopeFor(personId, selected);
      } catch (error) {
        if (!(error instanceof CatalogueFieldError)) throw error;
        return renderImport(
          reply,
          personId,
          {
            selected,
            scopeError: error.errors[0]?.text,
            fileError: upload.error,
          },
          422,
        );
      }
      if (upload.error !== undefined || !upload.file)
        return renderImport(reply, personId, { selected, fileError: upload.error }, 422);
      const rejected = (problems: CatalogueProblem[]) =>
        renderImport(reply, personId, { selected, problems }, 422);
      if (upload.file.truncated)
        return rejected([
          { message: 'The file must be smaller than 2 MB. Split it into smaller files' },
        ]);
      if (upload.file.bytes.length === 0) return rejected([{ message: 'The file is empty' }]);
      const text = decodeUtf8(upload.file.bytes);
      if (text === undefined)
        return rejected([
          {
            message:
              'The file must be saved as UTF-8 text. In Excel, choose "Save as" and the type "CSV UTF-8 (Comma delimited)"',
          },
        ]);
      try {
        const summary = await catalogue.importCsv(personId, scope.key, text, request.ip);
        const query = new URLSearchParams({
          imported: '1',
          organisation: scope.key,
          added: String(summary.added),
          updated: String(summary.updated),
          unchanged: String(summary.unchanged),
        });
        return await reply.redirect(`${CATALOGUE_PATH}/import?${query.toString()}`, 303);
      } catch (error) {
        if (!(error instanceof CatalogueRejectedError)) throw error;
        return rejected(error.problems);
      }
    });
  });

  // --- One resource ----------------------------------------------------------------------------

  app.get<IdParams & Query>(`${CATALOGUE_PATH}/:id`, hide, async (request, reply) => {
    const personId = signedInPersonId(request);
    const view = await catalogue.getResource(personId, request.params.id);
    const terms = await catalogue.terms();
    return renderPublic(
      request,
      reply,
      `${VIEWS}/resource.njk`,
      resourcePage(view, terms, {
        notice: noticeOf(request.query),
        signedIn: personId !== undefined,
      }),
    );
  });

  app.get<IdParams>(`${CATALOGUE_PATH}/:id/edit`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const view = await catalogue.resourceToEdit(personId, request.params.id);
    return renderForm(reply, personId, {
      mode: 'edit',
      values: resourceFormValues(view.resource),
      resourceId: view.resource.id,
    });
  });

  app.post<IdParams>(`${CATALOGUE_PATH}/:id/edit`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    // Policy first: someone who may not change it learns nothing from their form.
    const view = await catalogue.resourceToEdit(personId, request.params.id);
    const terms = await catalogue.terms();
    const parsed = parseResourceForm(request.body, terms);
    // The id and the catalogue never change on the edit form.
    const values = {
      ...parsed.values,
      slug: view.resource.slug,
      organisation: view.resource.organisationId ?? 'shared',
    };
    if (parsed.errors.length > 0 || !parsed.fields)
      return renderForm(
        reply,
        personId,
        { mode: 'edit', values, errors: parsed.errors, resourceId: view.resource.id },
        422,
      );
    await catalogue.edit(
      personId,
      view.resource.id,
      { ...parsed.fields, slug: view.resource.slug },
      request.ip,
    );
    return reply.redirect(`${resourceHref(view.resource.id)}?done=saved`, 303);
  });

  for (const [action, retired] of [
    ['retire', true],
    ['unretire', false],
  ] as const) {
    app.post<IdParams>(`${CATALOGUE_PATH}/:id/${action}`, signedInOnly, async (request, reply) => {
      const resource = await catalogue.setRetired(
        personIdOf(request),
        request.params.id,
        retired,
        request.ip,
      );
      return reply.redirect(
        `${resourceHref(resource.id)}?done=${retired ? 'retired' : 'unretired'}`,
        303,
      );
    });
  }
}
