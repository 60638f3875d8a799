/**
 * An in-memory cache of rendered public pages, like a CDN in front of the explorer: pages whose
 * HTML depends only on the URL and on immutable data (a framework version) are rendered once and
 * then served from memory, with a fresh CSP nonce put in on every response.
 *
 * Pages are rendered with a random placeholder in place of the nonce, split on it and stored as
 * buffers; serving joins them with this response's nonce. The placeholder is random per process,
 * so nothing a person types can forge it (and what they type is escaped anyway).
 *
 * Browsers that accept gzip get the page compressed: the fixed pieces are compressed once and
 * the nonce spliced in per response (gzip-splice.ts), so there is no compression per request.
 *
 * Only use it for pages that are the same for every visitor. When pages start to vary by the
 * signed-in person, put what varies in the key or do not cache that page.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';
import { type CompressedPiece, compressPiece, spliceGzip } from './gzip-splice.js';

export interface PageCache {
  /** Sends the cached page for `key`, rendering (with the given nonce) and storing it first if needed. */
  send(
    reply: FastifyReply,
    key: string,
    render: (cspNonce: string) => Promise<string>,
  ): Promise<FastifyReply>;
  readonly size: number;
}

interface Entry {
  raw: Buffer[];
  gzip: CompressedPiece[];
}

/** True when an Accept-Encoding header allows gzip (q > 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let gzip: boolean | undefined;
  let star = false;
  for (const item of value.split(',')) {
    const [name = '', ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') gzip = allowed;
    else if (name === '*') star = allowed;
  }
  return gzip ?? star;
}

export function createPageCache({
  maxBytes = 32 * 1024 * 1024,
}: { maxBytes?: number } = {}): PageCache {
  const placeholder = `cspnonce${randomBytes(16).toString('hex')}`;
  const cache = new LRUCache<string, Entry>({
    maxSize: maxBytes,
    sizeCalculation: (entry) =>
      entry.raw.reduce((n, p) => n + p.length, 0) +
      entry.gzip.reduce((n, p) => n + p.deflated.length, 0) +
      64,
  });
  return {
    async send(reply, key, render) {
      // A signed-in person's pages carry their name in the header: never from or into the cache.
      if (reply.locals?.currentUser) {
        return reply.type('text/html; charset=utf-8').send(await render(reply.cspNonce.script));
      }
      let entry = cache.get(key);
      if (!entry) {
        const html = await render(placeholder);
        const raw = html.split(placeholder).map((part) => Buffer.from(part, 'utf8'));
        entry = { raw, gzip: raw.map(compressPiece) };
        cache.set(key, entry);
      }
      const nonce = Buffer.from(reply.cspNonce.script, 'utf8');
      reply.type('text/html; charset=utf-8').header('vary', 'accept-encoding');
      if (acceptsGzip(reply.request.headers['accept-encoding'])) {
        return reply.header('content-encoding', 'gzip').send(spliceGzip(entry.gzip, nonce));
      }
      const pieces: Buffer[] = [];
      entry.raw.forEach((part, i) => {
        if (i > 0) pieces.push(nonce);
        pieces.push(part);
      });
      return reply.send(Buffer.concat(pieces));
    },
    get size() {
      return cache.size;
    },
  };
}
