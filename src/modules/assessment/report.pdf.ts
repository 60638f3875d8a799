/**
 * The results report as a PDF, made on the server with PDFKit: the person's name, the date, the
 * framework title and version, the chart (drawn with PDFKit's vector API from the same snapshot
 * as the page's SVG), a table of every area's level and target, strengths and prioritised gaps
 * with links to their framework areas, and what to do next. Pure apart from PDFKit: snapshot in,
 * bytes out.
 *
 * The PDF is tagged (headings, paragraphs, lists, a table with header cells and the chart as a
 * figure with alternative text), has a title and a language, so screen readers can read it.
 * Text is set in the bundled Noto Sans (src/platform/pdf-fonts.ts), so names and the framework's
 * text print exactly in Latin (with Vietnamese and every European extension), Greek, Cyrillic
 * and Devanagari; characters of other scripts (Arabic, Hebrew, CJK…) print as "�".
 */
import { PDF_FONT, PDF_FONT_BOLD, startPdfDocument, textForPdf } from '../../platform/pdf-fonts.js';
import type { AssessmentResults } from './assessment.model.js';
import { areaLabel, CHART_COLOURS, countsAsGap, isNotRelevant } from './results.chart.js';
import {
  archetypesText,
  areaLevelText,
  byDomain,
  formatDate,
  nameFor,
  nextSteps,
  prioritisedGaps,
  statusText,
  strengths,
  targetText,
} from './results.presenter.js';
import {
  type ResultsValidatedLevel,
  validatedByArea,
  validatedLevelText,
} from './results.validated.js';

export interface ReportInput {
  ownerName: string;
  results: AssessmentResults;
  archetypeNames?: Readonly<Record<string, string>>;
  /** Profession and work setting names by code, from the snapshot's framework version. */
  professionNames?: Readonly<Record<string, string>>;
  workSettingNames?: Readonly<Record<string, string>>;
  /** The site's public address, for absolute links to framework areas. */
  publicUrl: string;
  /** When the report was made (shown in the footer line). */
  now: Date;
  /** Levels confirmed by a line manager or educator: their own section, never merged. */
  validated?: readonly ResultsValidatedLevel[] | undefined;
}

const MARGIN = 50;
const FONT = PDF_FONT;
const BOLD = PDF_FONT_BOLD;

