/**
 * The catalogue service on the real database (PGlite and PostgreSQL) with the bundled framework:
 * loading the bundled starter catalogue (validated, idempotent, retiring what left the file,
 * leaving what people took over), who may see and change what, and CSV import and export.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { findRootDir } from '../../config.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import { auditEvents } from '../../platform/audit/audit.tables.js';
import type { Database } from '../../platform/db/index.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { createOutboxMailer } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import { createAccountsService } from '../accounts/index.js';
import {
  createFrameworkService,
  DEFAULT_FRAMEWORK_SLUG,
  loadFrameworkContent,
} from '../framework/index.js';
import { createOrganisationsService, type OrganisationsService } from '../organisations/index.js';
import { CatalogueContentError, loadBundledCatalogue } from './catalogue-content.js';
import { BUNDLED_COLUMNS } from './catalogue.csv.js';
import type { ResourceFields } from './catalogue.model.js';
import {
  CatalogueFieldError,
  CatalogueRejectedError,
  type CatalogueService,
  createCatalogueService,
  SHARED_CURATOR,
} from './catalogue.service.js';
import { learningResources } from './learning.tables.js';

let database: Database;
let organisations: OrganisationsService;
let catalogue: CatalogueService;
let clock = new Date('2026-11-25T09:00:00Z');
const contentDir = path.join(findRootDir(), 'content');

let platformAdminId: string;
let orgId: string;
let otherOrgId: string;
let educatorId: string;
let memberId: string;
let lineManagerId: string;
let outsiderId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const audit = createAuditLog(database, () => clock);
  const frameworks = createFrameworkService({ database, latestTtlMs: 0 });
  const dir = path.join(contentDir, 'frameworks', DEFAULT_FRAMEWORK_SLUG);
  await frameworks.syncBundledContent([await loadFrameworkContent(dir)]);
  const accounts = createAccountsService({
    database,
    mailer: createOutboxMailer(pino({ level: 'silent' })),
    rateLimiter: createRateLimiter(database),
    audit,
    publicUrl: 'https://digicap.test',
  });
  organisations = createOrganisationsService({ database, accounts, audit, now: () => clock });
  catalogue = createCatalogueService({
    database,
    frameworks,
    organisations,
    audit,
    now: () => clock,
  });
  platformAdminId = await makePerson(database, 'Pat Platform', { platformAdmin: true });
  const services = { database, organisations };
  const made = await makeOrganisationWithAdmin(services, {
    name: 'Northshire NHS Trust',
    platformAdminId,
  });
  orgId = made.organisation.id;
  otherOrgId = (await makeOrganisationWithAdmin(services, { name: 'Southshire', platformAdminId }))
    .organisation.id;
  const unit = await organisations.addUnit(made.admin, orgId, { name: 'Medicine', parentId: null });
  const join = async (
    name: string,
    organisationId: string,
    roles: ('member' | 'educator' | 'line_manager')[],
  ) => {
    const personId = await makePerson(database, name);
    const unitId = roles.includes('line_manager') ? unit.id : null;
    await organisations.addMembership({ organisationId, personId, unitId, roles });
    return personId;
  };
  educatorId = await join('Eve Educator', orgId, ['educator']);
  memberId = await join('Mo Member', orgId, ['member']);
  lineManagerId = await join('Lin Manager', orgId, ['member', 'line_manager']);
  outsiderId = await join('Oz Outsider', otherOrgId, ['educator']);
});
afterAll(async () => {
  await database.close();
});

const sharedRows = () =>
  database.db
    .select()
    .from(learningResources)
    .where(isNull(learningResources.organisationId))
    .orderBy(learningResources.slug);

const auditActions = async (action: string) =>
  database.db.select().from(auditEvents).where(eq(auditEvents.action, action));

/** A copy of the content folder with the catalogue file changed by `edit`. */
async function contentWith(edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digicap-catalogue-'));
  await cp(path.join(contentDir, 'learning'), path.join(dir, 'learning'), { recursive: true });
  const file = path.join(dir, 'learning', 'learning-resources.csv');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  return dir;
}

