/**
 * The portfolio through the real app (PGlite and PostgreSQL): evidence grouped by area in
 * framework order with a filter, the PDF export (its text read back with PDF.js) and the JSON
 * export, each with the person's validated levels (or saying there are none), evidence in
 * "download my data", and deleting an account deleting its files.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInBrowser, TEST_PASSWORD } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { testConfig } from '../../../test/support/test-app.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { makeValidatedLevel } from '../../../test/support/validation.js';
import { buildApp } from '../../app.js';
import { createMemoryStorage, type MemoryStorage } from '../../platform/storage/index.js';
import { validatedLevelText } from '../assessment/index.js';
import { DEFAULT_FRAMEWORK_SLUG, type FrameworkModel } from '../framework/index.js';
import { makePng, reflectionRow } from './evidence.fixtures.js';
import { evidenceRepository } from './evidence.repository.js';
import { learningResources } from './learning.tables.js';
import type { PortfolioExport } from './portfolio.export.js';
import type { ValidatedLevel } from './validation.service.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;

let app: FastifyInstance;
let storage: MemoryStorage;
let model: FrameworkModel;
let owner: Person;
let first: { code: string; name: string };
let later: { code: string; name: string };
/** Validated in the first area (level 3) and the later one (level 2), later first. */
let validatedFirst: ValidatedLevel;
let validatedLater: ValidatedLevel;

/** Adds evidence through the service, as the pages do. */
async function add(
  personId: string,
  kind: 'note' | 'link' | 'file',
  areaCode: string,
  title: string,
  extra: { body?: string; url?: string; statementId?: string } = {},
) {
  const { evidence } = app.services;
  const values = {
    areaCode,
    statementId: extra.statementId ?? '',
    title,
    body: extra.body ?? '',
    url: extra.url ?? '',
    reflectionUse: '',
  };
  if (kind !== 'file') return evidence.add(personId, kind, values);
  const { Readable } = await import('node:stream');
  const received = await evidence.receiveUpload(
    Readable.from([makePng()]),
    'Ward rota – screenshot.png',
  );
  if (!received.ok) throw new Error(received.error);
  return evidence.add(personId, 'file', values, received.upload);
}

beforeAll(async () => {
  storage = createMemoryStorage();
  app = await buildApp(testConfig(), {
    database: await createTestDatabase(),
    logger: false,
    latestTtlMs: 0,
    storage,
  });
  model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const [a, , , , b] = model.areas;
  if (!a || !b) throw new Error('framework too small');
  first = { code: a.code, name: a.name };
  later = { code: b.code, name: b.name };
  owner = await signedInBrowser(app, {
    email: 'portfolio-owner@example.org',
    displayName: 'Zofia Łukasiewicz',
  });
  const statement = model.statementsInArea(later.code)[0];
  // Added in reverse framework order: the page puts them back in order.
  await add(owner.personId, 'note', later.code, 'Ran a data quality audit', {
    body: 'Found 12 duplicate records.\n\nAgreed a fix with the team.',
    statementId: statement?.id ?? '',
  });
  await add(owner.personId, 'link', first.code, 'Certificate: data protection', {
    url: 'https://www.example.org/certificates/77',
  });
  await add(owner.personId, 'file', first.code, 'Rota screenshot', { body: 'The new rota.' });
  const [resource] = await app.services.database.db
    .insert(learningResources)
    .values({
      slug: 'portfolio-test-resource',
      title: 'Example e-learning',
      provider: 'Example provider',
      url: 'https://www.example.org/e-learning',
      format: 'e-learning',
      cost: 'free',
      levels: [1, 2],
      areaCodes: [later.code],
      archetypeCodes: ['U'],
      summary: 'For tests.',
      curatedBy: 'tests',
    })
    .returning({ id: learningResources.id });
  await evidenceRepository.insert(
    app.services.database.db,
    reflectionRow({
      personId: owner.personId,
      title: 'Finished: Example e-learning',
      frameworkVersionId: model.versionInfo.versionId,
      areaCode: later.code,
      body: 'How to check where data goes.',
      reflectionUse: 'Before every new system, I will ask for the data flow.',
      resourceId: resource?.id ?? null,
    }),
  );
  validatedLater = await makeValidatedLevel(app.services, owner.personId, {
    areaCode: later.code,
    level: 2,
    validatorName: 'Jordan Lee',
  });
  validatedFirst = await makeValidatedLevel(app.services, owner.personId, {
    areaCode: first.code,
    level: 3,
  });
}, 120_000);
afterAll(async () => {
  await app.close();
});

