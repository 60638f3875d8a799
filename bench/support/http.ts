/** Plain node:http requests that report the bytes on the wire, before any decompression. */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as it arrived (still compressed if the server compressed it). */
  body: Buffer;
  /** Body bytes received on the wire, after HTTP/1.1 chunked framing is removed. */
  wireBytes: number;
}

/** GET a URL without following redirects or decompressing; a fresh connection each time. */
export function getRaw(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 5_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      let wireBytes = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        wireBytes += chunk.length;
      });
      response.on('error', reject);
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          wireBytes,
        });
      });
    });
    request.setTimeout(timeoutMs, () => {
      request.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`));
    });
    request.on('error', reject);
  });
}

/** The body as the browser would see it, undoing Content-Encoding. */
export function decodeBody(response: RawResponse): Buffer {
  const encoding = contentEncoding(response);
  switch (encoding) {
    case 'identity':
      return response.body;
    case 'br':
      return brotliDecompressSync(response.body);
    case 'gzip':
      return gunzipSync(response.body);
    case 'deflate':
      return inflateSync(response.body);
    default:
      throw new Error(`Unexpected Content-Encoding: ${encoding}`);
  }
}

export function contentEncoding(response: RawResponse): string {
  const value = response.headers['content-encoding'];
  return value === undefined || value === '' ? 'identity' : value.trim().toLowerCase();
}
