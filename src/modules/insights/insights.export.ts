/**
 * CSV and XLSX downloads of an insights page (pure apart from the libraries): exactly the tables
 * the page shows, after suppression, with the scope, the filters, when they were made and the
 * rules in the file itself. csv-stringify writes the CSV (with a byte-order mark so Excel reads
 * UTF-8; formula-like text is prefixed with an apostrophe); ExcelJS writes the workbook.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { csvSafe } from '../../platform/csv.js';
import { type FigureTable, figureTables, rulesText } from './insights-tables.js';
import type { InsightsPage } from './insights.service.js';

export interface ExportContext {
  title: string;
  scopeText: string;
  filtersText: string;
}

function about(page: InsightsPage, context: ExportContext): string[][] {
  return [
    [context.title],
    ['Scope', context.scopeText],
    ['Filters', context.filtersText],
    ['Made', page.generatedAt.toISOString()],
    ...(page.figuresAsOf ? [['Figures as of', page.figuresAsOf.toISOString()]] : []),
    ...rulesText(page.rules).map((r) => ['Rule', r]),
  ];
}

const cellText = (c: string | number) => (typeof c === 'number' ? String(c) : csvSafe(c));

export function insightsCsv(page: InsightsPage, context: ExportContext): string {
  const lines: string[][] = about(page, context).map((r) => r.map(cellText));
  for (const t of figureTables(page)) {
    lines.push([], [t.title]);
    if (t.hidden) {
      lines.push([t.hidden]);
      continue;
    }
    lines.push(t.columns.map(cellText), ...t.rows.map((r) => r.map(cellText)));
  }
  return `\uFEFF${stringify(lines, { record_delimiter: '\r\n' })}`;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (t: FigureTable) =>
  t.title
    .replace(/[:\\/?*[\]]/g, ' ')
    .slice(0, 31)
    .trim();

export async function insightsXlsx(page: InsightsPage, context: ExportContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'digicap';
  workbook.created = page.generatedAt;
  const aboutSheet = workbook.addWorksheet('About these figures');
  for (const row of about(page, context)) aboutSheet.addRow(row);
  aboutSheet.getColumn(1).width = 16;
  aboutSheet.getColumn(2).width = 100;
  aboutSheet.getRow(1).font = { bold: true, size: 14 };
  const used = new Set<string>();
  for (const t of figureTables(page)) {
    let name = sheetName(t);
    for (let i = 2; used.has(name); i++) name = `${sheetName(t).slice(0, 28)} ${String(i)}`;
    used.add(name);
    const sheet = workbook.addWorksheet(name);
    sheet.addRow([t.title]).font = { bold: true };
    sheet.addRow([t.description]);
    if (t.hidden) {
      sheet.addRow([t.hidden]);
      continue;
    }
    sheet.addRow(t.columns).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r);
    sheet.getColumn(1).width = 50;
    for (let c = 2; c <= t.columns.length; c++) sheet.getColumn(c).width = 16;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
