/** The catalogue's form parsers: browse filters, the add and edit form, the upload. */
import { describe, expect, it } from 'vitest';
import {
  catalogueQueryString,
  parseCatalogueQuery,
  parseImportUpload,
  parseResourceForm,
  resourceFormValues,
} from './catalogue.forms.js';
import type { CatalogueVocabulary } from './catalogue.csv.js';

const vocabulary: CatalogueVocabulary = {
  areaCodes: ['1', '5.1.3', '6.2', '6.3'],
  statementAreas: new Map([
    ['6.3-2-01', '6.3'],
    ['6.2-1-01', '6.2'],
  ]),
};

describe('parseCatalogueQuery', () => {
  it('reads every filter, repeated or comma-separated, in canonical order', () => {
    const parsed = parseCatalogueQuery(
      {
        area: ['6.3', '6.2,1'],
        level: '3,1',
        archetype: ['u', 'S'],
        format: 'course,Guidance',
        cost: 'free',
        duration: '60',
        q: '  AI   ethics ',
        page: '3',
      },
      vocabulary,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.filter).toEqual({
      areaCodes: ['1', '6.2', '6.3'],
      levels: [1, 3],
      archetypeCodes: ['S', 'U'],
      formats: ['course', 'guidance'],
      freeOnly: true,
      maxDurationMinutes: 60,
      q: 'AI ethics',
    });
    expect(parsed.page).toBe(3);
    expect(parsed.includeRetired).toBe(false);
  });

  it('drops values that are not valid and reports each filter once', () => {
    const parsed = parseCatalogueQuery(
      {
        area: ['9.9', '6.2'],
        level: '5',
        archetype: 'X',
        format: 'book',
        cost: 'paid',
        duration: 'long',
        q: 'x'.repeat(201),
        page: '-1',
      },
      vocabulary,
    );
    expect(parsed.errors.map((e) => e.field)).toEqual([
      'area',
      'level',
      'archetype',
      'format',
      'cost',
      'duration',
      'q',
    ]);
    expect(parsed.filter).toMatchObject({ areaCodes: ['6.2'], levels: [], q: '' });
    expect(parsed.page).toBe(1);
  });

  it('round-trips through the query string', () => {
    const parsed = parseCatalogueQuery(
      { area: '6.2', level: '2', cost: 'free', q: 'bias' },
      vocabulary,
    );
    const qs = catalogueQueryString(parsed.filter, { includeRetired: true, page: 2 });
    expect(qs).toBe('q=bias&area=6.2&level=2&cost=free&retired=include&page=2');
    const again = parseCatalogueQuery(Object.fromEntries(new URLSearchParams(qs)), vocabulary);
    expect(again.filter).toEqual(parsed.filter);
    expect(again.includeRetired).toBe(true);
  });
});

const goodForm = {
  organisation: 'org-1',
  slug: '',
  title: '  Bias   in AI ',
  provider: 'Example Trust',
  url: 'https://www.example.org/bias',
  format: 'course',
  durationMinutes: '',
  cost: 'free',
  levels: ['2', '1'],
  areaCodes: '6.3',
  archetypeCodes: ['U'],
  summary: 'A summary.',
  'reviewDate[day]': '',
  'reviewDate[month]': '',
  'reviewDate[year]': '',
  statementIds: '6.3-2-01',
  curatedBy: 'Education team',
};

describe('parseResourceForm', () => {
  it('gives typed fields for a good form (one checkbox arrives as a string)', () => {
    const { fields, errors } = parseResourceForm(goodForm, vocabulary);
    expect(errors).toEqual([]);
    expect(fields).toMatchObject({
      slug: '',
      title: 'Bias in AI',
      levels: [1, 2],
      areaCodes: ['6.3'],
      archetypeCodes: ['U'],
      reviewDate: null,
      statementIds: ['6.3-2-01'],
      curatedBy: 'Education team',
    });
  });

  it('turns the day, month and year into a date', () => {
    const { fields } = parseResourceForm(
      { ...goodForm, 'reviewDate[day]': '5', 'reviewDate[month]': '3', 'reviewDate[year]': '2027' },
      vocabulary,
    );
    expect(fields?.reviewDate).toBe('2027-03-05');
  });

  it('reports problems by form field, in page order', () => {
    const { errors, values } = parseResourceForm(
      {
        ...goodForm,
        slug: 'Bad Slug',
        url: 'javascript:alert(1)',
        levels: [],
        areaCodes: ['9.9'],
        summary: 'x'.repeat(241),
        'reviewDate[day]': '31',
        'reviewDate[month]': '2',
        'reviewDate[year]': '2027',
        statementIds: '6.2-1-01',
      },
      vocabulary,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'slug',
      'url',
      'levels',
      'areaCodes',
      'summary',
      'statementIds',
      'reviewDate-day',
    ]);
    expect(errors.find((e) => e.field === 'levels')?.text).toBe('Select at least one level');
    // What was typed is kept to show back.
    expect(values.summary).toHaveLength(241);
    expect(values.reviewDate).toEqual({ day: '31', month: '2', year: '2027' });
  });

  it('asks for a whole review date', () => {
    const { errors } = parseResourceForm({ ...goodForm, 'reviewDate[year]': '2027' }, vocabulary);
    expect(errors).toEqual([
      {
        field: 'reviewDate-day',
        text: 'Review date must include a day, month and year, or leave it all blank',
      },
    ]);
  });

  it('fills the edit form from a resource', () => {
    const values = resourceFormValues({
      slug: 's',
      organisationId: null,
      title: 'T',
      provider: 'P',
      url: 'https://www.example.org/',
      format: 'video',
      durationMinutes: 20,
      cost: 'paid',
      levels: [3],
      areaCodes: ['1'],
      archetypeCodes: ['C'],
      summary: 'S',
      reviewDate: '2027-03-05',
      statementIds: ['1-1-01', '1-1-02'],
      curatedBy: 'Me',
    });
    expect(values).toMatchObject({
      organisation: 'shared',
      durationMinutes: '20',
      levels: ['3'],
      reviewDate: { day: '5', month: '3', year: '2027' },
      statementIds: '1-1-01, 1-1-02',
    });
  });
});

describe('parseImportUpload', () => {
  const file = (filename: string, content = 'x') => ({
    filename,
    bytes: Buffer.from(content),
    truncated: false,
  });
  it('needs a CSV file', () => {
    expect(parseImportUpload({}).error).toBe('Select a CSV file');
    expect(parseImportUpload({ file: file('', '') }).error).toBe('Select a CSV file');
    expect(parseImportUpload({ file: file('list.xlsx') }).error).toContain('must be a CSV file');
    expect(parseImportUpload({ organisation: ' shared ', file: file('list.csv') })).toMatchObject({
      organisation: 'shared',
      file: { filename: 'list.csv' },
    });
  });
});
