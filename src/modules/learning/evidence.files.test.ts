/**
 * Evidence file types come from the content, with real small files made in the test: what we
 * accept, what we refuse however it is named (an executable, HTML or SVG renamed .pdf, a ZIP
 * renamed .docx, a ZIP claiming to be Word, Word with macros, a legacy .doc), and the names we
 * show and download under.
 */
import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  cleanFileName,
  detectEvidenceFileTypeOf,
  downloadFileName,
  evidenceFileType,
  rejectionMessage,
  wordDocumentProblem,
  zipEntryNames,
} from './evidence.files.js';
import {
  HTML_PAGE,
  makeDocm,
  makeDocx,
  makeExe,
  makeFakeDocx,
  makeGif,
  makeJpegHeader,
  makeOle2,
  makePdf,
  makePlainZip,
  makePng,
  makeZip,
  SVG_IMAGE,
} from './evidence.fixtures.js';

describe('detectEvidenceFileType', () => {
  it.each([
    ['a PDF', () => makePdf(), 'application/pdf'],
    ['a PNG', () => makePng(), 'image/png'],
    ['a GIF', () => makeGif(), 'image/gif'],
    ['a JPEG', () => makeJpegHeader(), 'image/jpeg'],
    [
      'a Word document',
      () => makeDocx(),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
  ])('accepts %s by its content', async (_what, make, mime) => {
    const detection = await detectEvidenceFileTypeOf(await make());
    expect(detection).toEqual({ ok: true, type: evidenceFileType(mime) });
  });

  it.each([
    ['an executable', makeExe, 'not-allowed'],
    ['an HTML page', () => HTML_PAGE, 'unknown'],
    ['an SVG image (it can carry script)', () => SVG_IMAGE, 'unknown'],
    ['a plain ZIP', makePlainZip, 'not-allowed'],
    ['a ZIP whose content types claim Word but with no document', makeFakeDocx, 'not-word'],
    ['a macro-enabled Word document', makeDocm, 'macros'],
    ['an OLE2 file (legacy .doc, .xls, .msi)', makeOle2, 'legacy-office'],
    ['nothing at all', () => Buffer.alloc(0), 'unknown'],
    ['plain text', () => Buffer.from('I went on a course.'), 'unknown'],
  ])('refuses %s', async (_what, make, reason) => {
    const detection = await detectEvidenceFileTypeOf(make());
    expect(detection.ok).toBe(false);
    expect(!detection.ok && detection.reason).toBe(reason);
  });

  it('refuses a Word document with a macro project even when its content types say .docx', async () => {
    const sneaky = makeZip([
      {
        name: '[Content_Types].xml',
        data: '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      },
      { name: 'word/document.xml', data: '<w:document/>' },
      { name: 'word/vbaProject.bin', data: Buffer.alloc(8) },
    ]);
    expect(await detectEvidenceFileTypeOf(sneaky)).toMatchObject({ ok: false, reason: 'macros' });
  });
});

describe('zipEntryNames and wordDocumentProblem', () => {
  it('reads the central directory', () => {
    expect(zipEntryNames(makeDocx())).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
    ]);
    expect(wordDocumentProblem(makeDocx())).toBeUndefined();
  });

  it('gives up on what is not a readable ZIP', () => {
    expect(zipEntryNames(Buffer.from('PK\x03\x04 and then nothing'))).toBeUndefined();
    const cut = makeDocx().subarray(0, 200);
    expect(zipEntryNames(cut)).toBeUndefined();
    expect(wordDocumentProblem(cut)).toBe('not-word');
    // An end record pointing past itself.
    const docx = makeDocx();
    docx.writeUInt32LE(docx.length, docx.length - 6);
    expect(zipEntryNames(docx)).toBeUndefined();
  });
});

describe('rejectionMessage', () => {
  it('names the file and what is allowed', () => {
    expect(rejectionMessage('holiday.pdf', 'not-allowed')).toBe(
      '"holiday.pdf" is not a type of file we accept. Upload a PDF, a PNG, JPEG, GIF or WebP image, or a Word document (.docx)',
    );
    expect(rejectionMessage('old.doc', 'legacy-office')).toMatch(
      /^"old.doc" is an older Microsoft Office file .* Save it as a Word document \(.docx\) or a PDF/,
    );
    expect(rejectionMessage('m.docx', 'macros')).toMatch(
      /^"m.docx" is a Word document with macros/,
    );
    expect(rejectionMessage('z.docx', 'not-word')).toMatch(/^"z.docx" is not a Word document/);
  });
});

describe('cleanFileName', () => {
  it.each([
    ['certificate.pdf', 'certificate.pdf'],
    ['C:\\fakepath\\certificate.pdf', 'certificate.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['  spaced \t  out .pdf ', 'spaced out .pdf'],
    ['report\u202Efdp.exe', 'reportfdp.exe'],
    ['zero\u200Bwidth.pdf', 'zerowidth.pdf'],
    ['new\r\nline.pdf', 'newline.pdf'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['...', 'file'],
    ['', 'file'],
    ['Cafe\u0301 notes.pdf', 'Café notes.pdf'],
    ['Łódź – certyfikat.pdf', 'Łódź – certyfikat.pdf'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });

  it('shortens a long name to 150 characters, keeping its extension', () => {
    const name = cleanFileName(`${'a'.repeat(300)}.docx`);
    expect(name).toHaveLength(150);
    expect(name.endsWith('a.docx')).toBe(true);
  });
});

describe('downloads', () => {
  const pdf = evidenceFileType('application/pdf');
  const png = evidenceFileType('image/png');
  if (!pdf || !png) throw new Error('types missing');

  it('adds the real extension to a name without a matching one', () => {
    expect(downloadFileName('certificate.pdf', pdf)).toBe('certificate.pdf');
    expect(downloadFileName('certificate.PDF', pdf)).toBe('certificate.PDF');
    expect(downloadFileName('screenshot.pdf', png)).toBe('screenshot.pdf.png');
    expect(downloadFileName('notes', pdf)).toBe('notes.pdf');
  });

  it('always says attachment, with an ASCII fallback and the exact name (RFC 5987)', () => {
    expect(attachmentDisposition('certificate.pdf')).toBe(
      `attachment; filename="certificate.pdf"; filename*=UTF-8''certificate.pdf`,
    );
    expect(attachmentDisposition('Café "notes"; (v2) 100%.pdf')).toBe(
      `attachment; filename="Cafe _notes__ (v2) 100_.pdf"; filename*=UTF-8''Caf%C3%A9%20%22notes%22%3B%20%28v2%29%20100%25.pdf`,
    );
    expect(attachmentDisposition('证书.pdf')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''%E8%AF%81%E4%B9%A6.pdf`,
    );
  });
});
