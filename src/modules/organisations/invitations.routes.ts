/**
 * Invitation pages: an organisation's invitations (revoke, resend), inviting one person,
 * uploading a roster file, and the page an invitation link opens (accept, sign in to accept, or
 * create an account and accept). Thin: parse → service (which checks policy) → presenter → view.
 *
 * The roster upload is the only multipart form: @fastify/multipart is registered for that one
 * route, with its fields attached to the body as plain values, so the CSRF check every POST gets
 * (platform/session.ts) reads `_csrf` from it like any other form. The file is kept in memory
 * (at most ROSTER_MAX_BYTES; the rest is cut off and reported), never written to disk.
 */
import multipart from '@fastify/multipart';
import { countParam, readUpload } from '../../platform/csv-upload.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError } from '../../platform/errors.js';
import { personIdOf, renderPage, signedInOnly, signedInPersonId } from '../../platform/pages.js';
import { type AccountsService, FieldProblemError } from '../accounts/index.js';
import { parseAcceptAccountForm, parseInviteForm, parseRosterUpload } from './invitations.forms.js';
import {
  acceptPage,
  type AcceptMode,
  invitationsPage,
  invitePage,
  type RosterNotice,
  rosterPage,
} from './invitations.presenter.js';
import {
  InvitationEmailMismatchError,
  InvitationFieldError,
  InvitationLinkError,
  type InvitationLinkView,
  type InvitationsService,
  RosterRejectedError,
} from './invitations.service.js';
import { organisationHref } from './organisations.presenter.js';
import type { OrganisationsService } from './organisations.service.js';
import { decodeRosterFile, ROSTER_MAX_BYTES, ROSTER_TEMPLATE_CSV } from './roster.js';

const VIEWS = 'organisations/views';
const hide = { schema: { hide: true } };

type OrgParams = { Params: { organisationId: string } };
type InvitationParams = { Params: { organisationId: string; invitationId: string } };
type TokenParams = { Params: { token: string } };

export interface InvitationRoutesDeps {
  invitations: InvitationsService;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  accounts: Pick<AccountsService, 'findPerson' | 'findPersonByEmail'>;
}

