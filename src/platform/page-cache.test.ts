import { describe, expect, it, vi } from 'vitest';
import type { FastifyReply } from 'fastify';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, createPageCache } from './page-cache.js';

function fakeReply(nonce: string, acceptEncoding?: string) {
  const sent: { type?: string; body?: Buffer; headers: Record<string, string> } = { headers: {} };
  const reply = {
    cspNonce: { script: nonce, style: nonce },
    request: { headers: { 'accept-encoding': acceptEncoding } },
    type(value: string) {
      sent.type = value;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: Buffer) {
      sent.body = body;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

describe('createPageCache', () => {
  it('renders a page once and serves it again with each response’s own nonce', async () => {
    const cache = createPageCache();
    const render = vi.fn((nonce: string) =>
      Promise.resolve(
        `<script nonce="${nonce}">a</script><p>é</p><script nonce="${nonce}"></script>`,
      ),
    );
    const first = fakeReply('AAA');
    await cache.send(first.reply, 'k', render);
    const second = fakeReply('BBB');
    await cache.send(second.reply, 'k', render);
    expect(render).toHaveBeenCalledTimes(1);
    expect(first.sent.body?.toString('utf8')).toBe(
      '<script nonce="AAA">a</script><p>é</p><script nonce="AAA"></script>',
    );
    expect(second.sent.body?.toString('utf8')).toBe(
      '<script nonce="BBB">a</script><p>é</p><script nonce="BBB"></script>',
    );
    expect(second.sent.type).toBe('text/html; charset=utf-8');
    expect(cache.size).toBe(1);
  });

  it('keeps pages apart by key and never leaks its placeholder', async () => {
    const cache = createPageCache();
    let placeholder = '';
    const { reply, sent } = fakeReply('N1');
    await cache.send(reply, 'one', (nonce) => {
      placeholder = nonce;
      return Promise.resolve(`one ${nonce}`);
    });
    const other = fakeReply('N2');
    await cache.send(other.reply, 'two', (nonce) => Promise.resolve(`two ${nonce}`));
    expect(sent.body?.toString()).toBe('one N1');
    expect(other.sent.body?.toString()).toBe('two N2');
    expect(placeholder).toMatch(/^cspnonce[0-9a-f]{32}$/);
  });

  it('evicts the least recently used pages beyond its size limit', async () => {
    const cache = createPageCache({ maxBytes: 1000 });
    for (let i = 0; i < 20; i++)
      await cache.send(fakeReply('n').reply, `k${i}`, () => Promise.resolve('x'.repeat(200)));
    expect(cache.size).toBeLessThanOrEqual(4);
  });

  it('does not cache a page whose rendering failed', async () => {
    const cache = createPageCache();
    await expect(
      cache.send(fakeReply('n').reply, 'k', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(cache.size).toBe(0);
  });

  it('sends gzip, still with each response’s own nonce, to clients that accept it', async () => {
    const cache = createPageCache();
    const render = (nonce: string) =>
      Promise.resolve(`<script nonce="${nonce}"></script>${'<p>statement</p>'.repeat(500)}`);
    const { reply, sent } = fakeReply('ZZZ', 'gzip, deflate, br');
    await cache.send(reply, 'k', render);
    expect(sent.headers['content-encoding']).toBe('gzip');
    expect(sent.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(sent.body ?? Buffer.alloc(0)).toString()).toBe(
      `<script nonce="ZZZ"></script>${'<p>statement</p>'.repeat(500)}`,
    );
    const plain = fakeReply('YYY', 'br');
    await cache.send(plain.reply, 'k', render);
    expect(plain.sent.headers['content-encoding']).toBeUndefined();
    expect(plain.sent.body?.toString()).toContain('nonce="YYY"');
  });
});

describe('acceptsGzip', () => {
  it('reads Accept-Encoding with quality values', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('gzip;q=0, br')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip(['deflate', 'GZIP'])).toBe(true);
  });
});
