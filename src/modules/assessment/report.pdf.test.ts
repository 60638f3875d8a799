/**
 * The PDF report's text in any language: names, professions and the framework's text print
 * exactly in the bundled Noto Sans (Latin with Vietnamese and every European extension, Greek,
 * Cyrillic, Devanagari), characters no bundled font has print as "�" without breaking the
 * report, and the text layer (what copying, searching and screen readers get) says the same.
 */
import { describe, expect, it } from 'vitest';
import { handMadeResults } from '../../../test/support/assessments.js';
import { pdfText, pdfTitle } from '../../../test/support/pdf-text.js';
import { MISSING_CHARACTER, pdfFontsCover, textForPdf } from '../../platform/pdf-fonts.js';
import type { AssessmentResults } from './assessment.model.js';
import { renderResultsPdf } from './report.pdf.js';

const results = handMadeResults([
  ['1', 'Digital implementation', '1', 1, 2],
  ['2.1', 'Providing direct care with digital technologies', '2', 2, 2],
  ['6.1', 'Machine learning', '6', 3, 1],
]);

const render = (
  ownerName: string,
  overrides: Partial<Parameters<typeof renderResultsPdf>[0]> = {},
) =>
  renderResultsPdf({
    ownerName,
    results,
    professionNames: { nurse: 'Nurse' },
    workSettingNames: { acute: 'Acute hospital' },
    publicUrl: 'https://digicap.example',
    now: new Date('2026-03-13T09:00:00Z'),
    ...overrides,
  });

const NAMES = [
  'Łucja Wiśniewska', // Polish
  'Nguyễn Thị Hương', // Vietnamese, with a letter with a dot below
  'Σοφία Παπαδοπούλου', // Greek
  'Олена Коваленко', // Ukrainian (Cyrillic)
  'Ayşe Öztürk', // Turkish
  'Ọláńrewájú Adéyẹmí', // Yoruba
  'Jiří Dvořák', // Czech
];

describe('the PDF report in other languages', () => {
  it('prints names in Latin, Vietnamese, Greek and Cyrillic letters exactly, in the text and the title', async () => {
    for (const name of NAMES) {
      const bytes = await render(name);
      const text = await pdfText(bytes);
      expect(text).toContain(`Name: ${name}`);
      expect(text).not.toContain(MISSING_CHARACTER);
      expect(await pdfTitle(bytes)).toBe(`Self-assessment report: ${name}, 12 March 2026`);
    }
  });

  it('keeps every name exact when they share a report (no letter is remembered wrongly)', async () => {
    const all = NAMES.join(', ');
    const text = await pdfText(await render(all));
    expect(text).toContain(`Name: ${all}`);
    // Letters that also appear in the plain English text around the names are still plain.
    expect(text).toContain('Self-assessment report');
    expect(text).toContain('Providing direct care with digital technologies');
  });

  it('prints professions, work settings and framework text in other scripts exactly', async () => {
    const greek: AssessmentResults = handMadeResults([
      ['1', 'Ψηφιακή εφαρμογή', '1', 1, 2],
      ['2', 'Цифрове здоров’я', '2', 2, 2],
    ]);
    const text = await pdfText(
      await render('Anna Nowak', {
        results: { ...greek, frameworkTitle: 'Ramy kompetencji cyfrowych – wersja polska' },
        professionNames: { nurse: 'Pielęgniarka' },
        workSettingNames: { acute: 'Szpital ostry' },
      }),
    );
    expect(text).toContain('Profession: Pielęgniarka');
    expect(text).toContain('Work setting: Szpital ostry');
    expect(text).toContain('Framework: Ramy kompetencji cyfrowych – wersja polska, version 1');
    expect(text).toContain('1 Ψηφιακή εφαρμογή');
    expect(text).toContain('2 Цифрове здоров’я');
  });

  it('uses only the bundled Noto Sans, as subsets, never a built-in font', async () => {
    const pdf = (await render('Priya Sharma')).toString('latin1');
    const fonts = [...pdf.matchAll(/\/BaseFont \/(\S+)/g)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/^[A-Z]{6}\+NotoSans-(Regular|Bold)$/);
  });

  it('prints Devanagari, and shows characters no bundled font has as "�" without failing', async () => {
    const bytes = await render('प्रिया शर्मा / عائشة خان / 王小明 / Ana 😀');
    const text = await pdfText(bytes);
    // Arabic (4 + 3 letters), Chinese (3) and the emoji are each one "�"; the rest is kept.
    expect(text).toContain('/ ����� ��� / ��� / Ana �');
    // Devanagari is drawn shaped; its text layer has the same letters, vowel signs in drawn order.
    expect(text).toMatch(/[\u0900-\u097f]/);
    expect(text).toContain('Levels and targets by area');
  });
});

describe('textForPdf', () => {
  it('keeps what the fonts have, composed', () => {
    expect(textForPdf('Nguye\u0302\u0303n')).toBe('Nguyễn');
    expect(textForPdf('Σοφία − Олена')).toBe('Σοφία − Олена');
    expect(textForPdf('प्रिया')).toBe('प्रिया');
  });

  it('writes the few symbols the fonts lack plainly, other missing characters as "�"', () => {
    expect(textForPdf('level 2 → 3, ≥ 2, ≤ 4')).toBe('level 2 -> 3, >= 2, <= 4');
    expect(textForPdf('王 עברית 😀')).toBe('� ����� �');
  });

  it('turns control characters other than line breaks into spaces', () => {
    expect(textForPdf('a\tb\u0000c\r\nd\u0085e')).toBe('a b c \nd e');
  });

  it('knows which scripts the bundled fonts cover', () => {
    for (const ch of 'ŁśễịΣπОлşआ€–’…') expect(pdfFontsCover(ch)).toBe(true);
    for (const ch of 'ع王ש😀') expect(pdfFontsCover(ch)).toBe(false);
  });
});
