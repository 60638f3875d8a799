/**
 * The authorisation matrix: every route the app registers, driven by every kind of visitor,
 * with the expected allow or deny. A route missing from the matrix fails the first test, so a
 * new page cannot ship without saying who may use it.
 *
 * Visitors (organisation A is "this" organisation; its unit tree is Medicine > Cardiology and
 * Allied Health > Physiotherapy):
 *   anonymous · member (Cardiology) · line manager of another unit (Allied Health) · line
 *   manager of this unit (Medicine, above Cardiology) · educator · admin of another organisation
 *   (B) · admin of this organisation (A) · platform admin (no membership).
 *
 * Allowed: a 2xx or 3xx that is not a bounce to sign-in (or a listed status, e.g. 400 for a
 * made-up email link). Denied: 403 or 404, or, for anonymous visitors, a redirect to sign in.
 */
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
] as const;
type Kind = (typeof KINDS)[number];
const SIGNED_IN: Kind[] = KINDS.filter((k) => k !== 'anonymous');
const EVERYONE: Kind[] = [...KINDS];

interface Fixture {
  orgA: string;
  orgB: string;
  /** An organisation nobody in the matrix belongs to: invitations to it change nothing else. */
  orgC: string;
  cardiology: string;
  physiotherapy: string;
  /** A learner in Cardiology (org A) whom visitors look at. */
  targetMembership: string;
  people: Record<Kind, { personId: string; email: string } | undefined>;
  /** A fresh learner in Cardiology, for cases that change or remove someone. */
  freshTarget(): Promise<string>;
  /** A fresh invitation to organisation A, for revoke and resend. */
  freshInvitation(): Promise<string>;
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
];
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
];

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

  const join = async (
    p: { personId: string },
    organisationId: string,
    unitId: string | null,
    roles: ('member' | 'line_manager' | 'educator' | 'admin')[],
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
  return {
    orgA: orgA.id,
    orgB: orgB.id,
    orgC: orgC.id,
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
          ...['/units', '/people', '/audit', '/invitations', '/invitations/new', '/roster'].map(
            (rest) => `/organisations/${bad}${rest}`,
          ),
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