export async function renderResultsPdf(input: ReportInput): Promise<Buffer> {
  const { results } = input;
  const submittedAt = new Date(results.submittedAt);
  const title = `Self-assessment report: ${input.ownerName}, ${formatDate(submittedAt)}`;
  const { doc, finished, root } = startPdfDocument({
    title,
    subject: `${results.frameworkTitle}, version ${String(results.frameworkVersion)}`,
    margin: MARGIN,
    now: input.now,
  });
  const width = doc.page.width - 2 * MARGIN;

  const heading = (text: string, level: 1 | 2, size = level === 1 ? 20 : 14) => {
    if (level === 2) doc.moveDown(0.8);
    doc
      .font(BOLD)
      .fontSize(size)
      .fillColor(CHART_COLOURS.text)
      .text(textForPdf(text), { structParent: root, structType: `H${String(level)}`, width });
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, options: PDFKit.Mixins.TextOptions = {}) => {
    doc
      .font(FONT)
      .fontSize(10.5)
      .fillColor(CHART_COLOURS.text)
      .text(textForPdf(text), { structParent: root, width, ...options });
  };
  const list = (items: string[]) => {
    const l = doc.struct('L');
    root.add(l);
    doc
      .font(FONT)
      .fontSize(10.5)
      .fillColor(CHART_COLOURS.text)
      .list(items.map(textForPdf), { structParent: l, width, bulletRadius: 2, paragraphGap: 3 });
    l.end();
  };

  heading('Self-assessment report', 1);
  paragraph('digicap: AI and digital healthcare capability self-assessment', { lineGap: 2 });
  doc.moveDown(0.6);
  const archetypes = archetypesText(results, input.archetypeNames);
  /** A name from the framework's list, else the code the snapshot recorded. */
  const choice = (names: Readonly<Record<string, string>> | undefined, code: string | null) =>
    code === null ? 'Not given' : (nameFor(names, code) ?? code);
  for (const [key, value] of [
    ['Name', input.ownerName],
    ['Submitted', formatDate(submittedAt)],
    ['Framework', `${results.frameworkTitle}, version ${String(results.frameworkVersion)}`],
    ['Profession', choice(input.professionNames, results.professionCode)],
    ['Work setting', choice(input.workSettingNames, results.workSettingCode)],
    ['Archetypes', archetypes || 'None'],
    ['Assessment', results.mode === 'full' ? 'Full' : 'Focused (adaptive)'],
  ] as const) {
    doc.font(BOLD).fontSize(10.5).text(`${key}: `, { structParent: root, continued: true });
    doc.font(FONT).text(textForPdf(value));
  }

  heading('Your level in each area', 2);
  drawChart(doc, root, results);

  heading('Levels and targets by area', 2);
  const table = doc.struct('Table');
  root.add(table);
  const headRow = ['Area', 'Your level', 'Target level', 'Compared with target'];
  const data: (string | PDFKit.Mixins.CellOptions)[][] = [
    headRow.map((text) => ({ text, type: 'TH' as const, font: { src: BOLD } })),
  ];
  for (const group of byDomain(results.areas)) {
    data.push([
      {
        text: textForPdf(`${group.code} ${group.name}`),
        colSpan: 4,
        font: { src: BOLD },
        backgroundColor: '#f0f4f5',
      },
    ]);
    for (const a of group.items)
      data.push([
        textForPdf(areaLabel(a)),
        textForPdf(areaLevelText(a)),
        textForPdf(targetText(a.targetLevel)),
        textForPdf(statusText(a)),
      ]);
  }
  doc.font(FONT).fontSize(9.5);
  doc.table({
    data,
    columnStyles: ['*', 70, 70, 115],
    defaultStyle: { border: 0.5, borderColor: '#aeb7bd', padding: 4 },
    structParent: table,
  } as PDFKit.Mixins.TableOptionsWithData);
  table.end();

  // Validated levels: a section of their own, beside (never merged into) the levels above.
  const validated = validatedByArea(input.validated);
  const validatedAreas = results.areas.filter((a) => validated.has(a.areaCode));
  if (validatedAreas.length > 0) {
    heading('Validated levels', 2);
    paragraph(
      'Levels a line manager or educator has confirmed. Your own levels above stay as you rated them; the two are never combined.',
    );
    doc.moveDown(0.3);
    list(
      validatedAreas.flatMap((a) => {
        const v = validated.get(a.areaCode);
        return v
          ? [`${areaLabel(a)}: ${validatedLevelText(v)} (your own rating: ${areaLevelText(a)})`]
          : [];
      }),
    );
  }

  const gaps = prioritisedGaps(results);
  heading('Your gaps, most urgent first', 2);
  if (gaps.length === 0) paragraph('You meet your target level in every area that has one.');
  else {
    const l = doc.struct('L');
    root.add(l);
    gaps.forEach((g, i) => {
      const item = doc.struct('LI');
      l.add(item);
      doc
        .font(BOLD)
        .fontSize(10.5)
        .fillColor('#005eb8')
        .text(textForPdf(`${String(i + 1)}. ${g.label}`), {
          structParent: item,
          structType: 'Link',
          link: new URL(g.href, input.publicUrl).toString(),
          underline: true,
          width,
        });
      doc
        .font(FONT)
        .fillColor(CHART_COLOURS.text)
        .text(
          textForPdf(`Your level: ${g.levelText}. Target: ${g.targetText}. ${g.shortfallText}.`),
          {
            structParent: item,
            structType: 'LBody',
            width,
            indent: 14,
            paragraphGap: 4,
          },
        );
      item.end();
    });
    l.end();
  }

  const strong = strengths(results);
  heading('Your strengths', 2);
  if (strong.length === 0)
    paragraph('No area is at or above its target level yet: your gaps show where to start.');
  else list(strong.map((s) => `${s.label}: ${s.levelText} (target ${s.targetText})`));

  heading('What to do next', 2);
  list(
    nextSteps(results).map((step) =>
      step.linkText
        ? `${step.text} ${step.linkText} (${new URL(step.href ?? '/', input.publicUrl).toString()})`
        : step.text,
    ),
  );
  doc.moveDown(1);
  paragraph(
    `Made by digicap on ${formatDate(input.now)} from the results recorded when the assessment was submitted.`,
  );

  root.end();
  doc.end();
  return finished;
}

