/**
 * Organisation pages: your organisations (and switching between them), an organisation's
 * overview, units, people, a person's membership, removal, the audit log, and the platform
 * admin's list of every organisation and form to create one. Every page needs a signed-in
 * person. Thin: parse → service (which checks policy) → presenter → view. Field problems come
 * back from the service as OrganisationFieldError and are shown with status 422.
 *
 * Who sees what (organisations.policy.ts): members see the overview and the unit tree; line
 * managers also see the people in their part of the tree; organisation admins (and platform
 * admins) manage units and people and read the audit log. Another organisation's pages are
 * "not found"; an action one's roles do not allow is "forbidden".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import {
  parseMemberForm,
  parseOrganisationForm,
  parsePageQuery,
  parseSwitchForm,
  parseUnitForm,
} from './organisations.forms.js';
import {
  allOrganisationsPage,
  auditPage,
  memberPage,
  myOrganisationsPage,
  newOrganisationPage,
  overviewPage,
  peoplePage,
  removeMemberPage,
  unitsPage,
} from './organisations.presenter.js';
import {
  currentOrganisationId,
  LastAdminError,
  OrganisationFieldError,
  type OrganisationsService,
} from './organisations.service.js';

const VIEWS = 'organisations/views';

type OrgParams = { Params: { organisationId: string } };
type MemberParams = { Params: { organisationId: string; membershipId: string } };

export function registerOrganisationRoutes(
  app: FastifyInstance,
  organisations: OrganisationsService,
): void {
  const actorOf = (request: FastifyRequest) => organisations.actorFor(personIdOf(request));

  async function renderMine(request: FastifyRequest, reply: FastifyReply, status = 200) {
    const actor = await actorOf(request);
    const mine = await organisations.listMyOrganisations(actor);
    const current = currentOrganisationId(actor, request.session.currentOrganisationId, mine);
    const errors =
      status === 422 ? [{ field: 'organisationId', text: 'Select an organisation' }] : [];
    const view = myOrganisationsPage(mine, current, {
      isPlatformAdmin: actor.isPlatformAdmin,
      errors,
    });
    return renderPage(reply, `${VIEWS}/organisations.njk`, view, status);
  }

  app.get('/organisations', signedInOnly, (request, reply) => renderMine(request, reply));

  app.post('/organisations/switch', signedInOnly, async (request, reply) => {
    const actor = await actorOf(request);
    const { organisationId, returnTo } = parseSwitchForm(request.body);
    if (organisationId === '') return renderMine(request, reply, 422);
    organisations.ensureCanSwitchTo(actor, organisationId);
    request.session.currentOrganisationId = organisationId;
    return reply.redirect(returnTo ?? '/organisations', 303);
  });

  app.get<OrgParams>('/organisations/:organisationId', signedInOnly, async (request, reply) => {
    const actor = await actorOf(request);
    const view = await organisations.getOrganisation(actor, request.params.organisationId);
    return renderPage(reply, `${VIEWS}/overview.njk`, overviewPage(actor, view));
  });

  app.get<OrgParams & { Querystring: { added?: string } }>(
    '/organisations/:organisationId/units',
    signedInOnly,
    async (request, reply) => {
      const actor = await actorOf(request);
      const view = await organisations.getOrganisation(actor, request.params.organisationId);
      // The unit just added, by id: only a name from the tree is ever shown.
      const added = view.units.get(request.query.added ?? '')
        ? view.units.pathText(request.query.added ?? '')
        : undefined;
      return renderPage(reply, `${VIEWS}/units.njk`, unitsPage(actor, view, { added }));
    },
  );

  app.post<OrgParams>(
    '/organisations/:organisationId/units',
    signedInOnly,
    async (request, reply) => {
      const { organisationId } = request.params;
      const actor = await actorOf(request);
      const values = parseUnitForm(request.body);
      let unitId: string;
      try {
        unitId = (await organisations.addUnit(actor, organisationId, values, request.ip)).id;
      } catch (error) {
        if (!(error instanceof OrganisationFieldError)) throw error;
        const view = await organisations.getOrganisation(actor, organisationId);
        const page = unitsPage(actor, view, { values, errors: error.errors });
        return renderPage(reply, `${VIEWS}/units.njk`, page, 422);
      }
      return reply.redirect(
        `/organisations/${encodeURIComponent(organisationId)}/units?added=${encodeURIComponent(unitId)}`,
        303,
      );
    },
  );

  app.get<OrgParams & { Querystring: { removed?: string } }>(
    '/organisations/:organisationId/people',
    signedInOnly,
    async (request, reply) => {
      const { organisationId } = request.params;
      const actor = await actorOf(request);
      const list = await organisations.listPeople(actor, organisationId);
      const view = await organisations.getOrganisation(actor, organisationId);
      const notice = request.query.removed === '1' ? 'The person has been removed.' : undefined;
      return renderPage(reply, `${VIEWS}/people.njk`, peoplePage(actor, view, list, notice));
    },
  );

  app.get<MemberParams & { Querystring: { saved?: string } }>(
    '/organisations/:organisationId/people/:membershipId',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, membershipId } = request.params;
      const actor = await actorOf(request);
      const result = await organisations.getMember(actor, organisationId, membershipId);
      const page = memberPage(actor, result, { saved: request.query.saved === '1' });
      return renderPage(reply, `${VIEWS}/member.njk`, page);
    },
  );

  app.post<MemberParams>(
    '/organisations/:organisationId/people/:membershipId',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, membershipId } = request.params;
      const actor = await actorOf(request);
      const values = parseMemberForm(request.body);
      try {
        await organisations.changeMember(actor, organisationId, membershipId, values, request.ip);
      } catch (error) {
        const errors =
          error instanceof OrganisationFieldError
            ? error.errors
            : error instanceof LastAdminError
              ? [{ field: error.field, text: error.message }]
              : undefined;
        if (!errors) throw error;
        const result = await organisations.getMember(actor, organisationId, membershipId);
        const page = memberPage(actor, result, { values, errors });
        return renderPage(reply, `${VIEWS}/member.njk`, page, 422);
      }
      // Someone who took away their own access to the people pages goes to the overview.
      const after = await actorOf(request);
      const stillSees = await organisations
        .getMember(after, organisationId, membershipId)
        .then(() => true)
        .catch((error: unknown) => {
          if (error instanceof NotFoundError || error instanceof ForbiddenError) return false;
          throw error;
        });
      const base = `/organisations/${encodeURIComponent(organisationId)}`;
      return reply.redirect(
        stillSees ? `${base}/people/${encodeURIComponent(membershipId)}?saved=1` : base,
        303,
      );
    },
  );

  app.get<MemberParams>(
    '/organisations/:organisationId/people/:membershipId/remove',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, membershipId } = request.params;
      const actor = await actorOf(request);
      const result = await organisations.getMember(actor, organisationId, membershipId);
      // Only those who may remove someone get the question.
      organisations.ensureCanManage(actor, organisationId);
      return renderPage(reply, `${VIEWS}/remove-member.njk`, removeMemberPage(actor, result));
    },
  );

  app.post<MemberParams>(
    '/organisations/:organisationId/people/:membershipId/remove',
    signedInOnly,
    async (request, reply) => {
      const { organisationId, membershipId } = request.params;
      const actor = await actorOf(request);
      try {
        await organisations.removeMember(actor, organisationId, membershipId, request.ip);
      } catch (error) {
        if (!(error instanceof LastAdminError)) throw error;
        const result = await organisations.getMember(actor, organisationId, membershipId);
        const page = removeMemberPage(actor, result, error.message);
        return renderPage(reply, `${VIEWS}/remove-member.njk`, page, 409);
      }
      const removedSelf = actor.memberships.get(organisationId)?.membershipId === membershipId;
      if (removedSelf && !actor.isPlatformAdmin) return reply.redirect('/organisations', 303);
      return reply.redirect(
        `/organisations/${encodeURIComponent(organisationId)}/people?removed=1`,
        303,
      );
    },
  );

  app.get<OrgParams>(
    '/organisations/:organisationId/audit',
    signedInOnly,
    async (request, reply) => {
      const { organisationId } = request.params;
      const actor = await actorOf(request);
      const entries = await organisations.listAuditEntries(actor, organisationId, {
        page: parsePageQuery(request.query),
      });
      const view = await organisations.getOrganisation(actor, organisationId);
      return renderPage(reply, `${VIEWS}/audit.njk`, auditPage(actor, view, entries));
    },
  );

  app.get('/admin/organisations', signedInOnly, async (request, reply) => {
    const actor = await actorOf(request);
    const all = await organisations.listAllOrganisations(actor);
    return renderPage(reply, `${VIEWS}/admin-organisations.njk`, allOrganisationsPage(all));
  });

  app.get('/admin/organisations/new', signedInOnly, async (request, reply) => {
    const actor = await actorOf(request);
    organisations.ensureCanCreate(actor);
    return renderPage(reply, `${VIEWS}/new-organisation.njk`, newOrganisationPage());
  });

  app.post('/admin/organisations/new', signedInOnly, async (request, reply) => {
    const actor = await actorOf(request);
    const values = parseOrganisationForm(request.body);
    try {
      const created = await organisations.createOrganisation(actor, values, request.ip);
      return await reply.redirect(`/organisations/${encodeURIComponent(created.id)}`, 303);
    } catch (error) {
      if (!(error instanceof OrganisationFieldError)) throw error;
      const page = newOrganisationPage(values, error.errors);
      return renderPage(reply, `${VIEWS}/new-organisation.njk`, page, 422);
    }
  });
}
