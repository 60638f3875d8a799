import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressPiece, crc32Combine, spliceGzip } from './gzip-splice.js';

describe('crc32Combine', () => {
  it('matches the CRC of the concatenation for many lengths', () => {
    for (const [a, b] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [7, 13],
      [1000, 24],
      [65_536, 100_000],
      [3, 1_000_001],
    ] as const) {
      const left = randomBytes(a);
      const right = randomBytes(b);
      expect(crc32Combine(crc32(left), crc32(right), b), `${a}+${b}`).toBe(
        crc32(Buffer.concat([left, right])),
      );
    }
  });
});

describe('spliceGzip', () => {
  it('produces valid gzip of the pieces joined by the insert', () => {
    const pieces = [
      '<html><head><script nonce="',
      '"></script></head><body>',
      `${'<p>café ünïcode</p>'.repeat(5000)}</body></html>`,
    ].map((s) => Buffer.from(s));
    const compressed = pieces.map(compressPiece);
    for (const nonce of ['abc', randomBytes(16).toString('base64'), '']) {
      const body = spliceGzip(compressed, Buffer.from(nonce));
      expect(gunzipSync(body).toString('utf8')).toBe(
        pieces.map((p) => p.toString('utf8')).join(nonce),
      );
    }
  });

  it('handles a single piece and empty pieces', () => {
    expect(
      gunzipSync(spliceGzip([compressPiece(Buffer.from('only'))], Buffer.from('x'))).toString(),
    ).toBe('only');
    const empty = [Buffer.alloc(0), Buffer.from('mid'), Buffer.alloc(0)].map(compressPiece);
    expect(gunzipSync(spliceGzip(empty, Buffer.from('N'))).toString()).toBe('NmidN');
  });

  it('is much smaller than the page it carries', () => {
    const page = Buffer.from(
      '<li class="app-statement">I can explain how data is used.</li>'.repeat(1000),
    );
    const body = spliceGzip([compressPiece(page)], Buffer.from('n'));
    expect(body.length).toBeLessThan(page.length / 20);
  });
});
