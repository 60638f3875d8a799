/**
 * Fonts for the PDFs made on the server with PDFKit, so that people's names, professions and the
 * framework's text print exactly, whatever language they are in.
 *
 * PDFKit's built-in Helvetica only covers Windows-1252 (Western European) text. Instead we embed
 * Noto Sans, regular and bold, from the `@expo-google-fonts/noto-sans` package (the Google Fonts
 * build, SIL Open Font License 1.1). It covers:
 *
 * - Latin, with the letters of every European language (Polish, Czech, Turkish, Romanian,
 *   Welsh, Icelandic…), of many African ones (Yoruba, Hausa, Igbo…) and Vietnamese;
 * - Greek (monotonic and polytonic) and Cyrillic (Russian, Ukrainian, Serbian, Bulgarian…);
 * - Devanagari (Hindi, Marathi, Nepali), shaped by fontkit (conjuncts, vowel signs, reph).
 *   It prints correctly; text copied out of the PDF keeps the letters but in the order they
 *   are drawn (e.g. the short i vowel sign before its consonant).
 *
 * Not covered: right-to-left scripts (Arabic, Urdu, Persian, Hebrew), which PDFKit cannot lay
 * out (it has no bidirectional algorithm), CJK (Chinese, Japanese, Korean; many megabytes of
 * glyphs), and other scripts of South and South-East Asia (Bengali, Tamil, Thai…). A character
 * no bundled font has is printed as U+FFFD "�" by `textForPdf`, never dropped silently and never
 * a crash; a few symbols are written the plain way (→ as ->).
 *
 * The font files are read and parsed once, on first use, from node_modules (resolved from this
 * module, so the same code works from src under tsx and vitest and bundled into dist/ by
 * esbuild, which leaves packages in node_modules), and every document shares the parsed fonts:
 * parsing them per document would triple the time a report takes. PDFKit embeds only the glyphs
 * a document uses (a subset), so a report stays small.
 *
 * Sharing is safe because each glyph always stands for the same characters. fontkit remembers,
 * per glyph, the characters it first stood for, and PDFKit writes that into the PDF's text layer
 * (what copying, searching and screen readers get). In Noto Sans no two characters share a glyph,
 * ligatures are always made of the same letters, and the one feature that split a letter into
 * two glyphs is turned off (`FEATURES`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

/** The names to pass to `doc.font()` once `registerPdfFonts(doc)` has run. */
export const PDF_FONT = 'NotoSans';
export const PDF_FONT_BOLD = 'NotoSans-Bold';

const FILES: Readonly<Record<string, string>> = {
  [PDF_FONT]: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  [PDF_FONT_BOLD]: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
};

/**
 * OpenType features turned off for every run of text. Noto Sans's glyph composition feature
 * (ccmp) splits a few letters with a dot below (ị ụ ọ ẹ ṣ ṃ ṅ ǹ ḿ, as in Vietnamese and
 * Yoruba names) into a letter and a separate dot, and PDFKit's text layer cannot say which
 * character the dot belongs to, so copying or searching the name would lose the dot. Every
 * such letter has its own ready-made glyph, which is used instead.
 */
const FEATURES: Readonly<Record<string, boolean>> = { ccmp: false };

/** Symbols the fonts lack that have a plain way of writing them. */
const PLAIN = new Map<string, string>([
  ['→', '->'],
  ['≥', '>='],
  ['≤', '<='],
]);

export const MISSING_CHARACTER = '\uFFFD';

interface LoadedFonts {
  /** Each bundled font by the name it is registered under, ready for PDFKit. */
  fonts: ReadonlyMap<string, fontkit.Font>;
  /** Whether every bundled weight has a glyph for this code point. */
  covers: (codePoint: number) => boolean;
}

let loaded: LoadedFonts | undefined;

function load(): LoadedFonts {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const fonts = new Map(
      Object.entries(FILES).map(([name, spec]) => [
        name,
        withDefaultFeatures(asFont(fontkit.create(readFileSync(require.resolve(spec))))),
      ]),
    );
    const known = new Map<number, boolean>();
    loaded = {
      fonts,
      covers: (codePoint) => {
        let has = known.get(codePoint);
        if (has === undefined) {
          has = [...fonts.values()].every((font) => font.hasGlyphForCodePoint(codePoint));
          known.set(codePoint, has);
        }
        return has;
      },
    };
  }
  return loaded;
}

function asFont(font: fontkit.Font | fontkit.FontCollection): fontkit.Font {
  if ('fonts' in font) throw new Error('expected a single font, not a collection');
  return font;
}

/** A fontkit font that lays text out with `FEATURES` unless PDFKit asks for features itself. */
function withDefaultFeatures(font: fontkit.Font): fontkit.Font {
  return new Proxy(font, {
    get(target, property) {
      // A fresh features object each time: fontkit writes the features it applied into it.
      if (property === 'layout')
        return (text: string, features?: string[] | Record<string, boolean>, ...rest: string[]) =>
          target.layout(text, features ?? { ...FEATURES }, ...rest);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/**
 * Registers the bundled fonts with a document under `PDF_FONT` and `PDF_FONT_BOLD` and makes
 * `PDF_FONT` the current font.
 */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, font] of load().fonts) {
    // PDFKit takes a fontkit font object as a source too; its types only list files and bytes.
    doc.registerFont(name, font as unknown as Parameters<PDFKit.PDFDocument['registerFont']>[1]);
  }
  doc.font(PDF_FONT);
}

/** Whether the bundled fonts can show this character (one code point). */
export function pdfFontsCover(character: string): boolean {
  return load().covers(character.codePointAt(0) ?? 0);
}

/**
 * Text ready for the bundled fonts: composed (NFC, so "e" + combining accent uses the accented
 * letter's own glyph), control characters other than line breaks as spaces, symbols the fonts
 * lack written plainly, and any other character they lack as U+FFFD "�".
 */
export function textForPdf(text: string): string {
  const { covers } = load();
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += ch;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (covers(code)) out += ch;
    else out += PLAIN.get(ch) ?? MISSING_CHARACTER;
  }
  return out;
}

/**
 * A new A4 PDF as digicap makes them: tagged (accessible structure), British English, our fonts
 * registered; `finished` resolves with the bytes once `doc.end()` is called. The document
 * information is Unicode text and needs no font, so the title and subject are kept exact.
 */
export function startPdfDocument(options: {
  title: string;
  subject: string;
  margin: number;
  now: Date;
}) {
  const doc = new PDFDocument({
    size: 'A4',
    margin: options.margin,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    info: {
      Title: options.title.normalize('NFC'),
      Author: 'digicap',
      Subject: options.subject.normalize('NFC'),
      CreationDate: options.now,
    },
  });
  registerPdfFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return { doc, finished, root };
}
