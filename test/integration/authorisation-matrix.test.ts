/**
 * The authorisation matrix: every route the app registers, driven by every kind of visitor,
 * with the expected allow or deny. A route missing from the matrix fails the first test, so a
 * new page cannot ship without saying who may use it.
 *
 * Visitors (organisation A is "this" organisation; its unit tree is Medicine > Cardiology and
 * Allied Health > Physiotherapy):
 *   anonymous · member (Cardiology) · line manager of another unit (Allied Health) · line
 *   manager of this unit (Medicine, above Cardiology) · educator · admin of another organisation
 *   (B) · admin of this organisation (A) · platform admin (no membership) · insights viewer of
 *   this organisation (no unit, no other role) · insights viewer of an integrated care board
 *   that organisation A shares its insights with.
 *
 * Allowed: a 2xx or 3xx that is not a bounce to sign-in (or a listed status, e.g. 400 for a
 * made-up email link). Denied: 403 or 404, or, for anonymous visitors, a redirect to sign in.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMailer } from '../../src/platform/mail/index.js';
import { makeSubmittedAssessment } from '../support/assessments.js';
import { Browser, nextTestAddress, postMultipart, signedInBrowser } from '../support/browser.js';
import { buildTestApp } from '../support/test-app.js';

const KINDS = [
  'anonymous',
  'member',
  'lineManagerOther',
  'lineManagerThis',
  'educator',
  'adminOther',
  'adminThis',
  'platformAdmin',
  'insightsViewer',
  'icbViewer',
] as const;
type Kind = (typeof KINDS)[number];
const SIGNED_IN: Kind[] = KINDS.filter((k) => k !== 'anonymous');
const EVERYONE: Kind[] = [...KINDS];

interface Fixture {
  orgA: string;
  orgB: string;
  /** An organisation nobody in the matrix belongs to: invitations to it change nothing else. */
  orgC: string;
  /** The integrated care board organisation A shares its insights with. */
  icb: string;
  cardiology: string;
  physiotherapy: string;
  /** A learner in Cardiology (org A) whom visitors look at. */
  targetMembership: string;
  people: Record<Kind, { personId: string; email: string } | undefined>;
  /** A fresh learner in Cardiology, for cases that change or remove someone. */
  freshTarget(): Promise<string>;
  /** A fresh invitation to organisation A, for revoke and resend. */
  freshInvitation(): Promise<string>;
  /** A fresh agreement by organisation A to share its insights with the ICB. */
  freshInsightsShare(): Promise<string>;
  /** A fresh invitation link to organisation C for this email address. */
  invitationLink(email: string): Promise<string>;
}

interface Case {
  method: 'GET' | 'POST';
  route: string;
  url: (fx: Fixture, kind: Kind) => string | Promise<string>;
  payload?: (fx: Fixture, kind: Kind) => Record<string, string | string[]>;
  allow: readonly Kind[];
  /** Sends the request itself (a file upload), instead of a GET or form POST. */
  send?: (
    browser: Browser,
    fx: Fixture,
    kind: Kind,
  ) => Promise<{ response: { statusCode: number; headers: Record<string, unknown> } }>;
  /** Statuses that also count as allowed (e.g. 400 for a made-up email token). */
  allowStatus?: number[];
  /** The case ends the visitor's session: sign them in afresh afterwards. */
  endsSession?: boolean;
}

const FRAMEWORK = '/frameworks/ai-digital-healthcare';
const MEMBERS_OF_A: Kind[] = [
  'member',
  'lineManagerOther',
  'lineManagerThis',
  'educator',
  'adminThis',
  'insightsViewer',
];
/** Who manages a catalogue: educators and admins their organisation's, platform admins the shared one. */
const CATALOGUE_MANAGERS: Kind[] = ['educator', 'adminThis', 'adminOther', 'platformAdmin'];
const MEMBERS_OF_A_AND_PLATFORM: Kind[] = [...MEMBERS_OF_A, 'platformAdmin'];
const ADMINS: Kind[] = ['adminThis', 'platformAdmin'];
const orgA = (fx: Fixture, rest = '') => `/organisations/${fx.orgA}${rest}`;
const fixed = (url: string) => () => url;
const publicGet = (route: string, url = route): Case => ({
  method: 'GET',
  route,
  url: fixed(url),
  allow: EVERYONE,
});

