/**
 * Gzip bodies assembled from pre-compressed pieces with small uncompressed pieces between them,
 * so a cached page can be sent compressed with a different CSP nonce in every response without
 * compressing anything per request.
 *
 * Each fixed piece is compressed once as raw deflate ending in a sync flush (byte-aligned, not
 * final). Per response we join: gzip header, piece, stored block (the nonce), piece, …, an empty
 * final block, then the trailer: CRC-32 and length of the whole uncompressed body. The CRC is
 * combined from the pieces' CRCs with zlib's crc32_combine, ported below (RFC 1951 and 1952).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const POLY = 0xedb88320;

/** (a * b) modulo the CRC polynomial, in zlib's reflected bit order. */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p = (p ^ b) >>> 0;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? ((b >>> 1) ^ POLY) >>> 0 : b >>> 1;
  }
  return p >>> 0;
}

/** x2n[k] = x^(2^k) modulo the polynomial. */
const x2n: number[] = (() => {
  const table: number[] = [];
  let p = 0x40000000; // x^1
  table.push(p);
  for (let n = 1; n < 32; n++) {
    p = multModP(p, p);
    table.push(p);
  }
  return table;
})();

/** x^(n * 2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n & 1) p = multModP(x2n[k & 31] ?? 0, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** CRC-32 of A followed by B, from CRC(A), CRC(B) and the length of B. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}

export interface CompressedPiece {
  deflated: Buffer;
  crc: number;
  length: number;
}

export function compressPiece(raw: Buffer): CompressedPiece {
  return {
    deflated: deflateRawSync(raw, { level: 6, finishFlush: constants.Z_SYNC_FLUSH }),
    crc: crc32(raw),
    length: raw.length,
  };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);
const MAX_STORED = 0xffff;

function storedBlock(data: Buffer): Buffer {
  if (data.length > MAX_STORED) throw new Error('a spliced piece must be under 64 KiB');
  const block = Buffer.allocUnsafe(5 + data.length);
  block[0] = 0x00; // not final, stored; we are byte-aligned after a sync flush
  block.writeUInt16LE(data.length, 1);
  block.writeUInt16LE(~data.length & 0xffff, 3);
  data.copy(block, 5);
  return block;
}

/** A gzip body of pieces[0] + insert + pieces[1] + insert + … (insert between every two pieces). */
export function spliceGzip(pieces: readonly CompressedPiece[], insert: Buffer): Buffer {
  const insertCrc = crc32(insert);
  const insertBlock = storedBlock(insert);
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let length = 0;
  pieces.forEach((piece, i) => {
    if (i > 0) {
      out.push(insertBlock);
      crc = crc32Combine(crc, insertCrc, insert.length);
      length += insert.length;
    }
    out.push(piece.deflated);
    crc = i === 0 ? piece.crc : crc32Combine(crc, piece.crc, piece.length);
    length += piece.length;
  });
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  out.push(FINAL_EMPTY_BLOCK, trailer);
  return Buffer.concat(out);
}