/** The level chart, drawn in the PDF with the same layout rules as the page's SVG. */
function drawChart(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  r: AssessmentResults,
) {
  const areas = r.areas;
  const row = 16;
  const bar = 9;
  const labelRight = MARGIN + 230;
  const plotX = labelRight + 8;
  const perLevel = 50;
  // Keep the chart on one page.
  if (doc.y + 14 + areas.length * row + 34 > doc.page.height - MARGIN) doc.addPage();
  const below = areas.filter(countsAsGap).length;
  const notRelevant = areas.filter(isNotRelevant).length;
  const alt =
    `Bar chart of your level in ${String(areas.length)} areas, from 0 to 4, with the target ` +
    `level marked; ${String(below)} below target` +
    (notRelevant > 0 ? `; ${String(notRelevant)} not relevant to your role, with no bar` : '') +
    '. The table that follows has the same numbers.';
  const figure = doc.struct('Figure', { alt }, () => {
    const y0 = doc.y + 14;
    const y1 = y0 + areas.length * row;
    doc.font(FONT).fontSize(8).fillColor(CHART_COLOURS.text);
    doc.font(BOLD).text('Level', MARGIN, y0 - 12, { width: labelRight - MARGIN, align: 'right' });
    doc.font(FONT);
    for (let level = 0; level <= 4; level += 1) {
      const x = plotX + level * perLevel;
      doc
        .moveTo(x, y0 - 3)
        .lineTo(x, y1)
        .lineWidth(0.5)
        .strokeColor(CHART_COLOURS.grid)
        .stroke();
      doc.fillColor(CHART_COLOURS.text).text(String(level), x - 10, y0 - 12, {
        width: 20,
        align: 'center',
        lineBreak: false,
      });
    }
    areas.forEach((a, i) => {
      const y = y0 + i * row;
      doc.fillColor(CHART_COLOURS.text).text(textForPdf(areaLabel(a)), MARGIN, y + 4, {
        width: labelRight - MARGIN,
        align: 'right',
        lineBreak: false,
        ellipsis: true,
      });
      if (isNotRelevant(a)) {
        // No bar and no target mark, as on the page: it is not a gap.
        doc.fillColor(CHART_COLOURS.text).text('Not relevant to your role', plotX + 3, y + 4, {
          lineBreak: false,
        });
        return;
      }
      // Level 0 is a short stub, as on the page.
      doc
        .rect(plotX, y + (row - bar) / 2, a.level === 0 ? 2 : a.level * perLevel, bar)
        .fillColor(CHART_COLOURS.level)
        .fill();
      if (a.targetLevel > 0) {
        const x = plotX + a.targetLevel * perLevel;
        doc
          .moveTo(x, y + 1)
          .lineTo(x, y + row - 1)
          .lineWidth(4)
          .strokeColor('#ffffff')
          .stroke();
        doc
          .moveTo(x, y + 1)
          .lineTo(x, y + row - 1)
          .lineWidth(2)
          .strokeColor(CHART_COLOURS.target)
          .stroke();
      }
    });
    const ly = y1 + 10;
    doc.rect(plotX, ly, 14, 8).fillColor(CHART_COLOURS.level).fill();
    doc.fillColor(CHART_COLOURS.text).text('Your level', plotX + 18, ly, { lineBreak: false });
    doc
      .moveTo(plotX + 90, ly - 2)
      .lineTo(plotX + 90, ly + 10)
      .lineWidth(2)
      .strokeColor(CHART_COLOURS.target)
      .stroke();
    doc.text('Target level', plotX + 96, ly, { lineBreak: false });
    doc.x = MARGIN;
    doc.y = ly + 18;
  });
  root.add(figure);
  figure.end();
}