describe('the portfolio page', () => {
  it('groups evidence by area in framework order, with kind, title and date', async () => {
    const { response, $ } = await owner.browser.get('/portfolio');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Your portfolio');
    const headings = $('main h2[id^="area-"]')
      .map((_, h) => $(h).text().trim())
      .get();
    expect(headings).toEqual([`${first.code} ${first.name}`, `${later.code} ${later.name}`]);
    const rows = $('main table')
      .toArray()
      .map((table) =>
        $(table)
          .find('tbody tr')
          .toArray()
          .map((tr) => [
            $(tr).find('td').eq(0).find('a').first().text().trim(),
            $(tr).find('td').eq(1).text().replace('Kind', '').trim(),
          ]),
      );
    expect(rows).toEqual([
      [
        ['Rota screenshot', 'File'],
        ['Certificate: data protection', 'Link'],
      ],
      [
        ['Finished: Example e-learning', 'Reflection'],
        ['Ran a data quality audit', 'Note'],
      ],
    ]);
    expect($('main').text()).toMatch(/On: Example e-learning \(Example provider\)/);
    expect($('main').text()).toMatch(/You have 4 pieces of evidence in 2 areas\./);
  });

  it('filters by area (a GET form), and says when an area has none', async () => {
    const { $ } = await owner.browser.get(`/portfolio?area=${later.code}`);
    expect(
      $('main h2[id^="area-"]')
        .map((_, h) => $(h).text().trim())
        .get(),
    ).toEqual([`${later.code} ${later.name}`]);
    expect($('select#area option[selected]').attr('value')).toBe(later.code);
    expect($('form[method="get"][action="/portfolio"]').length).toBe(1);
    const none = await owner.browser.get('/portfolio?area=9.9');
    expect(none.$('main').text()).toMatch(/You have no evidence in that area/);
    const junk = await owner.browser.get('/portfolio?area=<script>');
    expect(junk.$('main h2[id^="area-"]').length).toBe(2);
  });

  it('shows someone with no evidence how to start', async () => {
    const newcomer = await signedInBrowser(app, {
      email: 'portfolio-new@example.org',
      displayName: 'Nell New',
    });
    const { $ } = await newcomer.browser.get('/portfolio');
    expect($('main').text()).toMatch(/You have not added any evidence yet/);
    expect($('main a[href="/portfolio/evidence/new"]').text().trim()).toBe('Add evidence');
  });
});

