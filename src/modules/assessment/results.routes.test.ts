/**
 * Results, the PDF report, exports, "My progress" and comparisons through the real app (PGlite
 * and PostgreSQL): what each page shows, that only the owner sees their own submitted
 * assessments, validation of the comparison form, CSV injection, validated levels beside the
 * person's own in the exports and comparisons (and those still working when they cannot be
 * read), and "download my data".
 */
import type { CheerioAPI } from 'cheerio';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  makeSubmittedAssessment,
  resultsFromModel,
  submitThroughJourney,
} from '../../../test/support/assessments.js';
import { Browser, nextTestAddress, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { makeValidatedLevel } from '../../../test/support/validation.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import type { AssessmentResults } from './assessment.model.js';
import { type AssessmentExport, CSV_COLUMNS } from './export.js';
import { VALIDATED_NOW_HEADING } from './history.presenter.js';
import { type ResultsValidatedLevel, validatedOnText } from './results.validated.js';

let app: FastifyInstance;
let priya: Awaited<ReturnType<typeof signedInBrowser>>;
let other: Awaited<ReturnType<typeof signedInBrowser>>;
/** Submitted through the journey itself. */
let latest: { id: string; results: AssessmentResults };
/** Submitted two months earlier, without area 6.4. */
let earlier: { id: string; results: AssessmentResults };
let othersId: string;

beforeAll(async () => {
  app = await buildTestApp();
  priya = await signedInBrowser(app, {
    email: 'priya.results@example.org',
    displayName: 'Priya Sharma',
  });
  other = await signedInBrowser(app, { email: 'other.results@example.org', displayName: 'Olu' });
  earlier = await makeSubmittedAssessment(app.services, priya.personId, {
    submittedAt: new Date(Date.now() - 60 * 86_400_000),
    defaultLevel: 0,
    levels: { '1': 2 },
    omitAreas: ['6.4'],
  });
  latest = await submitThroughJourney(app.services, priya.personId, {
    // Level 1 statements met, levels 2+ not: below target wherever the target is 2 or more.
    answer: (s) => (s.level <= 1 ? '3' : '0'),
  });
  othersId = (await makeSubmittedAssessment(app.services, other.personId)).id;
}, 120_000);
afterAll(async () => {
  await app.close();
});

const url = (id: string, rest: string) => `/assessments/${id}${rest}`;
const areaName = (results: AssessmentResults, code: string) =>
  results.areas.find((a) => a.areaCode === code)?.areaName ?? code;

/** A comparison table row's cells, without the headings the responsive table repeats in each. */
const comparisonRow = ($: CheerioAPI, code: string) =>
  $('.app-results-domain tbody tr')
    .filter((_, tr) => $(tr).find('td a').first().text().startsWith(`${code} `))
    .find('td')
    .map((_, td) => {
      const cell = $(td).clone();
      cell.find('.nhsuk-table__heading').remove();
      return cell.text().replace(/\s+/g, ' ').trim();
    })
    .get();

describe('the results page', () => {
  it('shows levels beside targets by domain, a chart, gaps and strengths', async () => {
    const { response, $ } = await priya.browser.get(url(latest.id, '/results'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(textOf($, 'h1')).toMatch(/Your results$/);

    const chart = $('figure.app-chart-figure svg');
    expect(chart.attr('role')).toBe('img');
    expect(chart.find('title').first().text()).toMatch(/Your level in each area/);
    expect(chart.find('g.app-chart__row').length).toBe(latest.results.areas.length);

    const domains = new Set(latest.results.areas.map((a) => a.domainCode));
    expect($('.app-results-domain table').length).toBe(domains.size);
    const tableAreas = $('.app-results-domain tbody tr td:first-child a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(tableAreas).toEqual(
      latest.results.areas.map((a) => `/frameworks/${DEFAULT_FRAMEWORK_SLUG}/areas/${a.areaCode}`),
    );

    const gaps = $('ol.app-gaps li a')
      .map((_, a) => $(a).text())
      .get();
    expect(latest.results.gaps.length).toBeGreaterThan(0);
    expect(gaps).toEqual(
      latest.results.gaps.map((code) => `${code} ${areaName(latest.results, code)}`),
    );
    expect($('#next').length).toBe(1);
  });

  it('is printable: a print link for JavaScript, downloads and sharing outside the print', async () => {
    const { $ } = await priya.browser.get(url(latest.id, '/results'));
    expect($('.app-printable').length).toBe(1);
    expect($('.app-print-link[hidden] a[data-module="app-print-link"]').text()).toBe(
      'Print this page',
    );
    const actions = $('ul.app-results-actions.app-no-print a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(actions).toEqual([
      '#',
      url(latest.id, '/report.pdf'),
      url(latest.id, '/export.csv'),
      url(latest.id, '/export.json'),
      url(latest.id, '/sharing'),
      // Asking for validation (the learning module's page; the app keeps validations).
      '/validation',
      '/progress',
    ]);
  });

  it('is not found for someone else’s assessment, in progress or not, or a made-up id', async () => {
    const started = await app.services.assessments.startAssessment(other.personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    for (const path of ['/results', '/report.pdf', '/export.csv', '/export.json']) {
      expect((await priya.browser.get(url(othersId, path))).response.statusCode).toBe(404);
      expect((await other.browser.get(url(latest.id, path))).response.statusCode).toBe(404);
      expect((await priya.browser.get(url('not-a-uuid', path))).response.statusCode).toBe(404);
      const inProgress = await priya.browser.get(url(started.assessment.id, path));
      expect(inProgress.response.statusCode).toBe(404);
    }
  });

  it('sends the owner of an assessment still in progress to its task list; downloads say why not', async () => {
    const started = await app.services.assessments.startAssessment(other.personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const id = started.assessment.id;
    const results = await other.browser.get(url(id, '/results'));
    expect(results.response.statusCode).toBe(303);
    expect(results.response.headers.location).toBe(`/assessments/${id}`);
    for (const path of ['/report.pdf', '/export.csv', '/export.json']) {
      const { response, $ } = await other.browser.get(url(id, path));
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(textOf($, 'main')).toMatch(
        /has not been submitted yet, so it has no report or exports/,
      );
    }
  });

  it('sends anonymous visitors to sign in', async () => {
    const anonymous = new Browser(app, nextTestAddress());
    const { response } = await anonymous.get(url(latest.id, '/results'));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `/sign-in?returnTo=${encodeURIComponent(url(latest.id, '/results'))}`,
    );
  });
});

describe('the PDF report', () => {
  it('is a PDF download with the name, date, framework version, chart, table and gaps', async () => {
    const { response } = await priya.browser.get(url(latest.id, '/report.pdf'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="digicap-assessment-\d{4}-\d{2}-\d{2}\.pdf"$/,
    );
    const bytes = response.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('Priya Sharma');
    expect(text).toContain(
      `${latest.results.frameworkTitle}, version ${String(latest.results.frameworkVersion)}`,
    );
    expect(text).toContain('Levels and targets by area');
    expect(text).toContain('Your gaps, most urgent first');
    for (const code of latest.results.gaps)
      expect(text).toContain(`${code} ${areaName(latest.results, code)}`);
    // The chart's axis and legend are drawn as text too.
    expect(text).toContain('Target level');
  });
});

describe('the PDF report’s profile', () => {
  it('names the profession and work setting from the framework’s lists', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const { id } = await makeSubmittedAssessment(app.services, other.personId, {
      results: { ...resultsFromModel(model), professionCode: 'nurse', workSettingCode: 'acute' },
    });
    const text = await pdfText(
      (await other.browser.get(url(id, '/report.pdf'))).response.rawPayload,
    );
    expect(text).toContain('Profession: Nurse');
    expect(text).toContain('Work setting: Acute hospital');
  });

  it('shows a code no longer in the framework’s lists as it was recorded, and says when none was given', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const { id } = await makeSubmittedAssessment(app.services, other.personId, {
      results: {
        ...resultsFromModel(model),
        professionCode: 'retired-profession',
        workSettingCode: null,
      },
    });
    const text = await pdfText(
      (await other.browser.get(url(id, '/report.pdf'))).response.rawPayload,
    );
    expect(text).toContain('Profession: retired-profession');
    expect(text).toContain('Work setting: Not given');
  });

  it('shows an area answered entirely "not relevant" as such, not as a gap', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const base = resultsFromModel(model, { defaultLevel: 4, levels: { '1': 0 } });
    const results: AssessmentResults = {
      ...base,
      areas: base.areas.map((a) =>
        a.areaCode === '1' ? { ...a, answered: 0, notRelevant: 3 } : a,
      ),
    };
    expect(results.gaps).toEqual(['1']);
    const { id } = await makeSubmittedAssessment(app.services, other.personId, { results });
    const text = await pdfText(
      (await other.browser.get(url(id, '/report.pdf'))).response.rawPayload,
    );
    expect(text).toContain('Not relevant to your role');
    expect(text).toContain('You meet your target level in every area that has one.');

    const { $ } = await other.browser.get(url(id, '/results'));
    expect($('ol.app-gaps').length).toBe(0);
    expect(textOf($, '#results-summary')).toMatch(/1 area was marked not relevant to your role/);
  });
});

describe('the results page’s profile', () => {
  it('names the profession and work setting from the framework’s lists, as the PDF does', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const { id } = await makeSubmittedAssessment(app.services, other.personId, {
      results: { ...resultsFromModel(model), professionCode: 'nurse', workSettingCode: 'acute' },
    });
    const { response, $ } = await other.browser.get(url(id, '/results'));
    expect(response.statusCode).toBe(200);
    const summary = Object.fromEntries(
      $('dl.nhsuk-summary-list .nhsuk-summary-list__row')
        .map((_, row) => [
          [
            $(row).find('.nhsuk-summary-list__key').text().trim(),
            $(row).find('.nhsuk-summary-list__value').text().trim(),
          ],
        ])
        .get() as [string, string][],
    );
    expect(summary).toEqual(
      expect.objectContaining({ Profession: 'Nurse', 'Work setting': 'Acute hospital' }),
    );
  });
});

