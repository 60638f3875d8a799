/**
 * Insights pages through the real app (PGlite and PostgreSQL): what an admin, an insights
 * viewer, a line manager and an ICB see; that every figure on the page is released (a multiple
 * of 5, "1-7" or hidden); filters, drill-down and breakdowns as GET links; small groups hidden;
 * CSV and XLSX exports of exactly the page's tables; query errors; sharing with an ICB and
 * withdrawing it; the audit trail of every view and export.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { type Browser, signedInBrowser } from '../../../test/support/browser.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';

let app: FastifyInstance;
let orgId: string;
let icbId: string;
let medicine: string;
let wardA: string;
let wardB: string;
let tiny: string;
let admin: Browser;
let manager: Browser;
let viewer: Browser;
let member: Browser;
let icbAdmin: Browser;

const base = () => `/organisations/${orgId}/insights`;

beforeAll(async () => {
  app = await buildTestApp();
  const s = app.services;
  const adminSignIn = await signedInBrowser(app, {
    email: 'insights.admin@example.org',
    displayName: 'Ada Admin',
  });
  admin = adminSignIn.browser;
  const { organisation, admin: adminActor } = await makeOrganisationWithAdmin(s, {
    adminId: adminSignIn.personId,
    name: 'Insights Trust',
  });
  orgId = organisation.id;
  medicine = (
    await s.organisations.addUnit(adminActor, orgId, { name: 'Medicine', parentId: null })
  ).id;
  wardA = (await s.organisations.addUnit(adminActor, orgId, { name: 'Ward A', parentId: medicine }))
    .id;
  wardB = (await s.organisations.addUnit(adminActor, orgId, { name: 'Ward B', parentId: medicine }))
    .id;
  tiny = (await s.organisations.addUnit(adminActor, orgId, { name: 'Tiny team', parentId: null }))
    .id;
  const add = async (unitId: string, n: number, profession: string, level: number) => {
    for (let i = 0; i < n; i++) {
      const id = await makePerson(s.database, `${profession} ${String(i)}`);
      await s.profiles.updateProfile(id, {
        professionCode: profession,
        workSettingCode: 'acute',
        archetypeCodes: ['U'],
      });
      await s.organisations.addMembership({
        organisationId: orgId,
        personId: id,
        unitId,
        roles: ['member'],
      });
      await makeSubmittedAssessment(s, id, {
        defaultLevel: (level + i) % 4,
        archetypeCodes: ['U'],
      });
    }
  };
  await add(wardA, 24, 'nurse', 1);
  await add(wardB, 21, 'doctor', 2);
  await add(tiny, 4, 'pharmacist', 1);

  const managerSignIn = await signedInBrowser(app, {
    email: 'insights.manager@example.org',
    displayName: 'Mo Manager',
  });
  manager = managerSignIn.browser;
  await s.organisations.addMembership({
    organisationId: orgId,
    personId: managerSignIn.personId,
    unitId: wardA,
    roles: ['line_manager'],
  });
  const viewerSignIn = await signedInBrowser(app, {
    email: 'insights.viewer@example.org',
    displayName: 'Val Viewer',
  });
  viewer = viewerSignIn.browser;
  await s.organisations.addMembership({
    organisationId: orgId,
    personId: viewerSignIn.personId,
    unitId: null,
    roles: ['insights_viewer'],
  });
  const memberSignIn = await signedInBrowser(app, {
    email: 'insights.member@example.org',
    displayName: 'Meg Member',
  });
  member = memberSignIn.browser;
  await s.organisations.addMembership({
    organisationId: orgId,
    personId: memberSignIn.personId,
    unitId: wardA,
    roles: ['member'],
  });

  const icbSignIn = await signedInBrowser(app, {
    email: 'insights.icb@example.org',
    displayName: 'Ira ICB',
  });
  icbAdmin = icbSignIn.browser;
  const platform = await makePerson(s.database, 'Platform', { platformAdmin: true });
  const icb = await s.organisations.createOrganisation(await s.organisations.actorFor(platform), {
    name: 'Insights ICB',
    type: 'icb',
  });
  icbId = icb.id;
  await s.organisations.addMembership({
    organisationId: icbId,
    personId: icbSignIn.personId,
    unitId: null,
    roles: ['admin'],
  });
  await s.readModel.processQueue();
}, 180_000);

afterAll(async () => {
  await app.close();
});

type Page = Awaited<ReturnType<Browser['get']>>['$'];

/** A responsive table cell's value, without the column heading repeated for small screens. */
function cellText($: Page, el: Parameters<Page>[0]): string {
  const cell = $(el).clone();
  cell.find('.nhsuk-table__heading').remove();
  return cell.text().trim();
}

