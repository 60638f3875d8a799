/**
 * Evidence pages through the real app (PGlite and PostgreSQL), with files in an in-memory store:
 * every form and its errors (422, error summary, "Error: " title, values kept), CSRF on every
 * POST including the multipart upload, uploads judged by content (disguised files refused with
 * nothing stored; a PDF sent as image/png accepted as a PDF), the size limit, safe downloads,
 * that nobody but the owner gets anything (404), that evidence held by a pending or validated
 * validation request cannot be changed or deleted (409, the page says why), and that a reflection
 * keeps the rules of marking learning done when changed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { parseHtml, textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { testConfig } from '../../../test/support/test-app.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { buildApp } from '../../app.js';
import { createMemoryStorage, type MemoryStorage } from '../../platform/storage/index.js';
import { DEFAULT_FRAMEWORK_SLUG, type FrameworkModel } from '../framework/index.js';
import type { Role } from '../organisations/index.js';
import {
  HTML_PAGE,
  makeDocx,
  makeExe,
  makeFakeDocx,
  makeOle2,
  makePdf,
  makePlainZip,
  makePng,
  reflectionRow,
  SVG_IMAGE,
} from './evidence.fixtures.js';
import { evidenceRepository } from './evidence.repository.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;

let app: FastifyInstance;
let storage: MemoryStorage;
let model: FrameworkModel;
let owner: Person;
let other: Person;
let areaCode: string;
let statementId: string;
let pdf: Buffer;
let people = 0;

async function person(name: string): Promise<Person> {
  people += 1;
  return signedInBrowser(app, {
    email: `evidence-${String(people)}@example.org`,
    displayName: name,
  });
}

beforeAll(async () => {
  storage = createMemoryStorage();
  app = await buildApp(testConfig({ EVIDENCE_MAX_FILE_MB: '1' }), {
    database: await createTestDatabase(),
    logger: false,
    latestTtlMs: 0,
    storage,
  });
  model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const area = model.areas[2];
  const statement = area ? model.statementsInArea(area.code)[0] : undefined;
  if (!area || !statement) throw new Error('the framework has no statements');
  areaCode = area.code;
  statementId = statement.id;
  owner = await person('Olivia Owner');
  other = await person('Oscar Other');
  pdf = await makePdf('Certificate of completion');
}, 120_000);
afterAll(async () => {
  await app.close();
});

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; contentType: string; content: Buffer };
}

/** multipart/form-data as a browser sends it: parts in the order given. */
function multipart(parts: Part[]) {
  const boundary = `----digicap${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (part.file) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.file.filename}"\r\nContent-Type: ${part.file.contentType}\r\n\r\n`,
        ),
        part.file.content,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value ?? ''}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const uploadUrl = '/portfolio/evidence/new/file';

/** Opens the upload page (for its CSRF token) and posts the form with the file given. */
async function upload(
  browser: Browser,
  file: { filename: string; contentType?: string; content: Buffer } | undefined,
  fields: Record<string, string> = {},
  options: { csrf?: string; fileFirst?: boolean } = {},
) {
  const page = await browser.get(`${uploadUrl}?area=${areaCode}`);
  const csrf = options.csrf ?? page.$('form input[name="_csrf"]').attr('value') ?? '';
  const text: Part[] = Object.entries({
    areaCode,
    statementId: '',
    title: 'My file',
    body: '',
    ...fields,
  }).map(([name, value]) => ({ name, value }));
  const filePart: Part = {
    name: 'file',
    file: file
      ? { contentType: 'application/octet-stream', ...file }
      : { filename: '', contentType: 'application/octet-stream', content: Buffer.alloc(0) },
  };
  const parts = options.fileFirst
    ? [{ name: '_csrf', value: csrf }, filePart, ...text]
    : [{ name: '_csrf', value: csrf }, ...text, filePart];
  const body = multipart(parts);
  const response = await app.inject({
    method: 'POST',
    url: uploadUrl,
    headers: { ...body.headers, ...(browser.cookie ? { cookie: browser.cookie } : {}) },
    payload: body.payload,
  });
  return { response, $: parseHtml(response.body) };
}