describe('links from the results page to framework areas', () => {
  it('links an area only where the framework explorer’s current version still has it', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const base = resultsFromModel(model, { defaultLevel: 0 });
    // An area of an earlier version that the current one no longer has, as the first gap.
    const [first] = base.areas;
    if (!first) throw new Error('the framework has no areas');
    const gone = {
      ...first,
      areaCode: '9.9',
      areaName: 'Retired area',
      targetLevel: 4,
      shortfall: 4,
    };
    const results: AssessmentResults = {
      ...base,
      areas: [...base.areas, gone],
      gaps: ['9.9', ...base.gaps],
    };
    const { id } = await makeSubmittedAssessment(app.services, other.personId, { results });
    const { $ } = await other.browser.get(url(id, '/results'));
    const firstGap = $('ol.app-gaps li').first();
    expect(firstGap.text()).toMatch(/^\s*9\.9 Retired area:/);
    expect(firstGap.find('a').length).toBe(0);
    const linked = $('ol.app-gaps li a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(linked).toEqual(
      base.gaps.map((code) => `/frameworks/${DEFAULT_FRAMEWORK_SLUG}/areas/${code}`),
    );
    const goneRow = $('.app-results-domain tbody tr').filter((_, tr) =>
      $(tr).find('td').first().text().includes('9.9 Retired area'),
    );
    expect(goneRow.length).toBe(1);
    expect(goneRow.find('a').length).toBe(0);
    expect(textOf($, '.app-next-steps li')).toMatch(/9\.9 Retired area$/);
    expect($('.app-next-steps li').first().find('a').length).toBe(0);
  });
});

