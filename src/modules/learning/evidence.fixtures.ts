/**
 * Small, real files for tests of evidence uploads (unit, page and end-to-end), made in code so
 * that no binary fixture is checked in: a PDF (by PDFKit), a PNG and a GIF (by hand, with real
 * checksums), a Word document (a real OOXML package in a ZIP we write here), and disguised files
 * that must be refused (an executable, HTML, SVG, a plain ZIP, an OLE2 file, macro-enabled Word);
 * and a reflection's row, as the development plan writes it. Test code only: nothing in the app
 * imports it.
 */
import { crc32, deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { NewEvidence } from './evidence.repository.js';

/** A reflection for `evidenceRepository.insert` (as marking learning done writes one). */
export function reflectionRow(
  input: Pick<NewEvidence, 'personId' | 'frameworkVersionId' | 'areaCode'> & Partial<NewEvidence>,
): NewEvidence {
  return {
    kind: 'reflection',
    title: 'Finished: a course',
    statementId: null,
    body: 'What I learned.',
    reflectionUse: 'How I will use it.',
    url: null,
    resourceId: null,
    goalId: null,
    fileKey: null,
    fileName: null,
    fileType: null,
    fileSize: null,
    now: new Date(),
    ...input,
  };
}

/** A one-page PDF saying `text`. */
export async function makePdf(text = 'Evidence of learning'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6', margin: 20, info: { Title: 'Test evidence' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });
  doc.text(text);
  doc.end();
  return done;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 PNG of one colour. */
export function makePng(rgb: [number, number, number] = [0, 94, 184]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, ...rgb]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid 1×1 GIF. */
export function makeGif(): Buffer {
  return Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
}

/** The start of a JPEG (SOI, a JFIF APP0 segment) followed by an end marker. */
export function makeJpegHeader(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'ascii'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
  ]);
}

/** A ZIP archive (entries stored, uncompressed) with the files given, in order. */
export function makeZip(entries: readonly { name: string; data: string | Buffer }[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(0, 8); // stored
    head.writeUInt32LE(0, 10); // time and date
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    local.push(head, name, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(0, 10);
    dir.writeUInt32LE(0, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += head.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

const WORD_MAIN =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const WORD_MACRO_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;

const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const documentXml = (text: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`;

/** A minimal Word document that Word opens: content types, relationships and one paragraph. */
export function makeDocx(text = 'Reflection on the course'): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: contentTypes(WORD_MAIN) },
    { name: '_rels/.rels', data: RELS },
    { name: 'word/document.xml', data: documentXml(text) },
  ]);
}

/** A macro-enabled Word document (.docm), which we refuse. */
export function makeDocm(): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: contentTypes(WORD_MACRO_MAIN) },
    { name: '_rels/.rels', data: RELS },
    { name: 'word/document.xml', data: documentXml('Macros') },
    { name: 'word/vbaProject.bin', data: Buffer.alloc(16) },
  ]);
}

/** A ZIP whose content types say "Word" but which has no document in it. */
export function makeFakeDocx(): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: contentTypes(WORD_MAIN) },
    { name: '_rels/.rels', data: RELS },
    { name: 'payload/run.js', data: 'alert(1)' },
  ]);
}

/** An ordinary ZIP (as if renamed .docx). */
export function makePlainZip(): Buffer {
  return makeZip([{ name: 'notes.txt', data: 'not a Word document' }]);
}

/** The start of a Windows executable: an MZ header pointing at a PE header. */
export function makeExe(): Buffer {
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'ascii');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'binary');
  bytes.writeUInt16LE(0x014c, 0x84); // i386
  return bytes;
}

/** An OLE2 compound file header, as a legacy .doc (or .xls, .msi) starts. */
export function makeOle2(): Buffer {
  const bytes = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes);
  bytes.writeUInt16LE(0x003e, 0x18); // minor version
  bytes.writeUInt16LE(0x0003, 0x1a); // major version 3
  bytes.writeUInt16LE(0xfffe, 0x1c); // byte order
  bytes.writeUInt16LE(0x0009, 0x1e); // sector shift
  return bytes;
}

export const HTML_PAGE = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);

export const SVG_IMAGE = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="10"/></svg>',
);
