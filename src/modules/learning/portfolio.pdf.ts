/**
 * The portfolio as a PDF, for appraisal and professional revalidation, made on the server with
 * PDFKit: the person's name, the date, the framework, their validated levels (who confirmed which
 * level in which area, and when), then each area's evidence in framework order (notes, links,
 * reflections with their learning resource, and files by name, type and size: never a file's
 * contents). Pure apart from PDFKit: data in, bytes out.
 *
 * Tagged (headings, paragraphs, links) with a title and language, like the results report
 * (assessment/report.pdf.ts), and printed in the bundled Noto Sans (platform/pdf-fonts.ts), so
 * names and text in most languages print as written.
 */
import { PDF_FONT, PDF_FONT_BOLD, startPdfDocument, textForPdf } from '../../platform/pdf-fonts.js';
import { validatedLevelText } from '../assessment/index.js';
import {
  areaText,
  fileDetailsText,
  formatDate,
  kindLabel,
  statementText,
} from './evidence.presenter.js';
import type { AreaGroup, NamedValidatedLevel } from './portfolio.export.js';

export interface PortfolioPdfInput {
  ownerName: string;
  frameworkTitle: string;
  frameworkVersion: number;
  groups: readonly AreaGroup[];
  /** The latest validated level per area, in framework order. */
  validated: readonly NamedValidatedLevel[];
  now: Date;
}

const MARGIN = 50;
const TEXT = '#212b32';
const SECONDARY = '#4c6272';
const LINK = '#005eb8';

export async function renderPortfolioPdf(input: PortfolioPdfInput): Promise<Buffer> {
  const title = `Portfolio of evidence: ${input.ownerName}, ${formatDate(input.now)}`;
  const { doc, finished, root } = startPdfDocument({
    title,
    subject: `${input.frameworkTitle}, version ${String(input.frameworkVersion)}`,
    margin: MARGIN,
    now: input.now,
  });
  const width = doc.page.width - 2 * MARGIN;

  const heading = (text: string, level: 1 | 2 | 3) => {
    const sizes = { 1: 20, 2: 15, 3: 12 } as const;
    if (level === 2) doc.moveDown(0.9);
    if (level === 3) doc.moveDown(0.5);
    doc
      .font(PDF_FONT_BOLD)
      .fontSize(sizes[level])
      .fillColor(TEXT)
      .text(textForPdf(text), { structParent: root, structType: `H${String(level)}`, width });
    doc.moveDown(0.2);
  };
  const paragraph = (text: string, options: PDFKit.Mixins.TextOptions = {}, colour = TEXT) => {
    doc
      .font(PDF_FONT)
      .fontSize(10.5)
      .fillColor(colour)
      .text(textForPdf(text), { structParent: root, width, paragraphGap: 3, ...options });
  };
  const labelled = (label: string, value: string) => {
    doc
      .font(PDF_FONT_BOLD)
      .fontSize(10.5)
      .fillColor(TEXT)
      .text(`${label}: `, { structParent: root, continued: true, width });
    doc.font(PDF_FONT).text(textForPdf(value), { paragraphGap: 3 });
  };
  const link = (label: string, url: string) => {
    doc
      .font(PDF_FONT_BOLD)
      .fontSize(10.5)
      .fillColor(TEXT)
      .text(`${label}: `, { structParent: root, continued: true, width });
    doc
      .font(PDF_FONT)
      .fillColor(LINK)
      .text(textForPdf(url), { link: url, underline: true, paragraphGap: 3 });
    doc.fillColor(TEXT);
  };
  const label = (text: string) => {
    doc
      .font(PDF_FONT_BOLD)
      .fontSize(10.5)
      .fillColor(TEXT)
      .text(textForPdf(text), { structParent: root, width, paragraphGap: 1 });
  };
  const texts = (text: string) => {
    for (const p of text.split(/\n{2,}/).filter((x) => x.trim())) paragraph(p.trim());
  };

  heading('Portfolio of evidence', 1);
  paragraph('digicap: AI and digital healthcare capabilities', {}, SECONDARY);
  doc.moveDown(0.5);
  const count = input.groups.reduce((n, g) => n + g.items.length, 0);
  labelled('Name', input.ownerName);
  labelled('Date', formatDate(input.now));
  labelled('Framework', `${input.frameworkTitle}, version ${String(input.frameworkVersion)}`);
  labelled(
    'Evidence',
    `${String(count)} ${count === 1 ? 'item' : 'items'} in ${String(input.groups.length)} ${input.groups.length === 1 ? 'area' : 'areas'}`,
  );
  doc.moveDown(0.5);
  paragraph(
    'The evidence this person recorded in digicap, by area of the framework, for appraisal and professional revalidation. Uploaded files are listed by name; their contents are not part of this document.',
  );

  // Validated levels: a section of their own, in the words of the results pages.
  heading('Validated levels', 2);
  paragraph(
    input.validated.length === 0
      ? 'No levels had been validated by a line manager or educator when this document was made.'
      : 'The latest level a line manager or educator confirmed in digicap in each area. Validated levels are kept apart from this person’s own self-assessed levels, never combined with them.',
  );
  for (const v of input.validated)
    labelled(areaText(v.areaCode, v.areaName), validatedLevelText(v));

  if (input.groups.length === 0) {
    heading('No evidence yet', 2);
    paragraph('No evidence had been recorded when this document was made.');
  }

  for (const group of input.groups) {
    heading(areaText(group.areaCode, group.areaName), 2);
    for (const item of group.items) {
      heading(item.title, 3);
      paragraph(
        `${kindLabel(item.kind)}, added ${formatDate(item.createdAt)}${
          item.updatedAt.getTime() - item.createdAt.getTime() > 1000
            ? `, last changed ${formatDate(item.updatedAt)}`
            : ''
        }`,
        {},
        SECONDARY,
      );
      if (item.statement) labelled('Statement', statementText(item.statement));
      if (item.kind === 'link' && item.url) link('Link', item.url);
      if (item.kind === 'file')
        labelled(
          'File',
          `${item.fileName ?? 'file'} (${fileDetailsText(item.fileType, item.fileSize)})`,
        );
      if (item.kind === 'reflection') {
        if (item.resource) {
          labelled('Learning resource', `${item.resource.title} (${item.resource.provider})`);
          link('Web address', item.resource.url);
        }
        if (item.body) {
          label('What I learned');
          texts(item.body);
        }
        if (item.reflectionUse) {
          label('How I will use it');
          texts(item.reflectionUse);
        }
      } else if (item.body) {
        if (item.kind !== 'note') label('Note');
        texts(item.body);
      }
    }
  }

  doc.moveDown(1);
  paragraph(`Made by digicap on ${formatDate(input.now)}.`, {}, SECONDARY);

  // Page numbers, for a printed copy.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(PDF_FONT)
      .fontSize(8.5)
      .fillColor(SECONDARY)
      .text(
        `Page ${String(i - range.start + 1)} of ${String(range.count)}`,
        MARGIN,
        doc.page.height - 30,
        { width, align: 'center', lineBreak: false },
      );
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }

  root.end();
  doc.end();
  return finished;
}