describe('an area answered entirely "not relevant" in exports and comparisons', () => {
  let notRelevantId: string;
  let laterId: string;
  beforeAll(async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const base = resultsFromModel(model, {
      defaultLevel: 4,
      levels: { '1': 0 },
      submittedAt: new Date(Date.now() - 86_400_000),
    });
    const results: AssessmentResults = {
      ...base,
      areas: base.areas.map((a) =>
        a.areaCode === '1' ? { ...a, answered: 0, notRelevant: 3 } : a,
      ),
    };
    notRelevantId = (
      await makeSubmittedAssessment(app.services, other.personId, {
        results,
        submittedAt: new Date(results.submittedAt),
      })
    ).id;
    laterId = (
      await makeSubmittedAssessment(app.services, other.personId, {
        defaultLevel: 4,
        levels: { '1': 2 },
      })
    ).id;
  });

  it('CSV: no level, "Not relevant to your role: Yes", not "below level 1"', async () => {
    const { response } = await other.browser.get(url(notRelevantId, '/export.csv'));
    const rows: string[][] = parse(response.body, { bom: true });
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const cell = (row: string[] | undefined, name: (typeof CSV_COLUMNS)[number]) =>
      row?.[CSV_COLUMNS.indexOf(name)];
    const one = rows.find((r) => r[0] === 'Area result' && r[1] === '1');
    expect(cell(one, 'Your level')).toBe('');
    expect(cell(one, 'Not relevant to your role')).toBe('Yes');
    expect(cell(one, 'Compared with target')).toBe('Not counted as a gap');
  });

  it('JSON: level null with notRelevant true, and not among the gaps', async () => {
    const { response } = await other.browser.get(url(notRelevantId, '/export.json'));
    const data = JSON.parse(response.body) as {
      results: {
        areas: { areaCode: string; level: number | null; notRelevant: boolean }[];
        gaps: string[];
      };
    };
    expect(data.results.areas.find((a) => a.areaCode === '1')).toEqual(
      expect.objectContaining({ level: null, notRelevant: true }),
    );
    expect(data.results.gaps).not.toContain('1');
  });

  it('comparison: "Not relevant to your role", not counted as a rise', async () => {
    const { response, $ } = await other.browser.get(
      `/progress/compare?from=${notRelevantId}&to=${laterId}`,
    );
    expect(response.statusCode).toBe(200);
    const row = comparisonRow($, '1');
    expect(row.slice(1)).toEqual(['Not relevant to your role', 'Level 2', 'Not compared']);
    const summary = $('dl.nhsuk-summary-list .nhsuk-summary-list__row')
      .map((_, r) => `${$(r).find('dt').text().trim()}: ${$(r).find('dd').text().trim()}`)
      .get();
    expect(summary).toContain('Areas that went up: 0');
  });
});

