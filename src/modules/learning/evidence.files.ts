/**
 * Evidence files: what types we accept, found from the file's content (never its name or the
 * Content-Type the browser sent), and the names we show and download them under. Pure apart from
 * reading the bytes it is given.
 *
 * The type comes from `file-type` (magic numbers; for ZIP-based formats it reads the entries, and
 * tells a Word document from other Office files by `[Content_Types].xml`). For a Word document we
 * also read the ZIP's central directory ourselves and require `word/document.xml`, and refuse one
 * carrying macros: a ZIP renamed .docx, or any other ZIP, is not a Word document. Text formats
 * (HTML, SVG, scripts) have no magic number, so they are never detected and never accepted.
 * Legacy Word (.doc) files are OLE2 compound files, a container shared with installers (.msi)
 * and other Office files; we refuse them with a message asking for .docx or PDF instead.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { fileTypeFromStream } from 'file-type/node';

export interface EvidenceFileType {
  /** The Content-Type we store and serve. */
  mime: string;
  /** The usual extension, added to a download name that lacks a matching one. */
  ext: string;
  /** Extensions that already match (lower case). */
  extensions: readonly string[];
  /** How we name the type to people. */
  label: string;
}

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const EVIDENCE_FILE_TYPES: readonly EvidenceFileType[] = [
  { mime: 'application/pdf', ext: 'pdf', extensions: ['pdf'], label: 'PDF' },
  { mime: 'image/png', ext: 'png', extensions: ['png'], label: 'PNG image' },
  { mime: 'image/jpeg', ext: 'jpg', extensions: ['jpg', 'jpeg', 'jpe'], label: 'JPEG image' },
  { mime: 'image/gif', ext: 'gif', extensions: ['gif'], label: 'GIF image' },
  { mime: 'image/webp', ext: 'webp', extensions: ['webp'], label: 'WebP image' },
  { mime: DOCX_MIME, ext: 'docx', extensions: ['docx'], label: 'Word document' },
];

/** The allowed types, as people read them. */
export const ALLOWED_FILE_TYPES_TEXT =
  'a PDF, a PNG, JPEG, GIF or WebP image, or a Word document (.docx)';

/** The `accept` attribute for the file input: a hint to the browser's file picker only. */
export const FILE_INPUT_ACCEPT = [
  ...EVIDENCE_FILE_TYPES.flatMap((t) => t.extensions.map((e) => `.${e}`)),
  ...EVIDENCE_FILE_TYPES.map((t) => t.mime),
].join(',');

export function evidenceFileType(mime: string | null | undefined): EvidenceFileType | undefined {
  return EVIDENCE_FILE_TYPES.find((t) => t.mime === mime);
}

export type Detection =
  | { ok: true; type: EvidenceFileType }
  | {
      ok: false;
      /**
       * unknown: no type recognised (text, HTML, SVG, random bytes); not-allowed: a type we do
       * not take (an executable, a ZIP, a video…); legacy-office: an OLE2 file such as .doc;
       * macros: a macro-enabled Word file; not-word: a ZIP that claims to be Word but is not.
       */
      reason: 'unknown' | 'not-allowed' | 'legacy-office' | 'macros' | 'not-word';
      /** What file-type found, for logs. */
      detected?: string;
    };

/**
 * The names in a ZIP's central directory, or undefined when the bytes are not a ZIP we can read
 * (no end-of-central-directory record, ZIP64, or entries running past the end).
 */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  // The end record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  let end = -1;
  for (let at = data.length - 22; at >= lowest; at -= 1) {
    if (data.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = data.readUInt16LE(end + 10);
  const size = data.readUInt32LE(end + 12);
  const offset = data.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return undefined;
  if (offset + size > end) return undefined;
  const names: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > end || data.readUInt32LE(at) !== CENTRAL) return undefined;
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > end) return undefined;
    names.push(data.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** A real Word document: the OOXML content types and the main document part, and no macros. */
export function wordDocumentProblem(bytes: Uint8Array): 'not-word' | 'macros' | undefined {
  const names = zipEntryNames(bytes);
  if (!names) return 'not-word';
  const has = new Set(names);
  if (!has.has('[Content_Types].xml') || !has.has('word/document.xml')) return 'not-word';
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) return 'macros';
  return undefined;
}

