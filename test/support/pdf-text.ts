/**
 * The text of a PDF, page by page, read with Mozilla's PDF.js (as a browser would show it), for
 * tests that check what a generated report says. Whitespace is folded to single spaces. Text in
 * embedded (subset, CID-keyed) fonts is read through each font's ToUnicode map, so what is
 * extracted is what copying the text out of the PDF would give.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const standardFontDataUrl = `${path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

function open(bytes: Uint8Array) {
  return getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await open(bytes);
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join(' ').replace(/\s+/g, ' ');
}

/** The document's title from its information dictionary (what a viewer's title bar shows). */
export async function pdfTitle(bytes: Uint8Array): Promise<string | undefined> {
  const doc = await open(bytes);
  const { info } = await doc.getMetadata();
  await doc.destroy();
  const title = (info as { Title?: unknown }).Title;
  return typeof title === 'string' ? title : undefined;
}