const errorSummary = ($: ReturnType<typeof parseHtml>) =>
  $('.nhsuk-error-summary a')
    .map((_, a) => [[$(a).attr('href'), $(a).text().trim()]])
    .get() as [string, string][];

const idFrom = (location: unknown) => {
  const id = /^\/portfolio\/evidence\/([0-9a-f-]{36})\?added=1$/.exec(String(location))?.[1];
  if (!id) throw new Error(`not an evidence page: ${String(location)}`);
  return id;
};

describe('signing in and CSRF', () => {
  it('sends anonymous visitors to sign in, and refuses posts without the session’s token', async () => {
    const anonymous = new Browser(app);
    for (const url of [
      '/portfolio',
      '/portfolio/evidence/new',
      `/portfolio/evidence/new/note?area=${areaCode}`,
    ]) {
      const { response } = await anonymous.get(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(url)}`);
    }
    const posted = await anonymous.post('/portfolio/evidence/new/note', { title: 'x' }, 'forged');
    expect(posted.response.statusCode).toBe(403);
    await owner.browser.get('/portfolio/evidence/new');
    const forged = await owner.browser.post(
      '/portfolio/evidence/new/note',
      { areaCode, title: 'Forged', body: 'x' },
      'not-the-token',
    );
    expect(forged.response.statusCode).toBe(403);
  });

  it('refuses an upload with a wrong token, and stores nothing of its file', async () => {
    const before = storage.keys();
    const { response } = await upload(
      owner.browser,
      { filename: 'a.pdf', content: pdf },
      {},
      { csrf: 'forged' },
    );
    expect(response.statusCode).toBe(403);
    const anonymous = await upload(
      new Browser(app),
      { filename: 'a.pdf', content: pdf },
      {},
      { csrf: 'x' },
    );
    expect(anonymous.response.statusCode).toBe(403);
    expect(storage.keys()).toEqual(before);
  });
});

describe('add evidence, step 1: area and kind', () => {
  it('asks for the area and the kind', async () => {
    const { response, $ } = await owner.browser.get('/portfolio/evidence/new');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Add evidence to your portfolio');
    expect($('select#areaCode option').length).toBe(model.areas.length + 1);
    expect(
      $('input[name="kind"]')
        .map((_, i) => $(i).attr('value'))
        .get(),
    ).toEqual(['note', 'link', 'file']);
  });

  it('says what is missing (422)', async () => {
    await owner.browser.get('/portfolio/evidence/new');
    const { response, $ } = await owner.browser.post('/portfolio/evidence/new', {});
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Add evidence to your portfolio/);
    expect(errorSummary($)).toEqual([
      ['#areaCode', 'Select the area of the framework it is about'],
      ['#kind', 'Select the kind of evidence you are adding'],
    ]);
    const kept = await owner.browser.post('/portfolio/evidence/new', { kind: 'link' });
    expect(kept.$('input[name="kind"][value="link"]').attr('checked')).toBeDefined();
  });

  it('goes on to the form for that kind in that area', async () => {
    await owner.browser.get('/portfolio/evidence/new');
    const { response } = await owner.browser.post('/portfolio/evidence/new', {
      areaCode,
      kind: 'file',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/portfolio/evidence/new/file?area=${areaCode}`);
  });

  it('sends a form page without an area back to step 1, and has no page for other kinds', async () => {
    const { response } = await owner.browser.get('/portfolio/evidence/new/link');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/portfolio/evidence/new?kind=link');
    const reflection = await owner.browser.get(
      `/portfolio/evidence/new/reflection?area=${areaCode}`,
    );
    expect(reflection.response.statusCode).toBe(404);
  });
});