/**
 * The file's type from its content. `open` gives a fresh stream of the whole file each time it
 * is called (it is read twice for a Word document: once for the type, once for its ZIP
 * directory).
 */
export async function detectEvidenceFileType(open: () => Promise<Readable>): Promise<Detection> {
  const stream = await open();
  let found;
  try {
    found = await fileTypeFromStream(stream);
  } finally {
    stream.destroy();
  }
  if (!found) return { ok: false, reason: 'unknown' };
  const detected = `${found.ext} (${found.mime})`;
  if (found.mime === 'application/x-cfb') return { ok: false, reason: 'legacy-office', detected };
  if (/macroenabled/i.test(found.mime)) return { ok: false, reason: 'macros', detected };
  const type = evidenceFileType(found.mime);
  if (!type) return { ok: false, reason: 'not-allowed', detected };
  if (type.mime === DOCX_MIME) {
    const problem = wordDocumentProblem(await buffer(await open()));
    if (problem) return { ok: false, reason: problem, detected };
  }
  return { ok: true, type };
}

/** `detectEvidenceFileType` for bytes already in memory (tests, small files). */
export function detectEvidenceFileTypeOf(bytes: Uint8Array): Promise<Detection> {
  return detectEvidenceFileType(() =>
    Promise.resolve(Readable.from([Buffer.from(bytes)], { objectMode: false })),
  );
}

/** What we tell a person whose file we refused, naming it. */
export function rejectionMessage(
  fileName: string,
  reason: Exclude<Detection, { ok: true }>['reason'],
): string {
  const name = `"${fileName}"`;
  switch (reason) {
    case 'legacy-office':
      return `${name} is an older Microsoft Office file (such as .doc). Save it as a Word document (.docx) or a PDF and upload that instead`;
    case 'macros':
      return `${name} is a Word document with macros, which we do not accept. Save it as a Word document (.docx) without macros, or as a PDF`;
    case 'not-word':
      return `${name} is not a Word document we can read. Upload ${ALLOWED_FILE_TYPES_TEXT}`;
    default:
      return `${name} is not a type of file we accept. Upload ${ALLOWED_FILE_TYPES_TEXT}`;
  }
}

const MAX_NAME_LENGTH = 150;

/**
 * The name a person gave their file, fit to show and to download under: without any folder
 * part (some browsers send "C:\fakepath\…"), composed (NFC), without control or invisible
 * formatting characters (which can disguise an extension: "report\u202Efdp.exe"), with spaces
 * folded, without leading dots, and at most 150 characters (keeping the extension, and never
 * splitting a character made of several code points, like an emoji). Never empty: "file" when
 * nothing is left.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+/u, '');
  const graphemes = Array.from(new Intl.Segmenter('en').segment(name), (g) => g.segment);
  if (graphemes.length > MAX_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot) : '';
    const keepExt = ext.length > 1 && ext.length <= 10 ? ext : '';
    const room = MAX_NAME_LENGTH - Array.from(new Intl.Segmenter('en').segment(keepExt)).length;
    name = `${graphemes.slice(0, room).join('').trim()}${keepExt}`;
  }
  return name || 'file';
}

/** The name to download under: the person's name, with the type's extension when it lacks one. */
export function downloadFileName(name: string, type: EvidenceFileType): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return type.extensions.includes(ext) ? name : `${name}.${type.ext}`;
}

/** RFC 5987 / 8187 ext-value encoding: UTF-8, percent-encoded outside attr-char. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Content-Disposition for a download: always an attachment (never shown in our origin), with a
 * plain-ASCII `filename` for old clients and the exact name as `filename*` (RFC 6266).
 */
export function attachmentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\x20-\x7e]|["\\%;]/g, '_')
      .trim() || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(name)}`;
}