describe('exports', () => {
  it('CSV: a row per area result and per answer, with statement texts and answer labels', async () => {
    const { response } = await priya.browser.get(url(latest.id, '/export.csv'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /filename="digicap-assessment-.*\.csv"/,
    );
    const rows: string[][] = parse(response.body, { bom: true });
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const areaRows = rows.filter((r) => r[0] === 'Area result');
    const answerRows = rows.filter((r) => r[0] === 'Answer');
    expect(areaRows.length).toBe(latest.results.areas.length);
    expect(answerRows.length).toBeGreaterThan(latest.results.areas.length);
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    for (const row of answerRows) {
      const statement = model.statementsById.get(row[7] ?? '');
      expect(statement).toBeDefined();
      expect(row[9]).toBe(statement?.text);
      expect(row[10]).toBe(
        statement && statement.level <= 1 ? 'I could lead or teach this' : "I can't do this yet",
      );
    }
  });

  it('CSV: cells that a spreadsheet would run as formulas start with an apostrophe', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const base = resultsFromModel(model);
    const hostile: AssessmentResults = {
      ...base,
      areas: base.areas.map((a, i) => ({
        ...a,
        areaName:
          ['=HYPERLINK("http://evil.example")', '+1+1', '-2', '@SUM(A1)', '\tTab'][i] ?? a.areaName,
        domainName: i === 0 ? '=cmd|/c calc!A1' : a.domainName,
      })),
    };
    const { id } = await makeSubmittedAssessment(app.services, other.personId, {
      results: hostile,
    });
    const { response } = await other.browser.get(url(id, '/export.csv'));
    const rows: string[][] = parse(response.body, { bom: true, relax_quotes: true });
    const first = rows.find((r) => r[0] === 'Area result');
    expect(first?.[2]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(first?.[3]).toBe(`'=cmd|/c calc!A1`);
    const names = rows.filter((r) => r[0] === 'Area result').map((r) => r[2]);
    expect(names.slice(0, 5)).toEqual([
      `'=HYPERLINK("http://evil.example")`,
      `'+1+1`,
      `'-2`,
      `'@SUM(A1)`,
      `'\tTab`,
    ]);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('JSON: the answers with their statements and the results snapshot’s levels', async () => {
    const { response } = await priya.browser.get(url(latest.id, '/export.json'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const data = JSON.parse(response.body) as {
      format: string;
      person: { name: string };
      assessment: { id: string; framework: { version: number } };
      answers: { statementId: string; statementText: string; answerLabel: string }[];
      results: Omit<AssessmentResults, 'areas'> & { areas: Record<string, unknown>[] };
    };
    expect(data.format).toBe('digicap assessment export, version 3');
    expect(data.person.name).toBe('Priya Sharma');
    expect(data.assessment.id).toBe(latest.id);
    const { areas, ...rest } = data.results;
    const { areas: snapshotAreas, ...snapshotRest } = latest.results;
    expect(rest).toEqual(snapshotRest);
    expect(areas).toEqual(
      snapshotAreas.map(({ notRelevant, ...a }): unknown =>
        expect.objectContaining({ ...a, notRelevant: false, notRelevantAnswers: notRelevant }),
      ),
    );
    expect(data.answers.length).toBeGreaterThan(0);
    for (const a of data.answers) {
      expect(a.statementText).toEqual(expect.any(String));
      expect(a.answerLabel).toMatch(/^(I could lead or teach this|I can't do this yet)$/);
    }
  });
});

describe('validated levels beside the person’s own in exports and comparisons', () => {
  let valerie: Awaited<ReturnType<typeof signedInBrowser>>;
  let before: string;
  let after: string;
  /** Area 1, self-assessed at level 1 then 2, validated at level 3. */
  let validated: ResultsValidatedLevel;
  beforeAll(async () => {
    valerie = await signedInBrowser(app, {
      email: 'valerie.results@example.org',
      displayName: 'Valerie Vance',
    });
    const submitted = (daysAgo: number, level: number) =>
      makeSubmittedAssessment(app.services, valerie.personId, {
        submittedAt: new Date(Date.now() - daysAgo * 86_400_000),
        defaultLevel: 1,
        levels: { '1': level },
      });
    before = (await submitted(30, 1)).id;
    after = (await submitted(1, 2)).id;
    validated = await makeValidatedLevel(app.services, valerie.personId, {
      areaCode: '1',
      level: 3,
    });
  });

  const csvRows = async (who: typeof priya, id: string): Promise<string[][]> =>
    parse((await who.browser.get(url(id, '/export.csv'))).response.body, { bom: true });
  const cell = (row: string[] | undefined, name: (typeof CSV_COLUMNS)[number]) =>
    row?.[CSV_COLUMNS.indexOf(name)];
  const validatedCells = (row: string[] | undefined) =>
    (['Validated level', 'Validated by', 'Validated on'] as const).map((c) => cell(row, c));
  const jsonOf = async (who: typeof priya, id: string) =>
    JSON.parse((await who.browser.get(url(id, '/export.json'))).response.body) as AssessmentExport;
  /** The comparison tables' headings, and each area's cells without the repeated headings. */
  const comparison = async (who: typeof priya, from: string, to: string) => {
    const { response, $ } = await who.browser.get(`/progress/compare?from=${from}&to=${to}`);
    expect(response.statusCode).toBe(200);
    const head = $('.app-results-domain table')
      .first()
      .find('thead th')
      .map((_, th) => $(th).text().trim())
      .get();
    const rowFor = (code: string) => comparisonRow($, code);
    return { head, rowFor, note: $('.app-validated-note').text() };
  };

  it('CSV: the validated level, who and when beside the person’s own level', async () => {
    const rows = await csvRows(valerie, after);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const areaRows = rows.filter((r) => r[0] === 'Area result');
    const one = areaRows.find((r) => r[1] === '1');
    expect(cell(one, 'Your level')).toBe('2');
    expect(validatedCells(one)).toEqual([
      '3',
      'Morgan Reid',
      validatedOnText(validated.validatedAt),
    ]);
    for (const row of areaRows.filter((r) => r[1] !== '1'))
      expect(validatedCells(row)).toEqual(['', '', '']);
    for (const row of rows.filter((r) => r[0] === 'Answer'))
      expect(validatedCells(row)).toEqual(['', '', '']);
  });

  it('JSON: each area’s validated level kept apart from its own, in format version 3', async () => {
    const data = await jsonOf(valerie, after);
    expect(data.format).toBe('digicap assessment export, version 3');
    expect(data.validatedLevels).toBe('included');
    const one = data.results.areas.find((a) => a.areaCode === '1');
    expect(one?.level).toBe(2);
    expect(one?.validated).toEqual({
      level: 3,
      validatedBy: 'Morgan Reid',
      validatedOn: validated.validatedAt.toISOString(),
    });
    expect(data.results.areas.filter((a) => a.validated !== null)).toHaveLength(1);
  });

  it('exports nothing validated for someone with no validated level', async () => {
    const rows = await csvRows(priya, latest.id);
    for (const row of rows.slice(1)) expect(validatedCells(row)).toEqual(['', '', '']);
    const data = await jsonOf(priya, latest.id);
    expect(data.validatedLevels).toBe('included');
    expect(data.results.areas.every((a) => a.validated === null)).toBe(true);
  });

  it('comparison: a column of its own for the validated level now, apart from the change', async () => {
    const { head, rowFor, note } = await comparison(valerie, before, after);
    expect(head).toHaveLength(5);
    expect(head[1]).toMatch(/ \(self-assessed\)$/);
    expect(head[2]).toMatch(/ \(self-assessed\)$/);
    expect(head.slice(3)).toEqual(['Change', VALIDATED_NOW_HEADING]);
    expect(rowFor('1').slice(1)).toEqual([
      'Level 1',
      'Level 2',
      '+1',
      `Validated: level 3 by Morgan Reid, ${validatedOnText(validated.validatedAt)}`,
    ]);
    expect(rowFor('2.1').slice(1)).toEqual(['Level 1', 'Level 1', 'No change', 'Not validated']);
    expect(note).toMatch(/never counted in the comparison/);
  });

  it('comparison: no such column for someone with no validated level', async () => {
    const { head, note } = await comparison(priya, earlier.id, latest.id);
    expect(head).toHaveLength(4);
    expect(head).not.toContain(VALIDATED_NOW_HEADING);
    expect(note).toBe('');
  });

  it('exports and comparisons still work when validated levels cannot be read, and say so', async () => {
    const failing = vi
      .spyOn(app.services.validation, 'validatedLevels')
      .mockRejectedValue(new Error('validations are down'));
    try {
      const rows = await csvRows(valerie, after);
      for (const row of rows.filter((r) => r[0] === 'Area result'))
        expect(validatedCells(row)).toEqual(['Not available', '', '']);
      const data = await jsonOf(valerie, after);
      expect(data.validatedLevels).toBe('unavailable');
      expect(data.results.areas.every((a) => a.validated === null)).toBe(true);
      const { head } = await comparison(valerie, before, after);
      expect(head).toHaveLength(4);
      expect(failing).toHaveBeenCalled();
    } finally {
      failing.mockRestore();
    }
  });
});

describe('my progress and comparisons', () => {
  it('lists every submitted assessment, newest first, with its framework version', async () => {
    const { response, $ } = await priya.browser.get('/progress');
    expect(response.statusCode).toBe(200);
    const links = $('table tbody tr a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(links).toEqual([url(latest.id, '/results'), url(earlier.id, '/results')]);
    expect($('table tbody tr').first().text()).toMatch(/version 1/);
    expect($('select#from option[selected]').attr('value')).toBe(earlier.id);
    expect($('select#to option[selected]').attr('value')).toBe(latest.id);
  });

  it('tells someone with none what it is for', async () => {
    const fresh = await signedInBrowser(app, {
      email: 'fresh.progress@example.org',
      displayName: 'F',
    });
    const { $ } = await fresh.browser.get('/progress');
    expect($('table').length).toBe(0);
    expect($('main').text()).toMatch(/not submitted a self-assessment yet/);
  });

  it('compares two: per-area changes as a chart and a table, areas missing from one handled', async () => {
    // Chosen newest first: shown earlier → later all the same.
    const { response, $ } = await priya.browser.get(
      `/progress/compare?from=${latest.id}&to=${earlier.id}`,
    );
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toMatch(/Compare your assessments$/);
    const chart = $('figure svg');
    expect(chart.attr('role')).toBe('img');
    expect(chart.find('g.app-chart__row').length).toBe(latest.results.areas.length);
    const rowFor = (code: string) => comparisonRow($, code);
    const one = latest.results.areas.find((a) => a.areaCode === '1');
    const change = (one?.level ?? 0) - 2;
    expect(rowFor('1').slice(1)).toEqual([
      'Level 2',
      one?.level === 0 ? 'Below level 1' : `Level ${String(one?.level)}`,
      change === 0 ? 'No change' : change > 0 ? `+${String(change)}` : `−${String(-change)}`,
    ]);
    expect(rowFor('6.4')[1]).toBe('Not assessed');
    expect(rowFor('6.4')[3]).toBe('New area');
  });

  it('shows every problem with the choice, keeping it, with status 422', async () => {
    const cases: [string, string[]][] = [
      ['', ['Select the first assessment to compare', 'Select the assessment to compare it with']],
      [`from=${latest.id}&to=${latest.id}`, ['Select two different assessments']],
      [`from=${othersId}&to=${latest.id}`, ['Select one of your assessments from the list']],
      [`from=not-a-uuid&to=${latest.id}`, ['Select one of your assessments from the list']],
    ];
    for (const [query, messages] of cases) {
      const { response, $ } = await priya.browser.get(`/progress/compare?${query}`);
      expect(response.statusCode).toBe(422);
      expect($('title').text()).toMatch(/^Error: My progress/);
      expect(
        $('.nhsuk-error-summary li a')
          .map((_, a) => $(a).text().trim())
          .get(),
      ).toEqual(messages);
    }
    const { $ } = await priya.browser.get(`/progress/compare?from=${othersId}&to=${latest.id}`);
    expect($('#from').attr('aria-describedby')).toMatch(/from-error/);
    expect($('select#to option[selected]').attr('value')).toBe(latest.id);
  });
});

describe('download my data', () => {
  it('includes every assessment with answers and results, and the shares made', async () => {
    const { response } = await priya.browser.get('/account/download');
    expect(response.statusCode).toBe(200);
    const data = JSON.parse(response.body) as {
      assessments: { id: string; status: string; answers: unknown[]; results: unknown }[];
      assessmentShares: unknown[];
    };
    expect(data.assessments.map((a) => a.id).sort()).toEqual([earlier.id, latest.id].sort());
    const mine = data.assessments.find((a) => a.id === latest.id);
    expect(mine?.status).toBe('submitted');
    expect(mine?.results).toEqual(latest.results);
    expect(mine?.answers.length).toBeGreaterThan(0);
    expect(data.assessmentShares).toEqual([]);
  });
});