describe('exports', () => {
  it('makes a PDF for appraisal with the name, date and each area’s evidence, but no file contents', async () => {
    const { response } = await owner.browser.get('/portfolio/export.pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="digicap-portfolio-\d{4}-\d{2}-\d{2}\.pdf"$/,
    );
    const text = await pdfText(response.rawPayload);
    expect(text).toContain('Portfolio of evidence');
    expect(text).toContain('Name: Zofia Łukasiewicz');
    expect(text).toMatch(/Date: \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(text).toContain('Evidence: 4 items in 2 areas');
    // Validated levels, in framework order, before the evidence.
    const validated = [
      'Validated levels',
      `${first.code} ${first.name}: ${validatedLevelText(validatedFirst)}`,
      `${later.code} ${later.name}: ${validatedLevelText(validatedLater)}`,
    ].map((s) => text.indexOf(s));
    expect(validated.every((i) => i >= 0)).toBe(true);
    expect([...validated].sort((a, b) => a - b)).toEqual(validated);
    expect(validatedLevelText(validatedFirst)).toMatch(/^Validated: level 3 by Morgan Reid, /);
    expect(validatedLevelText(validatedLater)).toMatch(/^Validated: level 2 by Jordan Lee, /);
    expect(text).toContain('never combined with them');
    const evidence = text.slice(text.indexOf('Validated: level 2 by Jordan Lee'));
    const order = [
      `${first.code} ${first.name}`,
      'Rota screenshot',
      'File: Ward rota – screenshot.png (PNG image',
      'Certificate: data protection',
      'https://www.example.org/certificates/77',
      `${later.code} ${later.name}`,
      'Finished: Example e-learning',
      'Learning resource: Example e-learning (Example provider)',
      'What I learned',
      'How to check where data goes.',
      'How I will use it',
      'Ran a data quality audit',
      'Found 12 duplicate records.',
    ].map((s) => evidence.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('gives the same as JSON, in the documented shape', async () => {
    const { response } = await owner.browser.get('/portfolio/export.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="digicap-portfolio-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = JSON.parse(response.body) as PortfolioExport;
    expect(data).toMatchObject({
      format: 'digicap-portfolio',
      formatVersion: 2,
      person: { name: 'Zofia Łukasiewicz' },
      framework: { slug: DEFAULT_FRAMEWORK_SLUG, version: model.version },
      evidenceCount: 4,
    });
    expect(new Date(data.exportedAt).toISOString()).toBe(data.exportedAt);
    expect(data.areas.map((a) => [a.code, a.evidence.map((e) => e.kind)])).toEqual([
      [first.code, ['file', 'link']],
      [later.code, ['reflection', 'note']],
    ]);
    const [file, link] = data.areas[0]?.evidence ?? [];
    if (!file) throw new Error('no file in the export');
    const { id, createdAt, updatedAt, ...rest } = file;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(createdAt).toISOString()).toBe(createdAt);
    expect(updatedAt).toBe(createdAt);
    expect(rest).toEqual({
      kind: 'file',
      title: 'Rota screenshot',
      statement: null,
      text: 'The new rota.',
      howIWillUseIt: null,
      url: null,
      resource: null,
      file: { name: 'Ward rota – screenshot.png', type: 'image/png', sizeBytes: makePng().length },
    });
    expect(link?.url).toBe('https://www.example.org/certificates/77');
    const [reflection, note] = data.areas[1]?.evidence ?? [];
    expect(reflection).toMatchObject({
      howIWillUseIt: 'Before every new system, I will ask for the data flow.',
      resource: {
        title: 'Example e-learning',
        provider: 'Example provider',
        url: 'https://www.example.org/e-learning',
      },
    });
    const statement = model.statementsInArea(later.code)[0];
    expect(note?.statement).toEqual({
      id: statement?.id,
      level: statement?.level,
      text: statement?.text,
    });
    expect(data.validatedLevels).toEqual([
      {
        code: first.code,
        name: first.name,
        level: 3,
        validatedBy: 'Morgan Reid',
        validatedOn: validatedFirst.validatedAt.toISOString(),
      },
      {
        code: later.code,
        name: later.name,
        level: 2,
        validatedBy: 'Jordan Lee',
        validatedOn: validatedLater.validatedAt.toISOString(),
      },
    ]);
  });

  it('says so when no level has been validated', async () => {
    const newcomer = await signedInBrowser(app, {
      email: 'portfolio-unvalidated@example.org',
      displayName: 'Una Unvalidated',
    });
    const pdf = await newcomer.browser.get('/portfolio/export.pdf');
    const text = await pdfText(pdf.response.rawPayload);
    expect(text).toContain('Validated levels');
    expect(text).toContain(
      'No levels had been validated by a line manager or educator when this document was made.',
    );
    expect(text).not.toContain('Validated: level');
    const json = await newcomer.browser.get('/portfolio/export.json');
    const data = JSON.parse(json.response.body) as PortfolioExport;
    expect(data.formatVersion).toBe(2);
    expect(data.validatedLevels).toEqual([]);
  });

  it('sends anonymous visitors to sign in', async () => {
    for (const url of ['/portfolio/export.pdf', '/portfolio/export.json']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(303);
    }
  });
});

describe('the person’s own data', () => {
  it('includes evidence in "download my data", with file details but not the files', async () => {
    const { response } = await owner.browser.get('/account/download');
    const data = JSON.parse(response.body) as { evidence: { kind: string; file: unknown }[] };
    expect(data.evidence.map((e) => e.kind).sort()).toEqual(['file', 'link', 'note', 'reflection']);
    expect(data.evidence.find((e) => e.kind === 'file')?.file).toEqual({
      name: 'Ward rota – screenshot.png',
      type: 'image/png',
      sizeBytes: makePng().length,
    });
  });

  it('deletes the person’s files when they delete their account', async () => {
    const leaving = await signedInBrowser(app, {
      email: 'portfolio-leaving@example.org',
      displayName: 'Lena Leaving',
    });
    const before = new Set(storage.keys());
    await add(leaving.personId, 'file', first.code, 'To be erased');
    const theirs = storage.keys().filter((k) => !before.has(k));
    expect(theirs).toHaveLength(1);
    await leaving.browser.get('/account/delete');
    const { response } = await leaving.browser.post('/account/delete', { password: TEST_PASSWORD });
    expect(response.statusCode).toBe(303);
    await app.services.evidence.idle();
    expect(storage.keys().filter((k) => theirs.includes(k))).toEqual([]);
    expect(storage.keys().length).toBe(before.size);
  });
});