describe('a note', () => {
  const url = '/portfolio/evidence/new/note';

  it('shows the area, its statements and the fields', async () => {
    const { response, $ } = await owner.browser.get(`${url}?area=${areaCode}`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Add a note');
    expect($('input[type="hidden"][name="areaCode"]').attr('value')).toBe(areaCode);
    expect(textOf($, '.nhsuk-summary-list__value')).toBe(
      `${areaCode} ${model.nodesByCode.get(areaCode)?.name ?? ''}`,
    );
    expect($('input[name="statementId"]').length).toBe(model.statementsInArea(areaCode).length + 1);
    expect($('input#title').length).toBe(1);
    expect($('textarea#body').length).toBe(1);
  });

  it('says what is wrong (422) and keeps what was typed', async () => {
    await owner.browser.get(`${url}?area=${areaCode}`);
    const empty = await owner.browser.post(url, { areaCode, title: '  ', body: '' });
    expect(empty.response.statusCode).toBe(422);
    expect(empty.$('title').text()).toMatch(/^Error: Add a note/);
    expect(errorSummary(empty.$)).toEqual([
      ['#title', 'Enter a title'],
      ['#body', 'Enter your note'],
    ]);
    const other = model.areas.find((a) => a.code !== areaCode);
    const foreign = other ? model.statementsInArea(other.code)[0]?.id : undefined;
    const wrong = await owner.browser.post(url, {
      areaCode,
      statementId: foreign ?? 'x',
      title: 'T'.repeat(201),
      body: 'Kept text',
    });
    expect(errorSummary(wrong.$)).toEqual([
      ['#statementId', 'Select one of the statements listed, or "The area in general"'],
      ['#title', 'Title must be 200 characters or fewer'],
    ]);
    expect(wrong.$('textarea#body').text()).toBe('Kept text');
    expect(wrong.$('#title-error').text()).toMatch(/Title must be 200 characters or fewer/);
  });

  it('adds it and shows it', async () => {
    await owner.browser.get(`${url}?area=${areaCode}`);
    const { response } = await owner.browser.post(url, {
      areaCode,
      statementId,
      title: 'Taught the ward the new observations app',
      body: 'First paragraph.\n\nSecond <b>paragraph</b>.',
    });
    expect(response.statusCode).toBe(303);
    const id = idFrom(response.headers.location);
    const { $ } = await owner.browser.get(String(response.headers.location));
    expect(textOf($, 'h1')).toBe('Taught the ward the new observations app');
    expect(textOf($, '.nhsuk-inset-text p')).toBe('Added to your portfolio.');
    expect(
      $('main p')
        .map((_, p) => $(p).text())
        .get(),
    ).toEqual(expect.arrayContaining(['First paragraph.', 'Second <b>paragraph</b>.']));
    expect($('main b').length).toBe(0);
    const row = (key: string) =>
      $(`.nhsuk-summary-list__row:has(dt:contains("${key}")) dd`).first().text().trim();
    expect(row('Kind')).toBe('Note');
    expect(row('Statement')).toMatch(/^Level \d: /);
    expect(id).toMatch(/-/);
  });

  it('sends a changed hidden area back to step 1', async () => {
    await owner.browser.get(`${url}?area=${areaCode}`);
    const { response } = await owner.browser.post(url, { areaCode: '99', title: 'x', body: 'y' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/portfolio/evidence/new');
  });
});

describe('a link', () => {
  const url = '/portfolio/evidence/new/link';

  it.each([
    ['', 'Enter the web address'],
    ['javascript:alert(1)', 'Enter a web address starting with https:// or http://'],
    ['ftp://files.example.org/x', 'Enter a web address starting with https:// or http://'],
    [
      'not a web address',
      'Enter a web address in the correct format, like https://www.example.org/certificate',
    ],
    [
      'https://user:secret@www.example.org/',
      'Enter the web address without a user name or password in it',
    ],
  ])('refuses %j (422)', async (value, message) => {
    await owner.browser.get(`${url}?area=${areaCode}`);
    const { response, $ } = await owner.browser.post(url, { areaCode, title: 'Link', url: value });
    expect(response.statusCode).toBe(422);
    expect(errorSummary($)).toEqual([['#url', message]]);
    expect($('input#url').attr('value') ?? '').toBe(value);
  });

  it('adds an http(s) link', async () => {
    await owner.browser.get(`${url}?area=${areaCode}`);
    const { response } = await owner.browser.post(url, {
      areaCode,
      title: 'Online certificate',
      url: 'https://www.example.org/certificates/42',
      body: 'Issued by the course.',
    });
    expect(response.statusCode).toBe(303);
    const { $ } = await owner.browser.get(String(response.headers.location));
    expect($('main a[href="https://www.example.org/certificates/42"]').attr('rel')).toBe(
      'noopener noreferrer',
    );
  });
});

describe('a file', () => {
  it('shows the upload form, multipart with the CSRF field first', async () => {
    const { response, $ } = await owner.browser.get(`${uploadUrl}?area=${areaCode}`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Upload a file');
    const form = $('form[enctype="multipart/form-data"]');
    expect(form.attr('action')).toBe(uploadUrl);
    expect(form.find('input').first().attr('name')).toBe('_csrf');
    expect(form.find('input[type="file"][name="file"]').attr('accept')).toMatch(/\.pdf/);
  });

  it('accepts a PDF by its content, even named .png and sent as image/png, and downloads it safely', async () => {
    const { response } = await upload(owner.browser, {
      filename: 'C:\\fakepath\\scan final (1).png',
      contentType: 'image/png',
      content: pdf,
    });
    expect(response.statusCode).toBe(303);
    const id = idFrom(response.headers.location);
    const { $ } = await owner.browser.get(`/portfolio/evidence/${id}`);
    expect($('main').text()).toMatch(/scan final \(1\)\.png \(PDF, \d+ (bytes|KB)\)/);
    const download = await app.inject({
      url: `/portfolio/evidence/${id}/file`,
      headers: { cookie: owner.browser.cookie },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="scan final (1).png.pdf"; filename*=UTF-8''scan%20final%20%281%29.png.pdf`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toBe(
      "default-src 'none'; sandbox; frame-ancestors 'none'",
    );
    expect(download.headers['cache-control']).toBe('private, no-store');
    expect(download.rawPayload.equals(pdf)).toBe(true);
  });

  it('accepts a Word document and reads fields sent after the file', async () => {
    const { response } = await upload(
      owner.browser,
      { filename: 'reflection.docx', content: makeDocx() },
      { title: 'Reflective essay' },
      { fileFirst: true },
    );
    expect(response.statusCode).toBe(303);
    const { $ } = await owner.browser.get(String(response.headers.location));
    expect(textOf($, 'h1')).toBe('Reflective essay');
    expect($('main').text()).toMatch(/reflection\.docx \(Word document/);
  });

  it.each([
    [
      'an executable renamed .pdf',
      'setup.pdf',
      makeExe(),
      'application/pdf',
      /^"setup.pdf" is not a type of file we accept/,
    ],
    [
      'an HTML page renamed .pdf',
      'page.pdf',
      HTML_PAGE,
      'application/pdf',
      /^"page.pdf" is not a type of file we accept/,
    ],
    [
      'an SVG renamed .png',
      'chart.png',
      SVG_IMAGE,
      'image/png',
      /^"chart.png" is not a type of file we accept/,
    ],
    [
      'a ZIP renamed .docx',
      'essay.docx',
      makePlainZip(),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      /^"essay.docx" is not a type of file we accept/,
    ],
    [
      'a ZIP claiming to be Word',
      'fake.docx',
      makeFakeDocx(),
      'application/octet-stream',
      /^"fake.docx" is not a Word document we can read/,
    ],
    [
      'a legacy .doc',
      'old.doc',
      makeOle2(),
      'application/msword',
      /^"old.doc" is an older Microsoft Office file/,
    ],
  ])(
    'refuses %s (422), naming the file and what is allowed, and stores nothing',
    async (_what, filename, content, contentType, message) => {
      const before = storage.keys();
      const { response, $ } = await upload(owner.browser, { filename, contentType, content });
      expect(response.statusCode).toBe(422);
      expect($('title').text()).toMatch(/^Error: Upload a file/);
      const [[href, text] = ['', '']] = errorSummary($);
      expect(href).toBe('#file');
      expect(text).toMatch(message);
      expect(text).toMatch(/PDF|Word/);
      expect($('#file-error').text()).toMatch(message.source.replace(/^\^/, '').slice(0, 8));
      expect(storage.keys()).toEqual(before);
    },
  );

  it('refuses a file over the limit (422) and stores nothing', async () => {
    const before = storage.keys();
    const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024)]);
    const { response, $ } = await upload(owner.browser, { filename: 'huge.pdf', content: big });
    expect(response.statusCode).toBe(422);
    expect(errorSummary($)).toEqual([
      ['#file', '"huge.pdf" is larger than 1 MB. Upload a file of 1 MB or less'],
    ]);
    expect(storage.keys()).toEqual(before);
  });

  it('asks for a file when none was chosen, and for it again when something else is wrong', async () => {
    const none = await upload(owner.browser, undefined, { title: 'No file' });
    expect(none.response.statusCode).toBe(422);
    expect(errorSummary(none.$)).toEqual([['#file', 'Select a file']]);
    const before = storage.keys();
    const noTitle = await upload(
      owner.browser,
      { filename: 'ok.png', content: makePng() },
      { title: '' },
    );
    expect(noTitle.response.statusCode).toBe(422);
    expect(errorSummary(noTitle.$)).toEqual([['#title', 'Enter a title']]);
    expect(noTitle.$('#file-hint').text()).toMatch(/Select your file again/);
    expect(storage.keys()).toEqual(before);
  });
});

describe('nobody else', () => {
  let id: string;
  beforeAll(async () => {
    const { response } = await upload(
      owner.browser,
      { filename: 'private.png', content: makePng() },
      { title: 'Private' },
    );
    id = idFrom(response.headers.location);
  });

  it('finds the owner’s evidence, its file, or its change and delete pages (404)', async () => {
    for (const suffix of ['', '/file', '/edit', '/delete']) {
      const { response } = await other.browser.get(`/portfolio/evidence/${id}${suffix}`);
      expect(response.statusCode, suffix).toBe(404);
    }
    await other.browser.get('/portfolio');
    const edit = await other.browser.post(`/portfolio/evidence/${id}/edit`, {
      areaCode,
      title: 'Mine',
    });
    expect(edit.response.statusCode).toBe(404);
    const del = await other.browser.post(`/portfolio/evidence/${id}/delete`, {});
    expect(del.response.statusCode).toBe(404);
    const { $ } = await owner.browser.get(`/portfolio/evidence/${id}`);
    expect(textOf($, 'h1')).toBe('Private');
    const portfolio = await other.browser.get('/portfolio');
    expect(portfolio.$('main').text()).not.toMatch(/Private/);
  });

  it('gets 404 for ids that are not evidence', async () => {
    for (const bad of ['nope', '00000000-0000-4000-8000-000000000000']) {
      const { response } = await owner.browser.get(`/portfolio/evidence/${bad}`);
      expect(response.statusCode).toBe(404);
    }
  });
});

describe('changing and deleting', () => {
  let id: string;
  let key: string;
  beforeAll(async () => {
    const before = new Set(storage.keys());
    const { response } = await upload(
      owner.browser,
      { filename: 'change-me.png', content: makePng() },
      { title: 'Before' },
    );
    id = idFrom(response.headers.location);
    key = storage.keys().find((k) => !before.has(k)) ?? '';
  });

  it('shows the change form with the evidence as it is', async () => {
    const { response, $ } = await owner.browser.get(`/portfolio/evidence/${id}/edit`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Change evidence');
    expect($('input#title').attr('value')).toBe('Before');
    expect($('select#areaCode option[selected]').attr('value')).toBe(areaCode);
    expect($('input[name="statementId"][value=""]').attr('checked')).toBeDefined();
    expect($('main').text()).toMatch(/change-me\.png/);
  });

  it('says what is wrong (422)', async () => {
    await owner.browser.get(`/portfolio/evidence/${id}/edit`);
    const newArea = model.areas.find((a) => a.code !== areaCode)?.code ?? '';
    const { response, $ } = await owner.browser.post(`/portfolio/evidence/${id}/edit`, {
      areaCode: newArea,
      statementId,
      title: '',
      body: 'kept',
    });
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Change evidence/);
    expect(errorSummary($)).toEqual([
      ['#statementId', 'Select a statement from the area you chose, or "The area in general"'],
      ['#title', 'Enter a title'],
    ]);
    // The statements offered are now the new area's.
    expect($('input[name="statementId"]').length).toBe(model.statementsInArea(newArea).length + 1);
    expect($('textarea#body').text()).toBe('kept');
  });

  it('saves changes', async () => {
    await owner.browser.get(`/portfolio/evidence/${id}/edit`);
    const { response } = await owner.browser.post(`/portfolio/evidence/${id}/edit`, {
      areaCode,
      statementId,
      title: 'After',
      body: 'A note about the picture.',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/portfolio/evidence/${id}?changed=1`);
    const { $ } = await owner.browser.get(String(response.headers.location));
    expect(textOf($, 'h1')).toBe('After');
    expect(textOf($, '.nhsuk-inset-text p')).toBe('Your changes have been saved.');
  });

  it('asks before deleting, then deletes the evidence and its file', async () => {
    const confirm = await owner.browser.get(`/portfolio/evidence/${id}/delete`);
    expect(confirm.response.statusCode).toBe(200);
    expect(textOf(confirm.$, 'h1')).toBe('Delete this evidence?');
    expect(confirm.$('main').text()).toMatch(/change-me\.png/);
    expect(await storage.exists(key)).toBe(true);
    const forged = await owner.browser.post(`/portfolio/evidence/${id}/delete`, {}, 'forged');
    expect(forged.response.statusCode).toBe(403);
    const { response } = await owner.browser.post(`/portfolio/evidence/${id}/delete`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/portfolio?deleted=1');
    expect(await storage.exists(key)).toBe(false);
    const gone = await owner.browser.get(`/portfolio/evidence/${id}`);
    expect(gone.response.statusCode).toBe(404);
    const { $ } = await owner.browser.get('/portfolio?deleted=1');
    expect(textOf($, '.nhsuk-inset-text p')).toBe('The evidence has been deleted.');
  });
});

describe('held by a validation request', () => {
  let educator: string;
  const notes: Record<'pending' | 'validated' | 'returned', string> = {
    pending: '',
    validated: '',
    returned: '',
  };
  const requests: Record<keyof typeof notes, string> = { ...notes };

  const addNote = async (title: string) =>
    (
      await app.services.evidence.add(owner.personId, 'note', {
        areaCode,
        statementId: '',
        title,
        body: 'As the person asked saw it.',
        url: '',
        reflectionUse: '',
      })
    ).id;

  beforeAll(async () => {
    const { organisations, validation } = app.services;
    const org = await makeOrganisationWithAdmin(app.services, { name: 'Holding Trust' });
    educator = await makePerson(app.services.database, 'Eda Educator');
    const join = (personId: string, roles: Role[]) =>
      organisations.addMembership({
        organisationId: org.organisation.id,
        personId,
        unitId: null,
        roles,
      });
    await join(owner.personId, ['member']);
    await join(educator, ['educator']);
    const [first, second, third] = model.areas;
    for (const [status, area] of [
      ['pending', first],
      ['validated', second],
      ['returned', third],
    ] as const) {
      notes[status] = await addNote(`Offered, ${status}`);
      requests[status] = (
        await validation.ask(owner.personId, {
          areaCode: area?.code ?? '',
          claimedLevel: 2,
          validatorPersonId: educator,
          message: '',
          evidenceIds: [notes[status]],
        })
      ).requestId;
    }
    await validation.decide(educator, requests.validated, { outcome: 'validated', comment: '' });
    await validation.decide(educator, requests.returned, {
      outcome: 'returned',
      comment: 'Add a note on what you did',
    });
  });

  const page = (id: string, rest = '') => `/portfolio/evidence/${id}${rest}`;
  const stored = (id: string) => app.services.evidence.getOwn(owner.personId, id);

  /** The evidence page with the reason instead of the links to change or delete it. */
  function expectHeld($: ReturnType<typeof parseHtml>, status: 'pending' | 'validated') {
    const reason = $('.app-evidence-lock');
    expect(reason.find('a').attr('href')).toBe(`/validation/${requests[status]}`);
    expect(
      reason
        .find('p')
        .map((_, p) => $(p).text())
        .get(),
    ).toEqual(
      status === 'pending'
        ? [
            'You cannot change or delete this evidence while it supports your validation request, which is waiting for a decision.',
            'To change or delete it, withdraw the request first. You can then ask again.',
          ]
        : [
            'You cannot change or delete this evidence: it supports your validation request, which has been validated.',
            'It is kept as it was, as the record of what was validated.',
          ],
    );
    expect($('a[href$="/edit"], a[href$="/delete"]').length).toBe(0);
  }

  for (const status of ['pending', 'validated'] as const) {
    it(`cannot be changed or deleted while the request is ${status} (409, nothing changed)`, async () => {
      const id = notes[status];
      const before = await stored(id);
      const shown = await owner.browser.get(page(id));
      expect(shown.response.statusCode).toBe(200);
      expectHeld(shown.$, status);
      for (const rest of ['/edit', '/delete']) {
        const { response, $ } = await owner.browser.get(page(id, rest));
        expect(response.statusCode, rest).toBe(409);
        expectHeld($, status);
      }
      // A page opened before the request, or a crafted form.
      const edit = await owner.browser.post(page(id, '/edit'), {
        areaCode,
        statementId: '',
        title: 'Rewritten after asking',
        body: 'Not what they saw.',
      });
      expect(edit.response.statusCode).toBe(409);
      expectHeld(edit.$, status);
      const del = await owner.browser.post(page(id, '/delete'), {});
      expect(del.response.statusCode).toBe(409);
      expectHeld(del.$, status);
      expect(await stored(id)).toEqual(before);
    });
  }

  it('can be changed and deleted once the request is returned or withdrawn', async () => {
    const returned = await owner.browser.get(page(notes.returned));
    expect(returned.$('.app-evidence-lock').length).toBe(0);
    expect(returned.$(`a[href="${page(notes.returned, '/edit')}"]`).length).toBe(1);
    const edit = await owner.browser.post(page(notes.returned, '/edit'), {
      areaCode,
      statementId: '',
      title: 'Improved after the comment',
      body: 'With what I did.',
    });
    expect(edit.response.statusCode).toBe(303);
    expect((await stored(notes.returned)).title).toBe('Improved after the comment');

    await app.services.validation.withdraw(owner.personId, requests.pending);
    await owner.browser.get(page(notes.pending, '/delete'));
    const del = await owner.browser.post(page(notes.pending, '/delete'), {});
    expect(del.response.statusCode).toBe(303);
    await expect(stored(notes.pending)).rejects.toThrow('We could not find that evidence');
  });
});

describe('changing a reflection', () => {
  let id: string;
  beforeAll(async () => {
    id = (
      await evidenceRepository.insert(
        app.services.database.db,
        reflectionRow({
          personId: owner.personId,
          frameworkVersionId: model.versionInfo.versionId,
          areaCode,
        }),
      )
    ).id;
  });

  it('counts to 2,000 characters for both texts, as when learning is marked done', async () => {
    const { $ } = await owner.browser.get(`/portfolio/evidence/${id}/edit`);
    for (const field of ['body', 'reflectionUse'])
      expect($(`textarea#${field}`).closest('[data-maxlength]').attr('data-maxlength')).toBe(
        '2000',
      );
  });

  it('needs both texts, each 2,000 characters or fewer (422, nothing saved)', async () => {
    const post = (body: string, reflectionUse: string) =>
      owner.browser.post(`/portfolio/evidence/${id}/edit`, {
        areaCode,
        statementId: '',
        title: 'Changed',
        body,
        reflectionUse,
      });
    await owner.browser.get(`/portfolio/evidence/${id}/edit`);
    const blank = await post('What I learned.', '  ');
    expect(blank.response.statusCode).toBe(422);
    expect(errorSummary(blank.$)).toEqual([['#reflectionUse', 'Enter how you will use it']]);
    const long = await post('x'.repeat(2_001), 'Use');
    expect(long.response.statusCode).toBe(422);
    expect(errorSummary(long.$)).toEqual([
      ['#body', 'What you learned must be 2,000 characters or fewer (you have 2,001)'],
    ]);
    expect(await app.services.evidence.getOwn(owner.personId, id)).toMatchObject({
      title: 'Finished: a course',
      body: 'What I learned.',
      reflectionUse: 'How I will use it.',
    });
    const fine = await post('y'.repeat(2_000), 'z'.repeat(2_000));
    expect(fine.response.statusCode).toBe(303);
  });
});