const fields = (overrides: Partial<ResourceFields> = {}): ResourceFields => ({
  slug: '',
  title: 'Local digital induction',
  provider: 'Northshire NHS Trust',
  url: 'https://www.example.org/induction',
  format: 'e-learning',
  durationMinutes: 40,
  cost: 'free',
  levels: [1],
  areaCodes: ['1', '2.1'],
  archetypeCodes: ['U'],
  summary: 'How we use our electronic patient record and digital tools safely.',
  ...overrides,
});

describe('loading the bundled catalogue', () => {
  it('stores every entry as bundled, shared and curated by the starter catalogue', async () => {
    const result = await loadBundledCatalogue(contentDir, catalogue, findRootDir());
    expect(result).toMatchObject({
      file: path.join('content', 'learning', 'learning-resources.csv'),
      added: 117,
      updated: 0,
      unchanged: 0,
      retired: 0,
    });
    const rows = await sharedRows();
    expect(rows).toHaveLength(117);
    for (const row of rows) {
      expect(row).toMatchObject({
        source: 'bundled',
        organisationId: null,
        curatedBy: 'digicap starter catalogue',
        curatedByPersonId: null,
        retiredAt: null,
      });
    }
    const first = rows.find((r) => r.slug === 'hee-ai-capability-framework');
    expect(first).toMatchObject({
      format: 'guidance',
      cost: 'free',
      levels: [1, 2, 3, 4],
      areaCodes: ['1', '2.1', '6.2'],
      archetypeCodes: ['S', 'D', 'C', 'E', 'U'],
    });
    expect(await auditActions('learning-catalogue.loaded')).toHaveLength(1);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = await sharedRows();
    clock = new Date('2026-11-26T09:00:00Z');
    const result = await loadBundledCatalogue(contentDir, catalogue, findRootDir());
    expect(result).toMatchObject({ added: 0, updated: 0, unchanged: 117, retired: 0 });
    expect(await sharedRows()).toEqual(before);
    expect(await auditActions('learning-catalogue.loaded')).toHaveLength(1);
  });

  it('is safe when two instances load at once onto an empty database', async () => {
    const fresh = await createTestDatabase();
    try {
      const instance = () => {
        const frameworks = createFrameworkService({ database: fresh, latestTtlMs: 0 });
        return {
          frameworks,
          catalogue: createCatalogueService({
            database: fresh,
            frameworks,
            organisations,
            audit: createAuditLog(fresh),
          }),
        };
      };
      const [one, two] = [instance(), instance()];
      const dir = path.join(contentDir, 'frameworks', DEFAULT_FRAMEWORK_SLUG);
      await one.frameworks.syncBundledContent([await loadFrameworkContent(dir)]);
      const results = await Promise.all([
        loadBundledCatalogue(contentDir, one.catalogue),
        loadBundledCatalogue(contentDir, two.catalogue),
      ]);
      expect(results.map((r) => r?.added).sort()).toEqual([0, 117]);
      const [counted] = await fresh.db
        .select({ n: sql<number>`count(*)::int` })
        .from(learningResources);
      expect(counted?.n).toBe(117);
    } finally {
      await fresh.close();
    }
  });

  it('updates changed entries, retires those that left the file and brings them back', async () => {
    const changed = await contentWith((text) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('hee-ai-framework-launch-webinar,'))
        .join('\n')
        .replace(
          'AI and Digital Healthcare Technologies Capability Framework,',
          'AI and Digital Healthcare Technologies Capability Framework (2023),',
        ),
    );
    try {
      const result = await loadBundledCatalogue(changed, catalogue);
      expect(result).toMatchObject({ added: 0, updated: 1, unchanged: 115, retired: 1 });
      const rows = await sharedRows();
      expect(
        rows.find((r) => r.slug === 'hee-ai-framework-launch-webinar')?.retiredAt,
      ).not.toBeNull();
      expect(rows.find((r) => r.slug === 'hee-ai-capability-framework')?.title).toBe(
        'AI and Digital Healthcare Technologies Capability Framework (2023)',
      );
    } finally {
      await rm(changed, { recursive: true, force: true });
    }
    const again = await loadBundledCatalogue(contentDir, catalogue);
    expect(again).toMatchObject({ added: 0, updated: 2, unchanged: 115, retired: 0 });
    expect((await sharedRows()).every((r) => r.retiredAt === null)).toBe(true);
  });

  it('refuses a file with problems, listing each by line and column, and stores nothing', async () => {
    const broken = await contentWith((text) => {
      const lines = text.split('\n');
      lines[2] = (lines[2] ?? '').replace(',1|6.2,', ',1|9.9,');
      lines[4] = (lines[4] ?? '').replace('https://', 'ftp://');
      return lines.join('\n');
    });
    try {
      const before = await sharedRows();
      const error = await loadBundledCatalogue(broken, catalogue, broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CatalogueContentError);
      const message = (error as Error).message;
      expect(message).toContain('Learning catalogue content is not valid (2 problems)');
      expect(message).toMatch(
        /learning\/learning-resources\.csv: Line 3: "9\.9" is not an area of the framework\. .* \(column: areas\)/,
      );
      expect(message).toMatch(/Line 5: Enter a full web address .* \(column: url\)/);
      expect(await sharedRows()).toEqual(before);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('does nothing when there is no file', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'digicap-no-catalogue-'));
    try {
      expect(await loadBundledCatalogue(empty, catalogue)).toBeUndefined();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('leaves entries people have taken over alone', async () => {
    const [row] = await sharedRows();
    if (!row) throw new Error('no bundled rows');
    await catalogue.edit(platformAdminId, row.id, {
      ...fields(),
      slug: row.slug,
      title: 'Renamed by an admin',
      provider: row.provider,
      url: row.url,
      format: row.format as ResourceFields['format'],
      durationMinutes: row.durationMinutes,
      cost: row.cost as ResourceFields['cost'],
      levels: row.levels,
      areaCodes: row.areaCodes,
      archetypeCodes: row.archetypeCodes,
      summary: row.summary,
    });
    const [second] = (await sharedRows()).slice(1);
    if (!second) throw new Error('no second row');
    await catalogue.setRetired(platformAdminId, second.id, true);
    const result = await loadBundledCatalogue(contentDir, catalogue);
    expect(result).toMatchObject({ keptLocal: 2, updated: 0, retired: 0 });
    const rows = await sharedRows();
    expect(rows.find((r) => r.id === row.id)).toMatchObject({
      title: 'Renamed by an admin',
      source: 'local',
      curatedByPersonId: platformAdminId,
    });
    expect(rows.find((r) => r.id === second.id)?.retiredAt).not.toBeNull();
    await catalogue.setRetired(platformAdminId, second.id, false);
  });
});

describe('who may see and change resources', () => {
  let orgResourceId: string;

  it('lets an educator add a resource for their organisation, with an id made from the title', async () => {
    const resource = await catalogue.add(educatorId, orgId, fields(), '203.0.113.9');
    orgResourceId = resource.id;
    expect(resource).toMatchObject({
      slug: 'local-digital-induction',
      organisationId: orgId,
      source: 'local',
      curatedBy: 'Northshire NHS Trust',
      curatedByPersonId: educatorId,
      statementIds: [],
      reviewDate: null,
    });
    const again = await catalogue.add(educatorId, orgId, fields());
    expect(again.slug).toBe('local-digital-induction-2');
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'learning-resource.added'),
          eq(auditEvents.subjectId, resource.id),
        ),
      );
    expect(event).toMatchObject({
      organisationId: orgId,
      actorPersonId: educatorId,
      ip: '203.0.113.9',
    });
  });

  it('refuses an id already used in the same catalogue', async () => {
    const error = await catalogue
      .add(educatorId, orgId, fields({ slug: 'local-digital-induction' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueFieldError);
    expect((error as CatalogueFieldError).errors[0]?.field).toBe('id');
  });

  it('lets only platform admins add to the shared catalogue', async () => {
    const shared = await catalogue.add(platformAdminId, 'shared', fields({ slug: 'local-x' }));
    expect(shared).toMatchObject({ organisationId: null, curatedBy: SHARED_CURATOR });
    await expect(catalogue.add(educatorId, 'shared', fields())).rejects.toBeInstanceOf(
      CatalogueFieldError,
    );
    for (const personId of [memberId, lineManagerId])
      await expect(catalogue.add(personId, orgId, fields())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(catalogue.add(outsiderId, orgId, fields())).rejects.toBeInstanceOf(
      CatalogueFieldError,
    );
    // A platform admin does not manage an organisation's own resources.
    await expect(catalogue.add(platformAdminId, orgId, fields())).rejects.toBeInstanceOf(
      CatalogueFieldError,
    );
  });

  it("shows an organisation's resources to its members only", async () => {
    for (const personId of [memberId, lineManagerId, educatorId])
      expect((await catalogue.getResource(personId, orgResourceId)).resource.id).toBe(
        orgResourceId,
      );
    for (const personId of [outsiderId, platformAdminId, undefined])
      await expect(catalogue.getResource(personId, orgResourceId)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    expect((await catalogue.getResource(memberId, orgResourceId)).canManage).toBe(false);
    expect((await catalogue.getResource(educatorId, orgResourceId)).canManage).toBe(true);
    await expect(catalogue.getResource(memberId, 'not-a-uuid')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('lets managers alone edit; others are forbidden, or told it is not there', async () => {
    const edited = await catalogue.edit(
      educatorId,
      orgResourceId,
      fields({ title: 'Induction, revised' }),
    );
    expect(edited.title).toBe('Induction, revised');
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'learning-resource.edited'),
          eq(auditEvents.subjectId, orgResourceId),
        ),
      );
    expect(event?.details).toMatchObject({ changed: ['title'] });
    await expect(catalogue.edit(memberId, orgResourceId, fields())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(catalogue.edit(outsiderId, orgResourceId, fields())).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('hides a retired resource from everyone but its managers, and brings it back', async () => {
    await catalogue.setRetired(educatorId, orgResourceId, true);
    await expect(catalogue.getResource(memberId, orgResourceId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(
      (await catalogue.getResource(educatorId, orgResourceId)).resource.retiredAt,
    ).not.toBeNull();
    const memberView = await catalogue.browse(memberId, { q: 'Induction, revised' });
    expect(memberView.resources).toEqual([]);
    const educatorView = await catalogue.browse(
      educatorId,
      { q: 'Induction, revised' },
      { includeRetired: true },
    );
    expect(educatorView.resources.map((r) => r.id)).toEqual([orgResourceId]);
    expect(await catalogue.resourcesForAreas(memberId, ['1'])).not.toContainEqual(
      expect.objectContaining({ id: orgResourceId }),
    );
    await catalogue.setRetired(educatorId, orgResourceId, false);
    expect(await catalogue.resourcesForAreas(memberId, ['1'])).toContainEqual(
      expect.objectContaining({ id: orgResourceId }),
    );
    expect(await catalogue.resourcesForAreas(outsiderId, ['1'])).not.toContainEqual(
      expect.objectContaining({ id: orgResourceId }),
    );
    expect((await auditActions('learning-resource.retired')).length).toBeGreaterThan(0);
    expect((await auditActions('learning-resource.unretired')).length).toBeGreaterThan(0);
  });

  it('browses in pages, moving a page past the end to the last one', async () => {
    const page = await catalogue.browse(undefined, {}, { page: 999, pageSize: 20 });
    expect(page.total).toBeGreaterThanOrEqual(117);
    expect(page.page).toBe(page.pageCount);
    expect(page.resources.length).toBeGreaterThan(0);
    expect(page.managedScopes).toEqual([]);
    const admin = await catalogue.browse(platformAdminId, {});
    expect(admin.managedScopes.map((s) => s.key)).toEqual(['shared']);
  });
});

describe('CSV import and export', () => {
  const header = [...BUNDLED_COLUMNS, 'review_date', 'curated_by'].join(',');
  const line = (id: string, title: string, extra = '2027-03-31,Education team') =>
    `${id},"${title}",Northshire NHS Trust,https://www.example.org/${id},course,60,free,2|3,6.2,E|U,A local course.,,${extra}`;

  it('adds, then on the same file changes nothing, then updates what changed', async () => {
    const file = [
      header,
      line('local-ai-basics', 'AI basics'),
      line('local-ai-safety', 'AI safety'),
    ].join('\n');
    expect(await catalogue.importCsv(educatorId, orgId, file, '203.0.113.9')).toEqual({
      added: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await catalogue.importCsv(educatorId, orgId, file)).toEqual({
      added: 0,
      updated: 0,
      unchanged: 2,
    });
    const changed = [
      header,
      line('local-ai-basics', 'AI basics, second edition'),
      line('local-ai-safety', 'AI safety'),
      line('local-ai-new', 'AI new'),
    ].join('\n');
    expect(await catalogue.importCsv(educatorId, orgId, changed)).toEqual({
      added: 1,
      updated: 1,
      unchanged: 1,
    });
    const basics = await database.db
      .select()
      .from(learningResources)
      .where(
        and(
          eq(learningResources.organisationId, orgId),
          eq(learningResources.slug, 'local-ai-basics'),
        ),
      );
    expect(basics[0]).toMatchObject({
      title: 'AI basics, second edition',
      reviewDate: '2027-03-31',
      curatedBy: 'Education team',
    });
    const events = await auditActions('learning-resources.imported');
    expect(events.map((e) => e.details)).toContainEqual({ added: 1, updated: 1, unchanged: 1 });
  });

  it('imports nothing from a file with any problem', async () => {
    const count = async () =>
      (
        await database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(learningResources)
          .where(eq(learningResources.organisationId, orgId))
      )[0]?.n;
    const before = await count();
    const file = [
      header,
      line('local-good', 'Good'),
      line('local-bad', 'Bad').replace(',6.2,', ',9.9,'),
    ].join('\n');
    const error = await catalogue.importCsv(educatorId, orgId, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueRejectedError);
    expect((error as CatalogueRejectedError).problems).toMatchObject([
      { line: 3, column: 'areas' },
    ]);
    expect(await count()).toBe(before);
    const rejected = await auditActions('learning-resources.import-rejected');
    expect(rejected.at(-1)).toMatchObject({ organisationId: orgId, details: { problems: 1 } });
  });

  it('refuses people who do not manage the catalogue, before reading their file', async () => {
    await expect(catalogue.importCsv(memberId, orgId, 'rubbish')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(catalogue.importCsv(educatorId, 'shared', 'rubbish')).rejects.toBeInstanceOf(
      CatalogueFieldError,
    );
    await expect(catalogue.exportCsv(memberId, orgId)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('exports what a person manages, and the export imports back unchanged', async () => {
    const { filename, csv } = await catalogue.exportCsv(educatorId, orgId);
    expect(filename).toBe('digicap-learning-resources-northshire-nhs-trust.csv');
    expect(csv).toContain('local-ai-basics');
    expect(csv).not.toContain('hee-ai-capability-framework');
    const count = csv.trim().split('\r\n').length - 1;
    expect(await catalogue.importCsv(educatorId, orgId, csv)).toEqual({
      added: 0,
      updated: 0,
      unchanged: count,
    });
    const shared = await catalogue.exportCsv(platformAdminId, 'shared');
    expect(shared.csv).toContain('hee-ai-capability-framework');
    expect(await catalogue.importCsv(platformAdminId, 'shared', shared.csv)).toMatchObject({
      added: 0,
      updated: 0,
    });
  });
});
