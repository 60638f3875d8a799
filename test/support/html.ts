/** Parse HTML responses so tests assert on elements, not substrings. */
import * as cheerio from 'cheerio';

export function parseHtml(body: string): cheerio.CheerioAPI {
  return cheerio.load(body);
}

/** Visible text with whitespace folded. */
export function textOf($: cheerio.CheerioAPI, selector: string): string {
  return $(selector).first().text().replace(/\s+/g, ' ').trim();
}