const CASES: Case[] = [
  // Public pages and the read API: everyone.
  publicGet('/'),
  publicGet('/frameworks'),
  publicGet('/frameworks/:slug', FRAMEWORK),
  publicGet('/frameworks/:slug/domains/:code', `${FRAMEWORK}/domains/1`),
  publicGet('/frameworks/:slug/areas/:code', `${FRAMEWORK}/areas/6.3`),
  publicGet('/frameworks/:slug/statements', `${FRAMEWORK}/statements`),
  publicGet('/frameworks/:slug/statements/:id', `${FRAMEWORK}/statements/6.3-1-01`),
  publicGet('/frameworks/:slug/levels', `${FRAMEWORK}/levels`),
  publicGet('/frameworks/:slug/archetypes', `${FRAMEWORK}/archetypes`),
  publicGet('/frameworks/:slug/archetypes/:code', `${FRAMEWORK}/archetypes/U`),
  publicGet('/frameworks/:slug/versions', `${FRAMEWORK}/versions`),
  publicGet('/api/v1/frameworks'),
  publicGet('/api/v1/frameworks/:slug', '/api/v1/frameworks/ai-digital-healthcare'),
  publicGet('/api/openapi.json'),
  publicGet('/health'),
  publicGet('/privacy'),
  publicGet('/cookies'),
  publicGet('/dev/outbox'),
  {
    method: 'GET',
    route: '/dev/outbox/:id',
    url: fixed('/dev/outbox/999999'),
    allow: [],
    // Development only, and shows nothing that is not there: a made-up message is a 404 for all.
  },

  // Signing up and in: pages for everyone; signed-in people are sent on to their account.
  publicGet('/register'),
  {
    method: 'POST',
    route: '/register',
    url: fixed('/register'),
    payload: (_fx, kind) => ({
      displayName: 'Matrix Visitor',
      email: `register-${kind}@example.org`,
      password: 'velvet harbour quartz meadow',
    }),
    allow: EVERYONE,
  },
  publicGet('/register/check-your-email'),
  publicGet('/confirm-email/:token', '/confirm-email/made-up-token'),
  {
    method: 'POST',
    route: '/confirm-email/:token',
    url: fixed('/confirm-email/made-up-token'),
    allow: EVERYONE,
    allowStatus: [400],
  },
  publicGet('/sign-in'),
  {
    method: 'POST',
    route: '/sign-in',
    url: fixed('/sign-in'),
    payload: () => ({ email: 'nobody@example.org', password: 'wrong password entirely' }),
    allow: EVERYONE,
    allowStatus: [401],
  },
  publicGet('/forgotten-password'),
  {
    method: 'POST',
    route: '/forgotten-password',
    url: fixed('/forgotten-password'),
    payload: () => ({ email: 'nobody@example.org' }),
    allow: EVERYONE,
  },
  publicGet('/forgotten-password/check-your-email'),
  {
    method: 'GET',
    route: '/reset-password/:token',
    url: fixed('/reset-password/made-up-token'),
    allow: EVERYONE,
    allowStatus: [400],
  },
  {
    method: 'POST',
    route: '/reset-password/:token',
    url: fixed('/reset-password/made-up-token'),
    payload: () => ({ password: 'velvet harbour quartz meadow' }),
    allow: EVERYONE,
    allowStatus: [400],
  },
  publicGet('/account-deleted'),
  publicGet('/sign-out'),
  {
    method: 'POST',
    route: '/sign-out',
    url: fixed('/sign-out'),
    allow: EVERYONE,
    endsSession: true,
  },
  {
    method: 'POST',
    route: '/sign-out-everywhere',
    url: fixed('/sign-out-everywhere'),
    allow: EVERYONE,
    endsSession: true,
  },

  // Your own account: any signed-in person, for themselves only.
  { method: 'GET', route: '/account', url: fixed('/account'), allow: SIGNED_IN },
  { method: 'GET', route: '/account/password', url: fixed('/account/password'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/account/password',
    url: fixed('/account/password'),
    // A wrong current password: reaching the check (422) proves the page let them in.
    payload: () => ({ currentPassword: 'not my password', newPassword: 'velvet harbour quartz' }),
    allow: SIGNED_IN,
    allowStatus: [422],
  },
  { method: 'GET', route: '/account/download', url: fixed('/account/download'), allow: SIGNED_IN },
  { method: 'GET', route: '/account/delete', url: fixed('/account/delete'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/account/delete',
    url: fixed('/account/delete'),
    payload: () => ({ password: 'not my password at all' }),
    allow: SIGNED_IN,
    allowStatus: [422],
  },
  { method: 'GET', route: '/account/profile', url: fixed('/account/profile'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/account/profile',
    url: fixed('/account/profile'),
    payload: () => ({ professionCode: 'nurse', workSettingCode: '', archetypeCodes: 'U' }),
    allow: SIGNED_IN,
  },
  // Organisations. A is "this" organisation; see the header for who each visitor is.
  { method: 'GET', route: '/organisations', url: fixed('/organisations'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/organisations/switch',
    url: fixed('/organisations/switch'),
    payload: (fx) => ({ organisationId: fx.orgA }),
    allow: MEMBERS_OF_A,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId',
    url: (fx) => orgA(fx),
    allow: MEMBERS_OF_A_AND_PLATFORM,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/units',
    url: (fx) => orgA(fx, '/units'),
    allow: MEMBERS_OF_A_AND_PLATFORM,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/units',
    url: (fx) => orgA(fx, '/units'),
    payload: (_fx, kind) => ({ name: `Unit added by ${kind}`, parentId: '' }),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/people',
    url: (fx) => orgA(fx, '/people'),
    allow: ['lineManagerOther', 'lineManagerThis', 'adminThis', 'platformAdmin'],
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/people/:membershipId',
    url: (fx) => orgA(fx, `/people/${fx.targetMembership}`),
    allow: ['lineManagerThis', 'adminThis', 'platformAdmin'],
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/people/:membershipId',
    url: async (fx) => orgA(fx, `/people/${await fx.freshTarget()}`),
    payload: (fx) => ({ unitId: fx.physiotherapy, roles: 'member' }),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/people/:membershipId/remove',
    url: (fx) => orgA(fx, `/people/${fx.targetMembership}/remove`),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/people/:membershipId/remove',
    url: async (fx) => orgA(fx, `/people/${await fx.freshTarget()}/remove`),
    allow: ADMINS,
  },
  // Insights: line managers (their units), insights viewers and admins; never members or educators.
  ...['', '/export.csv', '/export.xlsx'].map((rest): Case => ({
    method: 'GET',
    route: `/organisations/:organisationId/insights${rest}`,
    url: (fx) => orgA(fx, `/insights${rest}`),
    allow: ['lineManagerOther', 'lineManagerThis', 'adminThis', 'platformAdmin', 'insightsViewer'],
  })),
  // The board's own view of what its member organisations share: its viewers and platform admins
  // only. The board's viewer never reaches organisation A's own insights (above).
  ...['', '/export.csv', '/export.xlsx'].map((rest): Case => ({
    method: 'GET',
    route: `/organisations/:organisationId/insights/shared${rest}`,
    url: (fx) => `/organisations/${fx.icb}/insights/shared${rest}`,
    allow: ['icbViewer', 'platformAdmin'],
  })),
  ...['', '/export.csv', '/export.xlsx'].map((rest): Case => ({
    method: 'GET',
    route: `/organisations/:organisationId/insights/shared${rest}`,
    // Organisation A is a trust: only an integrated care board has this view, so it is
    // "not found" for everyone (the ICB's own view is tested in insights.routes.test.ts).
    url: (fx) => orgA(fx, `/insights/shared${rest}`),
    allow: [],
  })),
  ...['', '/export.csv', '/export.xlsx'].map((rest): Case => ({
    method: 'GET',
    route: `/insights${rest}`,
    url: fixed(`/insights${rest}`),
    allow: ['platformAdmin'],
  })),
  {
    method: 'GET',
    route: '/organisations/:organisationId/insights/sharing',
    url: (fx) => orgA(fx, '/insights/sharing'),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/insights/sharing',
    url: (fx) => orgA(fx, '/insights/sharing'),
    // No board chosen: the form comes back with an error, and nothing is shared.
    payload: () => ({ organisationId: '' }),
    allow: ADMINS,
    allowStatus: [422],
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/insights/sharing/:shareId/withdraw',
    url: async (fx) => orgA(fx, `/insights/sharing/${await fx.freshInsightsShare()}/withdraw`),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/audit',
    url: (fx) => orgA(fx, '/audit'),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/admin/organisations',
    url: fixed('/admin/organisations'),
    allow: ['platformAdmin'],
  },
  {
    method: 'GET',
    route: '/admin/organisations/new',
    url: fixed('/admin/organisations/new'),
    allow: ['platformAdmin'],
  },
  {
    method: 'POST',
    route: '/admin/organisations/new',
    url: fixed('/admin/organisations/new'),
    payload: (_fx, kind) => ({ name: `Organisation made by ${kind}`, type: 'trust', odsCode: '' }),
    allow: ['platformAdmin'],
  },

  // Invitations and rosters: organisation A's admins and platform admins only.
  {
    method: 'GET',
    route: '/organisations/:organisationId/invitations',
    url: (fx) => orgA(fx, '/invitations'),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/invitations/new',
    url: (fx) => orgA(fx, '/invitations/new'),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/invitations/new',
    url: (fx) => orgA(fx, '/invitations/new'),
    payload: (_fx, kind) => ({
      email: `invited-by-${kind.toLowerCase()}@example.org`,
      displayName: 'Invited Person',
      roles: 'member',
    }),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/invitations/:invitationId/revoke',
    url: async (fx) => orgA(fx, `/invitations/${await fx.freshInvitation()}/revoke`),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/invitations/:invitationId/resend',
    url: async (fx) => orgA(fx, `/invitations/${await fx.freshInvitation()}/resend`),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/roster',
    url: (fx) => orgA(fx, '/roster'),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/organisations/:organisationId/roster/template.csv',
    url: (fx) => orgA(fx, '/roster/template.csv'),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/organisations/:organisationId/roster',
    url: (fx) => orgA(fx, '/roster'),
    send: (browser, fx, kind) =>
      postMultipart(
        browser,
        app,
        orgA(fx, '/roster'),
        {},
        {
          field: 'file',
          filename: 'roster.csv',
          contentType: 'text/csv',
          content: `email,name,profession,unit path,role\nroster-${kind.toLowerCase()}@example.org,Roster Person,nurse,Medicine > Cardiology,member\n`,
        },
      ),
    allow: ADMINS,
  },

  // Accepting an invitation: the link's holder may look; accepting needs the invited account.
  {
    method: 'GET',
    route: '/invitations/:token',
    url: (fx, kind) => fx.invitationLink(`look-${kind.toLowerCase()}@example.org`),
    allow: EVERYONE,
  },
  {
    method: 'POST',
    route: '/invitations/:token',
    // Each visitor is invited by their own address, so every signed-in visitor may accept.
    url: (fx, kind) => fx.invitationLink(fx.people[kind]?.email ?? `anonymous-accept@example.org`),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/invitations/:token/account',
    url: (fx, kind) =>
      fx.invitationLink(`new-${kind.toLowerCase()}@example.org`).then((u) => `${u}/account`),
    payload: () => ({ displayName: 'New Person', password: 'velvet harbour quartz meadow' }),
    // Anonymous visitors get an account; signed-in ones are sent back to the invitation.
    allow: EVERYONE,
    endsSession: true,
  },

  // The self-assessment journey (issue 4): every signed-in person may start their own; only its
  // owner (here the member) may see, answer or submit an assessment. Everyone else gets 404.
  { method: 'GET', route: '/home', url: fixed('/home'), allow: SIGNED_IN },
  { method: 'GET', route: '/assessments/new', url: fixed('/assessments/new'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/assessments/new',
    url: fixed('/assessments/new'),
    payload: () => ({ professionCode: 'nurse', workSettingCode: '' }),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/assessments/new/archetypes',
    url: fixed('/assessments/new/archetypes'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/assessments/new/archetypes',
    url: fixed('/assessments/new/archetypes'),
    payload: () => ({ archetypeCodes: 'U' }),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/assessments/new/help-me-choose',
    url: fixed('/assessments/new/help-me-choose'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/assessments/new/help-me-choose',
    url: fixed('/assessments/new/help-me-choose'),
    payload: () =>
      Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [`question-${String(i)}`, 'no'])),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/assessments/new/help-me-choose/suggestions',
    url: fixed('/assessments/new/help-me-choose/suggestions?answers=nnnnny'),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/assessments/new/mode',
    url: fixed('/assessments/new/mode'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/assessments',
    url: fixed('/assessments'),
    payload: () => ({ mode: 'focused' }),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/assessments/:id',
    url: async (fx) => (await ownAssessment(fx)).url,
    allow: ['member'],
  },
  {
    method: 'GET',
    route: '/assessments/:id/areas/:areaCode',
    url: async (fx) => `${(await ownAssessment(fx)).url}/areas/${(await ownAssessment(fx)).area}`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/areas/:areaCode',
    url: async (fx) => `${(await ownAssessment(fx)).url}/areas/${(await ownAssessment(fx)).area}`,
    payload: () => ({ action: 'later' }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/answers',
    url: async (fx) => `${(await ownAssessment(fx)).url}/answers`,
    payload: () => ({ areaCode: journey.area, statementId: journey.statement, value: '1' }),
    allow: ['member'],
  },
  {
    method: 'GET',
    route: '/assessments/:id/saved',
    url: async (fx) => `${(await ownAssessment(fx)).url}/saved`,
    allow: ['member'],
  },
  {
    method: 'GET',
    route: '/assessments/:id/check-answers',
    url: async (fx) => `${(await ownAssessment(fx)).url}/check-answers`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/submit',
    // Every assessment here is finished: the member submits their own; everyone else tries the
    // member's next one, which stays in progress.
    url: async (fx) => `${(await ownAssessment(fx, { finished: true })).url}/submit`,
    allow: ['member'],
  },
  {
    method: 'GET',
    route: '/assessments/:id/start-again',
    url: async (fx) => `${(await ownAssessment(fx)).url}/start-again`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/start-again',
    // The member deletes their own; everyone else tries the member's next one, which stays.
    url: async (fx) => `${(await ownAssessment(fx)).url}/start-again`,
    allow: ['member'],
  },

  // Results, reports, exports, progress (issue 4): the owner only (here the member); anyone
  // else's request for the member's assessment is "not found", and their comparison of the
  // member's assessments is refused as a form error (422).
  ...(['/results', '/report.pdf', '/export.csv', '/export.json'] as const).map((rest): Case => ({
    method: 'GET',
    route: `/assessments/:id${rest}`,
    url: async (fx) => `/assessments/${(await submitted(fx)).first}${rest}`,
    allow: ['member'],
  })),
  { method: 'GET', route: '/progress', url: fixed('/progress'), allow: SIGNED_IN },
  {
    method: 'GET',
    route: '/progress/compare',
    url: async (fx) => {
      const { first, second } = await submitted(fx);
      return `/progress/compare?from=${first}&to=${second}`;
    },
    allow: ['member'],
  },

  // Sharing (issue 4): the owner manages their shares; the member's line manager (this unit)
  // sees a share made with them, nobody else does; anyone may list what is shared with them.
  {
    method: 'GET',
    route: '/assessments/:id/sharing',
    url: async (fx) => `/assessments/${(await submitted(fx)).first}/sharing`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/shares',
    url: async (fx) => `/assessments/${(await submitted(fx)).second}/shares`,
    payload: (fx) => ({ sharedWith: fx.people.educator?.personId ?? '' }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/assessments/:id/shares/:shareId/withdraw',
    url: async (fx) => {
      const { second } = await submitted(fx);
      return `/assessments/${second}/shares/${await freshShare(fx, second)}/withdraw`;
    },
    allow: ['member'],
  },
  { method: 'GET', route: '/shared-with-me', url: fixed('/shared-with-me'), allow: SIGNED_IN },
  {
    method: 'GET',
    route: '/shared-with-me/:shareId',
    url: async (fx) => `/shared-with-me/${(await submitted(fx)).shareWithManager}`,
    allow: ['lineManagerThis'],
  },

  // The learning catalogue (issue 5): anyone browses the shared catalogue; an organisation's own
  // resources are seen only by its members and managed by its educators and admins; platform
  // admins manage the shared catalogue. Everyone manages something except plain members and
  // line managers (who get 403 on the manage pages).
  publicGet('/learning/resources'),
  publicGet('/api/v1/resources'),
  {
    method: 'GET',
    route: '/learning/resources/:id',
    url: async (fx) => `/learning/resources/${(await learning(fx)).orgResource}`,
    allow: MEMBERS_OF_A,
  },
  {
    method: 'GET',
    route: '/learning/resources/new',
    url: fixed('/learning/resources/new'),
    allow: CATALOGUE_MANAGERS,
  },
  {
    method: 'POST',
    route: '/learning/resources/new',
    url: fixed('/learning/resources/new'),
    payload: (fx, kind) => resourceForm(scopeFor(fx, kind), `matrix-new-${kind.toLowerCase()}`),
    allow: CATALOGUE_MANAGERS,
  },
  {
    method: 'GET',
    route: '/learning/resources/:id/edit',
    url: async (fx) => `/learning/resources/${(await learning(fx)).orgResource}/edit`,
    allow: ['educator', 'adminThis'],
  },
  {
    method: 'POST',
    route: '/learning/resources/:id/edit',
    url: async (fx) => `/learning/resources/${(await learning(fx)).orgResource}/edit`,
    payload: (fx) => resourceForm(fx.orgA, 'matrix-org-resource'),
    allow: ['educator', 'adminThis'],
  },
  {
    method: 'POST',
    route: '/learning/resources/:id/retire',
    url: async (fx) => `/learning/resources/${await freshOrgResource(fx)}/retire`,
    allow: ['educator', 'adminThis'],
  },
  {
    method: 'POST',
    route: '/learning/resources/:id/unretire',
    url: async (fx) =>
      `/learning/resources/${await freshOrgResource(fx, { retired: true })}/unretire`,
    allow: ['educator', 'adminThis'],
  },
  {
    method: 'GET',
    route: '/learning/resources/export.csv',
    url: (fx) => `/learning/resources/export.csv?organisation=${fx.orgA}`,
    allow: ['educator', 'adminThis'],
  },
  {
    method: 'GET',
    route: '/learning/resources/import',
    url: fixed('/learning/resources/import'),
    allow: CATALOGUE_MANAGERS,
  },
  {
    method: 'POST',
    route: '/learning/resources/import',
    url: fixed('/learning/resources/import'),
    send: async (browser, fx, kind) => {
      await browser.get('/learning/resources/import');
      return postMultipart(
        browser,
        app,
        '/learning/resources/import',
        { organisation: scopeFor(fx, kind) },
        {
          field: 'file',
          filename: 'catalogue.csv',
          contentType: 'text/csv',
          content: catalogueCsv(`matrix-import-${kind.toLowerCase()}`),
        },
      );
    },
    allow: CATALOGUE_MANAGERS,
  },

  // Recommendations and preferences: every signed-in person has their own.
  { method: 'GET', route: '/learning', url: fixed('/learning'), allow: SIGNED_IN },
  {
    method: 'GET',
    route: '/learning/preferences',
    url: fixed('/learning/preferences'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/learning/preferences',
    url: fixed('/learning/preferences'),
    payload: () => ({ formats: ['video'], maxDurationMinutes: '60', freeOnly: 'yes' }),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/learning/resources/:id/dismiss',
    url: async (fx) => `/learning/resources/${(await learning(fx)).sharedResource}/dismiss`,
    payload: () => ({ returnTo: '/learning' }),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/learning/resources/:id/undismiss',
    url: async (fx) => `/learning/resources/${(await learning(fx)).sharedResource}/undismiss`,
    payload: () => ({ returnTo: '/learning' }),
    allow: SIGNED_IN,
  },

  // Development plans: everyone has their own; a goal is its owner's (here the member's) only.
  { method: 'GET', route: '/plan', url: fixed('/plan'), allow: SIGNED_IN },
  { method: 'GET', route: '/plan/goals/new', url: fixed('/plan/goals/new'), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/plan/goals/new',
    url: fixed('/plan/goals/new'),
    payload: () => ({ areaCode: '2.1', targetLevel: '2', ...goalDate(), notes: '' }),
    allow: SIGNED_IN,
  },
  {
    method: 'GET',
    route: '/plan/add-resource',
    url: async (fx) => `/plan/add-resource?resource=${(await learning(fx)).sharedResource}`,
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/plan/add-resource',
    url: fixed('/plan/add-resource'),
    payload: () => ({ resource: learningIds.sharedResource, goal: 'new:6.3' }),
    allow: SIGNED_IN,
  },
  ...(['', '/edit', '/remove'] as const).map((rest): Case => ({
    method: 'GET',
    route: `/plan/goals/:id${rest}`,
    url: async (fx) => `/plan/goals/${(await learning(fx)).goal}${rest}`,
    allow: ['member'],
  })),
  {
    method: 'POST',
    route: '/plan/goals/:id/edit',
    url: async (fx) => `/plan/goals/${(await learning(fx)).goal}/edit`,
    payload: () => ({ status: 'in_progress', targetLevel: '3', ...goalDate(), notes: 'Matrix' }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/plan/goals/:id/remove',
    url: async (fx) => `/plan/goals/${await freshGoal(fx)}/remove`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/plan/goals/:id/resources',
    url: async (fx) => `/plan/goals/${await freshGoal(fx)}/resources`,
    payload: () => ({ resourceId: learningIds.sharedResource }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/plan/goals/:id/resources/:resourceId/status',
    url: async (fx) => `${await goalResource(fx)}/status`,
    payload: () => ({ status: 'in_progress' }),
    allow: ['member'],
  },
  {
    method: 'GET',
    route: '/plan/goals/:id/resources/:resourceId/done',
    url: async (fx) => `${await goalResource(fx)}/done`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/plan/goals/:id/resources/:resourceId/done',
    url: async (fx) => `${await goalResource(fx)}/done`,
    payload: () => ({ learned: 'How the checks work', use: 'At the next audit' }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/plan/goals/:id/resources/:resourceId/remove',
    url: async (fx) => `${await goalResource(fx)}/remove`,
    allow: ['member'],
  },

  // Evidence and the portfolio: everyone has their own; an item is its owner's only.
  ...[
    '/portfolio',
    '/portfolio/export.pdf',
    '/portfolio/export.json',
    '/portfolio/evidence/new',
  ].map((route): Case => ({ method: 'GET', route, url: fixed(route), allow: SIGNED_IN })),
  {
    method: 'GET',
    route: '/portfolio/evidence/new/:kind',
    url: fixed('/portfolio/evidence/new/note?area=2.1'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/new',
    url: fixed('/portfolio/evidence/new'),
    payload: () => ({ areaCode: '2.1', kind: 'note' }),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/new/note',
    url: fixed('/portfolio/evidence/new/note'),
    payload: () => ({ areaCode: '2.1', statementId: '', title: 'Matrix note', body: 'A note' }),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/new/link',
    url: fixed('/portfolio/evidence/new/link'),
    payload: () => ({
      areaCode: '2.1',
      statementId: '',
      title: 'Matrix link',
      url: 'https://www.example.org/matrix',
      body: '',
    }),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/new/file',
    url: fixed('/portfolio/evidence/new/file'),
    send: async (browser) => {
      await browser.get('/portfolio/evidence/new/file?area=2.1');
      return postMultipart(
        browser,
        app,
        '/portfolio/evidence/new/file',
        { areaCode: '2.1', statementId: '', title: 'Matrix file', body: '' },
        {
          field: 'file',
          filename: 'matrix.pdf',
          contentType: 'application/pdf',
          content: TINY_PDF,
        },
      );
    },
    allow: SIGNED_IN,
  },
  ...(['', '/edit', '/delete'] as const).map((rest): Case => ({
    method: 'GET',
    route: `/portfolio/evidence/:id${rest}`,
    url: async (fx) => `/portfolio/evidence/${(await learning(fx)).note}${rest}`,
    allow: ['member'],
  })),
  {
    method: 'GET',
    route: '/portfolio/evidence/:id/file',
    url: async (fx) => `/portfolio/evidence/${(await learning(fx)).file}/file`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/:id/edit',
    url: async (fx) => `/portfolio/evidence/${(await learning(fx)).note}/edit`,
    payload: () => ({ areaCode: '2.1', statementId: '', title: 'Matrix note', body: 'Changed' }),
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/portfolio/evidence/:id/delete',
    url: async (fx) => `/portfolio/evidence/${await freshNote(fx)}/delete`,
    allow: ['member'],
  },

  // Validation: anyone may ask one of their line managers or educators; a request is seen by the
  // person who asked and the person asked, and only the person asked decides.
  { method: 'GET', route: '/validation', url: fixed('/validation'), allow: SIGNED_IN },
  { method: 'GET', route: '/validation/new', url: fixed('/validation/new'), allow: SIGNED_IN },
  {
    method: 'GET',
    route: '/validation/to-decide',
    url: fixed('/validation/to-decide'),
    allow: SIGNED_IN,
  },
  {
    method: 'POST',
    route: '/validation/new',
    url: fixed('/validation/new'),
    // The educator is a possible validator for every member of A but themselves.
    payload: (fx) => ({
      areaCode: '5.1.1',
      claimedLevel: '2',
      validator: fx.people.educator?.personId ?? '',
      message: 'Matrix',
    }),
    // Any member of A, an insights viewer included (they have a self-assessment of their own).
    allow: ['member', 'lineManagerOther', 'lineManagerThis', 'adminThis', 'insightsViewer'],
  },
  {
    method: 'GET',
    route: '/validation/:id',
    url: async (fx) => `/validation/${(await learning(fx)).request}`,
    allow: ['member', 'lineManagerThis'],
  },
  {
    method: 'GET',
    route: '/validation/:id/evidence/:evidenceId/file',
    url: async (fx) => {
      const ids = await learning(fx);
      return `/validation/${ids.request}/evidence/${ids.file}/file`;
    },
    allow: ['member', 'lineManagerThis'],
  },
  {
    method: 'POST',
    route: '/validation/:id/withdraw',
    // One request: once the member has withdrawn it, nobody else may do anything with it either.
    url: async (fx) => `/validation/${await requestAbout(fx, '6.1')}/withdraw`,
    allow: ['member'],
  },
  {
    method: 'POST',
    route: '/validation/:id/decision',
    url: async (fx) => `/validation/${await requestAbout(fx, '6.2')}/decision`,
    payload: () => ({ outcome: 'validated' }),
    allow: ['lineManagerThis'],
  },
];

// Fixtures for the learning cases (issue 5).
/** The catalogue each manager adds to: shared for platform admins, else their organisation's. */
function scopeFor(fx: Fixture, kind: Kind): string {
  if (kind === 'platformAdmin') return 'shared';
  return kind === 'adminOther' ? fx.orgB : fx.orgA;
}
function resourceForm(organisation: string, slug: string): Record<string, string | string[]> {
  return {
    organisation,
    slug,
    title: `Matrix resource ${slug}`,
    provider: 'Matrix Trust',
    url: `https://www.example.org/${slug}`,
    format: 'e-learning',
    durationMinutes: '30',
    cost: 'free',
    levels: ['1', '2'],
    areaCodes: ['2.1'],
    archetypeCodes: ['U'],
    summary: 'A resource made up for the authorisation matrix.',
    statementIds: '',
    'reviewDate[day]': '',
    'reviewDate[month]': '',
    'reviewDate[year]': '',
    curatedBy: '',
  };
}
function catalogueCsv(slug: string): string {
  return [
    'id,title,provider,url,format,duration_minutes,cost,levels,areas,archetypes,summary,source_seen',
    `${slug},Matrix import,Matrix Trust,https://www.example.org/${slug},guidance,,free,1,2.1,U,Imported by the matrix.,`,
  ].join('\n');
}
function goalDate() {
  const d = new Date(Date.now() + 60 * 86_400_000);
  return {
    'targetDate-day': String(d.getUTCDate()),
    'targetDate-month': String(d.getUTCMonth() + 1),
    'targetDate-year': String(d.getUTCFullYear()),
  };
}
/** A one-page PDF, enough for content sniffing. */
const TINY_PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

const learningIds = {
  sharedResource: '',
  orgResource: '',
  goal: '',
  note: '',
  file: '',
  request: '',
};
let learningOnce: Promise<typeof learningIds> | undefined;
/** The member's learning things, made once: a goal, a note, a file, a request to their manager. */
function learning(fx: Fixture) {
  learningOnce ??= (async () => {
    const { catalogue, evidence, validation } = app.services;
    const member = fx.people.member?.personId ?? '';
    const shared = await catalogue.browseShared({}, { page: 1, pageSize: 1 });
    learningIds.sharedResource = shared.resources[0]?.id ?? '';
    learningIds.orgResource = await freshOrgResource(fx);
    learningIds.goal = await freshGoal(fx);
    learningIds.note = await freshNote(fx);
    const upload = await evidence.receiveUpload(
      Readable.from([Buffer.from(TINY_PDF)]),
      'matrix.pdf',
    );
    if (!upload.ok) throw new Error(upload.error);
    learningIds.file = (
      await evidence.add(
        member,
        'file',
        {
          areaCode: '2.1',
          statementId: '',
          title: 'Matrix file',
          body: '',
          url: '',
          reflectionUse: '',
        },
        upload.upload,
      )
    ).id;
    learningIds.request = (
      await validation.ask(member, {
        areaCode: '2.1',
        claimedLevel: 2,
        validatorPersonId: fx.people.lineManagerThis?.personId ?? '',
        message: '',
        evidenceIds: [learningIds.file],
      })
    ).requestId;
    return learningIds;
  })();
  return learningOnce;
}
let orgResources = 0;
async function freshOrgResource(fx: Fixture, options: { retired?: boolean } = {}) {
  orgResources += 1;
  const educator = fx.people.educator?.personId ?? '';
  const slug = orgResources === 1 ? 'matrix-org-resource' : `matrix-org-${String(orgResources)}`;
  const made = await app.services.catalogue.add(educator, fx.orgA, {
    slug,
    title: `Matrix organisation resource ${String(orgResources)}`,
    provider: 'Matrix Trust A',
    url: `https://www.example.org/${slug}`,
    format: 'guidance',
    durationMinutes: null,
    cost: 'free',
    levels: [2],
    areaCodes: ['2.1'],
    archetypeCodes: ['U'],
    summary: 'Only for Matrix Trust A.',
  });
  if (options.retired) await app.services.catalogue.setRetired(educator, made.id, true);
  return made.id;
}
async function freshGoal(fx: Fixture) {
  const date = goalDate();
  const { goalId } = await app.services.plans.createGoal(fx.people.member?.personId ?? '', {
    areaCode: '2.1',
    targetLevel: 2,
    targetDate: `${date['targetDate-year']}-${date['targetDate-month'].padStart(2, '0')}-${date['targetDate-day'].padStart(2, '0')}`,
    notes: '',
    from: '',
    resource: '',
  });
  return goalId;
}
/** A fresh goal with the shared resource attached: its resource's URL prefix. */
async function goalResource(fx: Fixture) {
  const { sharedResource } = await learning(fx);
  const goal = await freshGoal(fx);
  await app.services.plans.attachResource(fx.people.member?.personId ?? '', goal, sharedResource);
  return `/plan/goals/${goal}/resources/${sharedResource}`;
}
async function freshNote(fx: Fixture) {
  return (
    await app.services.evidence.add(fx.people.member?.personId ?? '', 'note', {
      areaCode: '2.1',
      statementId: '',
      title: 'Matrix note',
      body: 'Something I did',
      url: '',
      reflectionUse: '',
    })
  ).id;
}
const requests = new Map<string, Promise<string>>();
/** The member's pending request to their line manager about this area (made once per area). */
function requestAbout(fx: Fixture, areaCode: string): Promise<string> {
  let made = requests.get(areaCode);
  if (!made) {
    made = app.services.validation
      .ask(fx.people.member?.personId ?? '', {
        areaCode,
        claimedLevel: 2,
        validatorPersonId: fx.people.lineManagerThis?.personId ?? '',
        message: '',
        evidenceIds: [],
      })
      .then((r) => r.requestId);
    requests.set(areaCode, made);
  }
  return made;
}

/** The member's assessment in progress (started when needed), for the journey's cases above. */
const journey = { area: '', statement: '' };
async function ownAssessment(
  fx: Fixture,
  options: { finished?: boolean } = {},
): Promise<{ url: string; area: string }> {
  const { assessments } = app.services;
  const personId = fx.people.member?.personId ?? '';
  const { assessment } = await assessments.startAssessment(personId, {
    mode: 'focused',
    archetypeCodes: ['U'],
  });
  let ws = await assessments.workspace(personId, assessment.id);
  while (options.finished && ws.plan.nextAreaCode) {
    const area = ws.plan.nextAreaCode;
    const ids = ws.pool.areas.find((a) => a.areaCode === area)?.statementIds ?? [];
    const unanswered = ids.filter((id) => !ws.answers.has(id));
    await assessments.recordAnswers(
      personId,
      assessment.id,
      area,
      Object.fromEntries(unanswered.map((id) => [id, '2'])),
    );
    ws = await assessments.workspace(personId, assessment.id);
  }
  const first = ws.pool.areas[0];
  journey.area = first?.areaCode ?? '';
  journey.statement = first?.statementIds[0] ?? '';
  return { url: `/assessments/${assessment.id}`, area: journey.area };
}

/**
 * The member's two submitted assessments (made once, when first needed) and a share of the first
 * with their line manager (lineManagerThis manages Medicine, above the member's Cardiology).
 */
let submittedOnce: Promise<{ first: string; second: string; shareWithManager: string }> | undefined;
function submitted(fx: Fixture) {
  submittedOnce ??= (async () => {
    const personId = fx.people.member?.personId ?? '';
    const first = (await makeSubmittedAssessment(app.services, personId)).id;
    const second = (await makeSubmittedAssessment(app.services, personId)).id;
    const manager = fx.people.lineManagerThis?.personId ?? '';
    const { shareId } = await app.services.sharing.share(personId, first, manager);
    return { first, second, shareWithManager: shareId };
  })();
  return submittedOnce;
}

/** An open share of the member's assessment with the educator (the existing one if open). */
async function freshShare(fx: Fixture, assessmentId: string): Promise<string> {
  const personId = fx.people.member?.personId ?? '';
  const educator = fx.people.educator?.personId ?? '';
  return (await app.services.sharing.share(personId, assessmentId, educator)).shareId;
}

/** Routes that are not pages: static files. */
const NOT_PAGES = new Set(['GET /assets/*', 'GET /static/*']);

let app: FastifyInstance;
let fx: Fixture;
const browsers = new Map<Kind, Browser>();

async function browserFor(kind: Kind): Promise<Browser> {
  const existing = browsers.get(kind);
  if (existing) return existing;
  let browser: Browser;
  const person = fx.people[kind];
  if (!person) {
    browser = new Browser(app, nextTestAddress());
    await browser.get('/sign-in'); // an anonymous session, for its CSRF token
  } else {
    browser = (await signedInBrowser(app, { email: person.email, displayName: kind })).browser;
  }
  browsers.set(kind, browser);
  return browser;
}

async function makeFixture(): Promise<Fixture> {
  const { accounts, organisations, database } = app.services;
  const person = async (key: string) => {
    const email = `${key.toLowerCase()}@matrix.example.org`;
    const { personId } = await accounts.createConfirmedAccount({
      email,
      displayName: key,
      password: 'copper lantern meadow finch',
    });
    return { personId, email };
  };
  const platformAdmin = await person('platformAdmin');
  await accounts.setPlatformAdmin(platformAdmin.personId, true);
  const actor = await organisations.actorFor(platformAdmin.personId);
  const orgA = await organisations.createOrganisation(actor, {
    name: 'Matrix Trust A',
    type: 'trust',
    odsCode: null,
  });
  const orgB = await organisations.createOrganisation(actor, {
    name: 'Matrix Trust B',
    type: 'trust',
    odsCode: null,
  });
  const unit = (organisationId: string, names: string[]) =>
    database.transaction(
      async (tx) => (await organisations.ensureUnitPath(tx, organisationId, names)).unitId,
    );
  const cardiology = await unit(orgA.id, ['Medicine', 'Cardiology']);
  const medicine = await unit(orgA.id, ['Medicine']);
  const physiotherapy = await unit(orgA.id, ['Allied Health', 'Physiotherapy']);
  const alliedHealth = await unit(orgA.id, ['Allied Health']);
  const surgery = await unit(orgB.id, ['Surgery']);
  const icb = await organisations.createOrganisation(actor, {
    name: 'Matrix ICB',
    type: 'icb',
    odsCode: null,
  });

  const join = async (
    p: { personId: string },
    organisationId: string,
    unitId: string | null,
    roles: ('member' | 'line_manager' | 'educator' | 'admin' | 'insights_viewer')[],
  ) => organisations.addMembership({ organisationId, personId: p.personId, unitId, roles });

  const people: Fixture['people'] = {
    anonymous: undefined,
    member: await person('member'),
    lineManagerOther: await person('lineManagerOther'),
    lineManagerThis: await person('lineManagerThis'),
    educator: await person('educator'),
    adminOther: await person('adminOther'),
    adminThis: await person('adminThis'),
    platformAdmin,
    insightsViewer: await person('insightsViewer'),
    icbViewer: await person('icbViewer'),
  };
  const must = (kind: Kind) => {
    const p = people[kind];
    if (!p) throw new Error(kind);
    return p;
  };
  await join(must('member'), orgA.id, cardiology, ['member']);
  await join(must('lineManagerOther'), orgA.id, alliedHealth, ['line_manager', 'member']);
  await join(must('lineManagerThis'), orgA.id, medicine, ['line_manager', 'member']);
  await join(must('educator'), orgA.id, null, ['educator']);
  await join(must('adminOther'), orgB.id, surgery, ['admin']);
  await join(must('adminThis'), orgA.id, null, ['admin']);
  await join(must('insightsViewer'), orgA.id, null, ['insights_viewer']);
  await join(must('icbViewer'), icb.id, null, ['insights_viewer']);

  const orgC = await organisations.createOrganisation(actor, {
    name: 'Matrix Trust C',
    type: 'trust',
    odsCode: null,
  });
  const outbox = app.services.mailer as OutboxMailer;
  let invitationCount = 0;
  const invite = async (organisationId: string, email: string) => {
    invitationCount += 1;
    return app.services.invitations.inviteOne(actor, organisationId, {
      email,
      displayName: `Invitee ${String(invitationCount)}`,
      roles: ['member'],
    });
  };
  const invitationLink = async (email: string) => {
    await invite(orgC.id, email);
    const text =
      outbox
        .list()
        .filter((m) => m.to === email)
        .at(-1)?.text ?? '';
    const path = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!path) throw new Error(`no invitation link for ${email}`);
    return path;
  };
  const freshInvitation = async () =>
    (await invite(orgA.id, `fresh-${String(invitationCount)}@example.org`)).id;

  let freshCount = 0;
  const freshTarget = async () => {
    freshCount += 1;
    const p = await person(`target${String(freshCount)}`);
    const membership = await join(p, orgA.id, cardiology, ['member']);
    return membership.id;
  };
  const freshInsightsShare = async () => {
    const openShare = async () =>
      (await app.services.insights.sharingPage(actor, orgA.id)).shares.find(
        (x) => x.organisationId === icb.id,
      );
    // A visitor who may not withdraw leaves the last one open: use it.
    if (!(await openShare())) await app.services.insights.share(actor, orgA.id, icb.id);
    const share = await openShare();
    if (!share) throw new Error('no share');
    return share.id;
  };
  await freshInsightsShare(); // the board's view has organisation A in it from the start
  return {
    freshInsightsShare,
    orgA: orgA.id,
    orgB: orgB.id,
    orgC: orgC.id,
    icb: icb.id,
    freshInvitation,
    invitationLink,
    cardiology,
    physiotherapy,
    targetMembership: await freshTarget(),
    people,
    freshTarget,
  };
}

beforeAll(async () => {
  app = await buildTestApp();
  fx = await makeFixture();
}, 120_000);
afterAll(async () => {
  await app.close();
});

function outcome(kind: Kind, status: number, location: string | undefined): 'allow' | 'deny' {
  if (status === 403 || status === 404) return 'deny';
  if (kind === 'anonymous' && status >= 300 && status < 400 && location?.startsWith('/sign-in'))
    return 'deny';
  return 'allow';
}

describe('the authorisation matrix', () => {
  it('covers every route the app registers', () => {
    const registered = new Set(
      app.routeTable
        .filter((r) => r.method !== 'HEAD')
        .map((r) => `${r.method} ${r.url}`)
        .filter((key) => !NOT_PAGES.has(key)),
    );
    const covered = new Set(CASES.map((c) => `${c.method} ${c.route}`));
    expect([...registered].filter((key) => !covered.has(key)).sort()).toEqual([]);
    expect([...covered].filter((key) => !registered.has(key)).sort()).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.method} ${c.route}`, async () => {
      const mismatches: string[] = [];
      for (const kind of KINDS) {
        const browser = await browserFor(kind);
        const url = await c.url(fx, kind);
        const result = c.send
          ? await c.send(browser, fx, kind)
          : c.method === 'GET'
            ? await browser.get(url)
            : await browser.post(url, c.payload?.(fx, kind) ?? {});
        const { statusCode: status, headers } = result.response;
        const location = typeof headers.location === 'string' ? headers.location : undefined;
        const expected = c.allow.includes(kind) ? 'allow' : 'deny';
        let actual = outcome(kind, status, location);
        if (actual === 'allow' && status >= 400 && !(c.allowStatus ?? []).includes(status))
          actual = 'deny';
        if (
          actual === 'allow' &&
          status === 303 &&
          location?.startsWith('/sign-in') &&
          kind !== 'anonymous' &&
          !c.endsSession
        )
          actual = 'deny';
        if (actual !== expected)
          mismatches.push(`${kind}: expected ${expected}, got ${String(status)} ${location ?? ''}`);
        if (c.endsSession) browsers.delete(kind);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('answers 404, never an error, for malformed or unknown ids, even to a platform admin', async () => {
    const unknown = '6f1d2c3b-0000-4000-8000-000000000000';
    const problems: string[] = [];
    for (const kind of ['platformAdmin', 'adminThis'] as const) {
      const browser = await browserFor(kind);
      for (const bad of ['not-a-uuid', unknown]) {
        const gets = [
          `/organisations/${bad}`,
          ...[
            '/units',
            '/people',
            '/audit',
            '/invitations',
            '/invitations/new',
            '/roster',
            '/insights',
            '/insights/export.csv',
            '/insights/export.xlsx',
            '/insights/shared',
            '/insights/shared/export.csv',
            '/insights/sharing',
          ].map((rest) => `/organisations/${bad}${rest}`),
          `/organisations/${bad}/roster/template.csv`,
          orgA(fx, `/people/${bad}`),
          orgA(fx, `/people/${bad}/remove`),
        ];
        for (const url of gets) {
          const { statusCode } = (await browser.get(url)).response;
          if (statusCode !== 404) problems.push(`${kind} GET ${url}: ${String(statusCode)}`);
        }
        const posts = [
          `/organisations/${bad}/units`,
          `/organisations/${bad}/invitations/new`,
          orgA(fx, `/people/${bad}`),
          orgA(fx, `/people/${bad}/remove`),
          orgA(fx, `/invitations/${bad}/revoke`),
          orgA(fx, `/invitations/${bad}/resend`),
          `/organisations/${bad}/insights/sharing`,
          orgA(fx, `/insights/sharing/${bad}/withdraw`),
        ];
        for (const url of posts) {
          const { statusCode } = (await browser.post(url, { name: 'x', roles: 'member' })).response;
          if (statusCode !== 404) problems.push(`${kind} POST ${url}: ${String(statusCode)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it(`drives ${String(CASES.length)} routes × ${String(KINDS.length)} visitors`, () => {
    expect(CASES.length * KINDS.length).toBeGreaterThan(0);
  });
});

describe('assessment ids', () => {
  it('answers 404 for malformed or unknown assessment ids, even to a platform admin', async () => {
    const unknown = '6f1d2c3b-0000-4000-8000-000000000000';
    const problems: string[] = [];
    for (const kind of ['platformAdmin', 'member'] as const) {
      const browser = await browserFor(kind);
      for (const bad of ['not-a-uuid', unknown]) {
        for (const rest of ['', '/areas/1', '/saved', '/check-answers', '/start-again']) {
          const { statusCode } = (await browser.get(`/assessments/${bad}${rest}`)).response;
          if (statusCode !== 404) problems.push(`${kind} GET ${bad}${rest}: ${String(statusCode)}`);
        }
        for (const rest of ['/areas/1', '/answers', '/submit', '/start-again']) {
          const body = { areaCode: '1', statementId: 'x', value: '1' };
          const { statusCode } = (await browser.post(`/assessments/${bad}${rest}`, body)).response;
          if (statusCode !== 404)
            problems.push(`${kind} POST ${bad}${rest}: ${String(statusCode)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('results and sharing ids', () => {
  it('answers 404 for malformed or unknown assessment and share ids, even to a platform admin', async () => {
    const unknown = '6f1d2c3b-0000-4000-8000-000000000000';
    const problems: string[] = [];
    for (const kind of ['platformAdmin', 'member', 'lineManagerThis'] as const) {
      const browser = await browserFor(kind);
      for (const bad of ['not-a-uuid', unknown]) {
        const gets = [
          ...['/results', '/report.pdf', '/export.csv', '/export.json', '/sharing'].map(
            (rest) => `/assessments/${bad}${rest}`,
          ),
          `/shared-with-me/${bad}`,
        ];
        for (const url of gets) {
          const { statusCode } = (await browser.get(url)).response;
          if (statusCode !== 404) problems.push(`${kind} GET ${url}: ${String(statusCode)}`);
        }
        const { first } = await submitted(fx);
        const posts = [
          `/assessments/${bad}/shares`,
          `/assessments/${bad}/shares/${unknown}/withdraw`,
          `/assessments/${first}/shares/${bad}/withdraw`,
        ];
        for (const url of posts) {
          const { statusCode } = (await browser.post(url, { sharedWith: unknown })).response;
          if (statusCode !== 404) problems.push(`${kind} POST ${url}: ${String(statusCode)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('learning ids', () => {
  it('answers 404 for malformed or unknown resource, goal, evidence and request ids', async () => {
    const unknown = '6f1d2c3b-0000-4000-8000-000000000000';
    const { goal, sharedResource } = await learning(fx);
    const problems: string[] = [];
    for (const kind of ['platformAdmin', 'member', 'lineManagerThis'] as const) {
      const browser = await browserFor(kind);
      for (const bad of ['not-a-uuid', unknown]) {
        const gets = [
          `/learning/resources/${bad}`,
          `/learning/resources/${bad}/edit`,
          `/plan/goals/${bad}`,
          `/plan/goals/${bad}/edit`,
          `/plan/goals/${goal}/resources/${bad}/done`,
          `/portfolio/evidence/${bad}`,
          `/portfolio/evidence/${bad}/file`,
          `/validation/${bad}`,
          `/validation/${bad}/evidence/${unknown}/file`,
        ];
        for (const url of gets) {
          const { statusCode } = (await browser.get(url)).response;
          if (statusCode !== 404) problems.push(`${kind} GET ${url}: ${String(statusCode)}`);
        }
        const posts = [
          `/learning/resources/${bad}/dismiss`,
          `/learning/resources/${bad}/retire`,
          `/plan/goals/${bad}/edit`,
          `/plan/goals/${bad}/resources`,
          `/plan/goals/${goal}/resources/${bad}/status`,
          `/portfolio/evidence/${bad}/delete`,
          `/validation/${bad}/withdraw`,
          `/validation/${bad}/decision`,
        ];
        for (const url of posts) {
          const body = { status: 'done', outcome: 'validated', resourceId: sharedResource };
          const { statusCode } = (await browser.post(url, body)).response;
          if (statusCode !== 404) problems.push(`${kind} POST ${url}: ${String(statusCode)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