/** Every count cell in a section's table (columns that hold counts). */
function rowCells($: Page, sectionId: string): string[][] {
  const rows: string[][] = [];
  $(`#${sectionId}-heading`)
    .closest('section')
    .find('tbody tr')
    .each((_, tr) => {
      rows.push(
        $(tr)
          .find('th, td')
          .map((__, el) => cellText($, el))
          .get(),
      );
    });
  return rows;
}

/** A released count: 0, a multiple of 5, "1-7" or "hidden"; shares and labels pass. */
const isReleased = (text: string) => {
  if (text === '1-7' || text === 'hidden' || text === '–' || text.endsWith('%')) return true;
  const n = Number(text.replace(/,/g, ''));
  return Number.isInteger(n) && n % 5 === 0;
};

describe('an organisation’s insights', () => {
  it('shows an admin every section with released figures only, and audits the view', async () => {
    const { response, $ } = await admin.get(base());
    expect(response.statusCode).toBe(200);
    const headings = $('main h2')
      .map((_, el) => $(el).text().trim())
      .get();
    expect(headings).toEqual(
      expect.arrayContaining([
        'Participation',
        'Capability by area',
        'Priority areas',
        'Statements most often not met',
      ]),
    );
    expect($('svg.app-chart').length).toBeGreaterThanOrEqual(2);
    const cells = ['participation', 'capability', 'priority-areas'].flatMap((id) =>
      rowCells($, id).flatMap((row) => row.slice(1)),
    );
    expect(cells.length).toBeGreaterThan(100);
    for (const c of cells) expect(isReleased(c), c).toBe(true);
    const audit = await app.services.audit.listForOrganisation(orgId);
    expect(audit.entries.some((e) => e.action === 'insights.viewed')).toBe(true);
  });

  it('hides every figure for a unit of fewer than 10 people', async () => {
    const { response, $ } = await admin.get(`${base()}?unit=${tiny}`);
    expect(response.statusCode).toBe(200);
    expect($('main').text()).toContain(
      'Fewer than 10 people; figures are hidden to protect privacy.',
    );
    expect($('main table').length).toBe(0);
  });

  it('hides units that the organisation less its other units would give away (sum of parts)', async () => {
    // The organisation (49 with results) less Medicine (45), or less Ward A and Ward B, would
    // describe the Tiny team's 4: so Medicine and the smaller ward are hidden, while the
    // organisation and Ward A are shown.
    const capability = async (query: string) => {
      const { $ } = await admin.get(`${base()}${query}`);
      const section = $('#capability-heading').closest('section');
      return { tables: section.find('table').length, text: $('main').text().replace(/\s+/g, ' ') };
    };
    expect((await capability('')).tables).toBeGreaterThan(0);
    expect((await capability(`?unit=${wardA}`)).tables).toBeGreaterThan(0);
    // Medicine is within 4 of the organisation (rule 4); Ward B falls to the sum of parts.
    expect((await capability(`?unit=${medicine}`)).tables).toBe(0);
    const wardBPage = await capability(`?unit=${wardB}`);
    expect(wardBPage.tables).toBe(0);
    expect(wardBPage.text).toContain('The units below it may still be shown.');
  });

  it('breaks down by unit and by profession within unit, hiding groups that are too small', async () => {
    const byUnit = await admin.get(`${base()}?by=unit`);
    const rows = rowCells(byUnit.$, 'breakdown');
    expect(rows.map((r) => r[0])).toEqual(['Medicine', 'Tiny team', 'Total']);
    expect(rows[1]?.slice(1)).toEqual(['hidden', 'hidden', 'hidden', '–']);
    for (const c of rows.flatMap((r) => r.slice(1))) expect(isReleased(c), c).toBe(true);
    const twoWay = await admin.get(`${base()}?by=unit&then=profession`);
    expect(twoWay.response.statusCode).toBe(200);
    expect(twoWay.$('#breakdown-heading').text()).toContain('By unit and profession');
  });

  it('keeps filters as GET parameters and refuses a breakdown that is also a filter', async () => {
    const filtered = await admin.get(`${base()}?profession=nurse&unit=${medicine}&by=setting`);
    expect(filtered.response.statusCode).toBe(200);
    expect(filtered.$('select#profession option[selected]').attr('value')).toBe('nurse');
    // The audit log says who looked, at which scope, with which filters and breakdown.
    const { entries } = await app.services.audit.listForOrganisation(orgId);
    const entry = entries.find(
      (e) =>
        e.action === 'insights.viewed' &&
        (e.details?.filters as Record<string, string> | undefined)?.profession === 'nurse',
    );
    expect(entry?.actorDisplayName).toBe('Ada Admin');
    expect(entry?.subjectId).toBe(orgId);
    expect(entry?.details).toMatchObject({
      view: 'organisation',
      unitId: medicine,
      filters: { profession: 'nurse' },
      by: ['setting'],
    });
    const bad = await admin.get(`${base()}?profession=nurse&by=profession`);
    expect(bad.response.statusCode).toBe(422);
    expect(bad.$('title').text()).toMatch(/^Error: /);
    expect(bad.$('.nhsuk-error-summary').text()).toContain('remove it to break down by profession');
  });

  it('shows a line manager their own unit only, and refuses a unit outside it', async () => {
    const mine = await manager.get(base());
    expect(mine.response.statusCode).toBe(200);
    expect(mine.$('.nhsuk-body-l').text()).toContain('Medicine > Ward A');
    const other = await manager.get(`${base()}?unit=${wardB}`);
    expect(other.response.statusCode).toBe(422);
    expect(other.$('.nhsuk-error-summary').text()).toContain('Choose a unit from the list');
  });

  it('lets an insights viewer see the organisation, and nobody’s people', async () => {
    expect((await viewer.get(base())).response.statusCode).toBe(200);
    expect((await viewer.get(`/organisations/${orgId}/people`)).response.statusCode).toBe(403);
    expect((await member.get(base())).response.statusCode).toBe(403);
  });

  it('says how old the figures are while the worker has changes it has not reached for a minute', async () => {
    const warning = async () =>
      (await admin.get(base())).$('main .nhsuk-card--warning').text().replace(/\s+/g, ' ').trim();
    const { database, readModel } = app.services;
    await readModel.processQueue();
    expect(await warning()).toBe('');
    // A change queued two minutes ago that no worker has processed (as if the worker had stopped).
    await database.db.execute(sql`
      insert into insights_queue (person_id, queued_at)
      select id, now() - interval '2 minutes' from people limit 1`);
    const queuedAt = new Date(
      (
        (await database.db.execute<{ at: string | Date }>(
          sql`select max(queued_at) as at from insights_queue`,
        )) as {
          rows: { at: string | Date }[];
        }
      ).rows[0]?.at ?? 0,
    );
    const hhmm = queuedAt.toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    });
    expect(await warning()).toContain(`Figures as of ${hhmm}`);
    await readModel.processQueue();
    expect(await warning()).toBe('');
  });

  it('exports exactly the page’s tables as CSV and XLSX, with the rules, and audits each', async () => {
    const page = await admin.get(`${base()}?by=unit`);
    const csv = await admin.get(`${base()}/export.csv?by=unit`);
    expect(csv.response.headers['content-type']).toContain('text/csv');
    expect(csv.response.headers['content-disposition']).toMatch(
      /attachment; filename="digicap-insights-/,
    );
    const records: string[][] = parse(csv.response.body.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
    });
    expect(
      records.some((r) => r[0] === 'Rule' && (r[1] ?? '').includes('fewer than 10 people')),
    ).toBe(true);
    const pageCapability = rowCells(page.$, 'capability');
    const csvCapabilityStart = records.findIndex((r) => r[0] === 'Capability by area');
    const csvAreas = records.slice(
      csvCapabilityStart + 2,
      csvCapabilityStart + 2 + pageCapability.length,
    );
    expect(csvAreas).toEqual(pageCapability.map((row) => row.map((t) => t.replace(/,/g, ''))));
    const csvFirstArea = csvAreas[0] ?? [];

    const xlsx = await app.inject({
      url: `${base()}/export.xlsx?by=unit`,
      headers: { cookie: admin.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    const bytes = xlsx.rawPayload;
    await workbook.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const names = workbook.worksheets.map((w) => w.name);
    expect(names).toContain('About these figures');
    expect(names).toContain('Capability by area');
    const sheet = workbook.getWorksheet('Capability by area');
    expect(sheet?.getRow(4).getCell(2).value).toEqual(
      /^\d+$/.test(csvFirstArea[1] ?? '') ? Number(csvFirstArea[1]) : csvFirstArea[1],
    );
    const audit = await app.services.audit.listForOrganisation(orgId, { pageSize: 200 });
    const exports = audit.entries.filter((e) => e.action === 'insights.exported');
    expect(exports.map((e) => (e.details as { format?: string }).format).sort()).toEqual([
      'csv',
      'xlsx',
    ]);
  });
});