export async function registerInvitationRoutes(
  app: FastifyInstance,
  { invitations, organisations, accounts }: InvitationRoutesDeps,
): Promise<void> {
  const actorOf = (request: FastifyRequest) => organisations.actorFor(personIdOf(request));

  async function renderList(
    request: FastifyRequest<OrgParams & { Querystring: Record<string, unknown> }>,
    reply: FastifyReply,
  ) {
    const actor = await actorOf(request);
    const { organisationId } = request.params;
    const { organisation } = await invitations.organisationForAdmin(actor, organisationId);
    const list = await invitations.listInvitations(actor, organisationId);
    const q = request.query;
    const roster: RosterNotice | undefined =
      q.imported === '1'
        ? {
            invited: countParam(q.invited),
            updated: countParam(q.updated),
            unchanged: countParam(q.unchanged),
            unitsCreated: countParam(q.units),
            notSent: countParam(q.notSent),
          }
        : undefined;
    const view = invitationsPage(actor, organisation, list.invitations, {
      roster,
      sent: q.sent === '1',
      revoked: q.revoked === '1',
      resent: q.resent === '1',
    });
    return renderPage(reply, `${VIEWS}/invitations.njk`, view);
  }

  app.get<OrgParams & { Querystring: Record<string, unknown> }>(
    '/organisations/:organisationId/invitations',
    signedInOnly,
    renderList,
  );

  app.post<InvitationParams>(
    '/organisations/:organisationId/invitations/:invitationId/revoke',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, invitationId } = request.params;
      await invitations.revoke(await actorOf(request), organisationId, invitationId, request.ip);
      return reply.redirect(organisationHref(organisationId, '/invitations?revoked=1'), 303);
    },
  );

  app.post<InvitationParams>(
    '/organisations/:organisationId/invitations/:invitationId/resend',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, invitationId } = request.params;
      await invitations.resend(await actorOf(request), organisationId, invitationId, request.ip);
      return reply.redirect(organisationHref(organisationId, '/invitations?resent=1'), 303);
    },
  );

  async function renderInvite(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    form: Parameters<typeof invitePage>[2] extends infer O
      ? Omit<O & object, 'units' | 'professions'>
      : never,
    status = 200,
  ) {
    const actor = await actorOf(request);
    const { organisationId } = request.params;
    const { organisation, units } = await invitations.organisationForAdmin(actor, organisationId);
    const view = invitePage(actor, organisation, {
      units,
      professions: await invitations.professions(),
      ...form,
    });
    return renderPage(reply, `${VIEWS}/invitation-new.njk`, view, status);
  }

  app.get<OrgParams>(
    '/organisations/:organisationId/invitations/new',
    signedInOnly,
    (request, reply) => renderInvite(request, reply, {}),
  );

  app.post<OrgParams>(
    '/organisations/:organisationId/invitations/new',
    signedInOnly,
    async (request, reply) => {
      const { organisationId } = request.params;
      const actor = await actorOf(request);
      const { values, errors } = parseInviteForm(request.body);
      if (errors.length > 0) return renderInvite(request, reply, { values, errors }, 422);
      try {
        await invitations.inviteOne(
          actor,
          organisationId,
          {
            email: values.email,
            displayName: values.displayName,
            professionCode: values.professionCode || null,
            unitId: values.unitId || null,
            roles: values.roles,
          },
          request.ip,
        );
      } catch (error) {
        if (!(error instanceof InvitationFieldError)) throw error;
        const fieldErrors = [{ field: error.field, text: error.message }];
        return renderInvite(request, reply, { values, errors: fieldErrors }, 422);
      }
      return reply.redirect(organisationHref(organisationId, '/invitations?sent=1'), 303);
    },
  );

  async function renderRoster(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    options: Omit<Parameters<typeof rosterPage>[2], 'professions'> = {},
    status = 200,
  ) {
    const actor = await actorOf(request);
    const { organisationId } = request.params;
    const { organisation } = await invitations.organisationForAdmin(actor, organisationId);
    const view = rosterPage(actor, organisation, {
      professions: await invitations.professions(),
      ...options,
    });
    return renderPage(reply, `${VIEWS}/roster.njk`, view, status);
  }

  app.get<OrgParams>('/organisations/:organisationId/roster', signedInOnly, (request, reply) =>
    renderRoster(request, reply),
  );

  app.get<OrgParams>(
    '/organisations/:organisationId/roster/template.csv',
    signedInOnly,
    async (request, reply) => {
      await invitations.organisationForAdmin(await actorOf(request), request.params.organisationId);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="digicap-roster-example.csv"')
        .type('text/csv; charset=utf-8')
        .send(ROSTER_TEMPLATE_CSV);
    },
  );

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: 'keyValues',
      onFile: readUpload,
      limits: { fileSize: ROSTER_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
    });
    uploads.post<OrgParams>(
      '/organisations/:organisationId/roster',
      signedInOnly,
      async (request, reply) => {
        const { organisationId } = request.params;
        const actor = await actorOf(request);
        // Policy first: someone who may not import learns nothing about their file.
        await invitations.organisationForAdmin(actor, organisationId);
        const upload = parseRosterUpload(request.body);
        if (upload.error !== undefined)
          return renderRoster(request, reply, { fileError: upload.error }, 422);
        const decoded = upload.file.truncated
          ? decodeRosterFile(new Uint8Array(ROSTER_MAX_BYTES + 1))
          : decodeRosterFile(upload.file.bytes);
        try {
          if (!decoded.ok) throw new RosterRejectedError(decoded.problems);
          const summary = await invitations.importRoster(
            actor,
            organisationId,
            decoded.text,
            request.ip,
          );
          const query = new URLSearchParams({
            imported: '1',
            invited: String(summary.invited),
            updated: String(summary.updated),
            unchanged: String(summary.unchanged),
            units: String(summary.unitsCreated.length),
            notSent: String(summary.notSent),
          });
          return await reply.redirect(
            organisationHref(organisationId, `/invitations?${query.toString()}`),
            303,
          );
        } catch (error) {
          if (!(error instanceof RosterRejectedError)) throw error;
          return renderRoster(request, reply, { problems: error.problems }, 422);
        }
      },
    );
  });

  // --- The page an invitation link opens -------------------------------------------------

  const linkProblem = (reply: FastifyReply, error: InvitationLinkError) =>
    renderPage(
      reply,
      `${VIEWS}/invitation-problem.njk`,
      { pageTitle: 'This invitation does not work', message: error.message },
      error.statusCode,
    );

  async function renderAccept(
    request: FastifyRequest<TokenParams>,
    reply: FastifyReply,
    options: { errors?: { field: string; text: string }[]; displayName?: string } = {},
    status = 200,
  ) {
    const { token } = request.params;
    let invitation: InvitationLinkView;
    try {
      invitation = await invitations.findInvitationByToken(token);
    } catch (error) {
      if (error instanceof InvitationLinkError) return linkProblem(reply, error);
      throw error;
    }
    const personId = signedInPersonId(request);
    let mode: AcceptMode;
    if (personId) {
      const person = await accounts.findPerson(personId);
      mode =
        person?.email.toLowerCase() === invitation.email
          ? { kind: 'accept' }
          : { kind: 'mismatch' };
    } else if (await accounts.findPersonByEmail(invitation.email)) {
      mode = { kind: 'sign-in' };
    } else {
      mode = {
        kind: 'create-account',
        values: { displayName: options.displayName ?? invitation.displayName },
        errors: options.errors ?? [],
      };
    }
    return renderPage(
      reply,
      `${VIEWS}/accept-invitation.njk`,
      acceptPage(token, invitation, mode),
      status,
    );
  }

  // Looking never uses the link up: only the POSTs below do.
  app.get<TokenParams>('/invitations/:token', hide, (request, reply) =>
    renderAccept(request, reply),
  );

  app.post<TokenParams>('/invitations/:token', signedInOnly, async (request, reply) => {
    try {
      const { organisationId } = await invitations.accept(
        request.params.token,
        personIdOf(request),
        request.ip,
      );
      request.session.currentOrganisationId = organisationId;
      return await reply.redirect(organisationHref(organisationId), 303);
    } catch (error) {
      if (error instanceof InvitationLinkError) return linkProblem(reply, error);
      if (error instanceof InvitationEmailMismatchError)
        return renderAccept(request, reply, {}, 403);
      throw error;
    }
  });

  app.post<TokenParams>('/invitations/:token/account', hide, async (request, reply) => {
    const { token } = request.params;
    if (signedInPersonId(request))
      return reply.redirect(`/invitations/${encodeURIComponent(token)}`, 303);
    const { values, errors } = parseAcceptAccountForm(request.body);
    if (errors.length > 0)
      return renderAccept(request, reply, { errors, displayName: values.displayName }, 422);
    try {
      const joined = await invitations.acceptWithNewAccount(token, values, request.ip);
      // A new session id at sign-in: a session fixed before sign-in is worthless after it.
      await request.session.regenerate();
      request.session.personId = joined.personId;
      request.session.displayName = joined.displayName;
      request.session.currentOrganisationId = joined.organisationId;
      return await reply.redirect(organisationHref(joined.organisationId), 303);
    } catch (error) {
      if (error instanceof InvitationLinkError) return linkProblem(reply, error);
      if (error instanceof FieldProblemError)
        return renderAccept(
          request,
          reply,
          {
            errors: [{ field: error.field, text: error.message }],
            displayName: values.displayName,
          },
          422,
        );
      // The address has an account after all (made since the page was shown): sign in instead.
      if (error instanceof ConflictError)
        return reply.redirect(`/invitations/${encodeURIComponent(token)}`, 303);
      throw error;
    }
  });
}
