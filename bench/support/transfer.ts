/**
 * First-visit transfer: what a browser with an empty cache downloads for one page, counting the
 * compressed bytes on the wire for the document, its same-origin stylesheets and its scripts.
 * Fonts and images (including those the CSS refers to) are not counted.
 */
import * as cheerio from 'cheerio';
import { contentEncoding, decodeBody, getRaw } from './http.js';

export type TransferKind = 'document' | 'stylesheet' | 'script';

export interface TransferItem {
  kind: TransferKind;
  path: string;
  status: number;
  encoding: string;
  /** Compressed body bytes on the wire. */
  wireBytes: number;
  /** Body bytes after undoing Content-Encoding. */
  decodedBytes: number;
}

export interface FirstVisit {
  acceptEncoding: string;
  items: TransferItem[];
  totalWireBytes: number;
  totalDecodedBytes: number;
  /** Stylesheets or scripts from other origins, listed but not fetched or counted. */
  crossOrigin: string[];
}

const ACCEPT: Record<TransferKind, string> = {
  document: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  stylesheet: 'text/css,*/*;q=0.1',
  script: '*/*',
};

export async function firstVisitTransfer(
  origin: string,
  pagePath: string,
  acceptEncoding = 'br, gzip',
): Promise<FirstVisit> {
  const fetchItem = async (kind: TransferKind, url: URL): Promise<TransferItem> => {
    const response = await getRaw(url.href, {
      accept: ACCEPT[kind],
      'accept-encoding': acceptEncoding,
      'user-agent': 'digicap-bench',
    });
    const path = `${url.pathname}${url.search}`;
    if (response.status !== 200) {
      throw new Error(`first visit: GET ${path} (${kind}) answered ${response.status}, not 200`);
    }
    return {
      kind,
      path,
      status: response.status,
      encoding: contentEncoding(response),
      wireBytes: response.wireBytes,
      decodedBytes: decodeBody(response).length,
    };
  };

  const pageUrl = new URL(pagePath, origin);
  const pageResponse = await getRaw(pageUrl.href, {
    accept: ACCEPT.document,
    'accept-encoding': acceptEncoding,
    'user-agent': 'digicap-bench',
  });
  if (pageResponse.status !== 200) {
    throw new Error(`first visit: GET ${pagePath} answered ${pageResponse.status}, not 200`);
  }
  const html = decodeBody(pageResponse).toString('utf8');
  const document: TransferItem = {
    kind: 'document',
    path: `${pageUrl.pathname}${pageUrl.search}`,
    status: pageResponse.status,
    encoding: contentEncoding(pageResponse),
    wireBytes: pageResponse.wireBytes,
    decodedBytes: Buffer.byteLength(html),
  };

  const $ = cheerio.load(html);
  const references: { kind: TransferKind; href: string }[] = [
    ...$('link[rel~="stylesheet" i][href]')
      .toArray()
      .map((element) => ({ kind: 'stylesheet' as const, href: $(element).attr('href') ?? '' })),
    ...$('script[src]')
      .toArray()
      .map((element) => ({ kind: 'script' as const, href: $(element).attr('src') ?? '' })),
  ];

  const seen = new Set<string>();
  const sameOrigin: { kind: TransferKind; url: URL }[] = [];
  const crossOrigin: string[] = [];
  for (const { kind, href } of references) {
    if (href.trim() === '') continue;
    const url = new URL(href, pageUrl);
    url.hash = '';
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    if (url.origin === pageUrl.origin) sameOrigin.push({ kind, url });
    else crossOrigin.push(url.href);
  }
  if (!sameOrigin.some((reference) => reference.kind === 'stylesheet')) {
    throw new Error(`first visit: ${pagePath} references no same-origin stylesheet`);
  }

  const items = [document];
  for (const { kind, url } of sameOrigin) items.push(await fetchItem(kind, url));
  return {
    acceptEncoding,
    items,
    totalWireBytes: items.reduce((sum, item) => sum + item.wireBytes, 0),
    totalDecodedBytes: items.reduce((sum, item) => sum + item.decodedBytes, 0),
    crossOrigin,
  };
}
