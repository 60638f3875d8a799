/**
 * An in-memory cache of rendered public pages, like a CDN in front of the explorer: pages whose
 * HTML depends only on the URL and on immutable data (a framework version) are rendered once and
 * then served from memory, with a fresh CSP nonce put in on every response.
 *
 * Pages are rendered with a random placeholder in place of the nonce, split on it and stored as
 * buffers; serving joins them with this response's nonce. The placeholder is random per process,
 * so nothing a person types can forge it (and what they type is escaped anyway).
 *
 * Only use it for pages that are the same for every visitor. When pages start to vary by the
 * signed-in person, put what varies in the key or do not cache that page.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';

export interface PageCache {
  /** Sends the cached page for `key`, rendering (with the given nonce) and storing it first if needed. */
  send(
    reply: FastifyReply,
    key: string,
    render: (cspNonce: string) => Promise<string>,
  ): Promise<FastifyReply>;
  readonly size: number;
}

export function createPageCache({
  maxBytes = 32 * 1024 * 1024,
}: { maxBytes?: number } = {}): PageCache {
  const placeholder = `cspnonce${randomBytes(16).toString('hex')}`;
  const cache = new LRUCache<string, Buffer[]>({
    maxSize: maxBytes,
    sizeCalculation: (parts) => parts.reduce((n, p) => n + p.length, 0) + 64,
  });
  return {
    async send(reply, key, render) {
      let parts = cache.get(key);
      if (!parts) {
        const html = await render(placeholder);
        parts = html.split(placeholder).map((part) => Buffer.from(part, 'utf8'));
        cache.set(key, parts);
      }
      const nonce = Buffer.from(reply.cspNonce.script, 'utf8');
      const pieces: Buffer[] = [];
      parts.forEach((part, i) => {
        if (i > 0) pieces.push(nonce);
        pieces.push(part);
      });
      return reply.type('text/html; charset=utf-8').send(Buffer.concat(pieces));
    },
    get size() {
      return cache.size;
    },
  };
}