describe('the national view', () => {
  it('hides the nation’s figures when they are within 7 people of one organisation’s', async () => {
    const signIn = await signedInBrowser(app, {
      email: 'insights.platform@example.org',
      displayName: 'Pia Platform',
    });
    await app.services.accounts.setPlatformAdmin(signIn.personId, true);
    const { response, $ } = await signIn.browser.get('/insights');
    expect(response.statusCode).toBe(200);
    // Every member but the ICB's admin is in the trust: comparing the nation's participation with
    // the trust's would describe one person, so the nation's is hidden. Everyone with results is
    // in the trust (a difference of 0, the same people): capability is shown.
    expect($('#participation-heading').closest('section').text()).toContain(
      'differs from another group shown elsewhere',
    );
    expect($('#capability-heading').closest('section').find('table').length).toBe(1);
    // The trust on its own, drilled into from the national view, is shown in full.
    const trust = await signIn.browser.get(`/insights?organisation=${orgId}`);
    expect(trust.$('#participation-heading').closest('section').find('table').length).toBe(1);
  });
});

describe('sharing with an integrated care board', () => {
  it('lets the admin share, the ICB see the organisation and the total, and the admin withdraw', async () => {
    expect(
      (await icbAdmin.get(`/organisations/${icbId}/insights/shared`)).$('main').text(),
    ).not.toContain('Insights Trust');
    await admin.get(`${base()}/sharing`);
    const shared = await admin.post(`${base()}/sharing`, { organisationId: icbId });
    expect(shared.response.statusCode).toBe(303);
    // Sending the form again says so on the form, and changes nothing.
    const again = await admin.post(`${base()}/sharing`, { organisationId: icbId });
    expect(again.response.statusCode).toBe(422);
    expect(again.$('.nhsuk-error-summary').text()).toContain('already shares its insights');
    const icbView = await icbAdmin.get(`/organisations/${icbId}/insights/shared?by=organisation`);
    expect(icbView.response.statusCode).toBe(200);
    expect(icbView.$('#breakdown-heading').closest('section').text()).toContain('Insights Trust');
    // The ICB sees the organisation's figures, never its units or people.
    expect(icbView.$('select#unit').length).toBe(0);
    expect((await icbAdmin.get(base())).response.statusCode).toBe(404);

    const page = await admin.get(`${base()}/sharing`);
    const action = page.$('form[action$="/withdraw"]').attr('action') ?? '';
    expect((await admin.post(action, {})).response.statusCode).toBe(303);
    const after = await icbAdmin.get(`/organisations/${icbId}/insights/shared?by=organisation`);
    expect(after.$('main').text()).not.toContain('Insights Trust');
    const trustLog = (
      await app.services.audit.listForOrganisation(orgId, { pageSize: 200 })
    ).entries.map((e) => e.action);
    expect(trustLog).toEqual(
      expect.arrayContaining(['insights.shared', 'insights.share-withdrawn']),
    );
    const icbLog = (
      await app.services.audit.listForOrganisation(icbId, { pageSize: 200 })
    ).entries.map((e) => e.action);
    expect(icbLog).toEqual(
      expect.arrayContaining(['insights.shared-with-us', 'insights.share-withdrawn-from-us']),
    );
  });

  it('gives the board’s admin a way to the shared insights from their home page', async () => {
    const { $ } = await icbAdmin.get('/home');
    expect($(`main a[href="/organisations/${icbId}/insights/shared"]`).length).toBe(1);
  });

  it('refuses to share with something that is not an integrated care board', async () => {
    await admin.get(`${base()}/sharing`);
    const refused = await admin.post(`${base()}/sharing`, { organisationId: orgId });
    expect(refused.response.statusCode).toBe(422);
    expect(refused.$('.nhsuk-error-summary').text()).toContain('Choose an integrated care board');
  });
});
