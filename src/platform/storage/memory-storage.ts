/**
 * File storage in memory, for tests: the same contract as the local disk (random keys only,
 * all-or-nothing puts, a size limit), nothing written anywhere.
 */
import { Readable } from 'node:stream';
import {
  ensureStorageKey,
  type FileStorage,
  type PutOptions,
  type StoredFileInfo,
  StoredFileNotFoundError,
  StoredFileTooLargeError,
} from './storage.js';

export interface MemoryStorage extends FileStorage {
  /** The stored keys (for tests' assertions). */
  keys(): string[];
}

/** `fn`'s result as a promise, rejected if it throws. */
const settle = <T>(fn: () => T): Promise<T> =>
  new Promise<T>((resolve) => {
    resolve(fn());
  });

export function createMemoryStorage(now: () => Date = () => new Date()): MemoryStorage {
  const files = new Map<string, { bytes: Buffer; storedAt: Date }>();
  return {
    kind: 'memory',

    async put(key: string, content: Readable | Uint8Array, options: PutOptions = {}) {
      ensureStorageKey(key);
      const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
      let bytes: Buffer;
      if (content instanceof Uint8Array) {
        if (content.byteLength > maxBytes) throw new StoredFileTooLargeError(maxBytes);
        bytes = Buffer.from(content);
      } else {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of content) {
          const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
          size += b.byteLength;
          if (size > maxBytes) throw new StoredFileTooLargeError(maxBytes);
          chunks.push(b);
        }
        bytes = Buffer.concat(chunks);
      }
      files.set(key, { bytes, storedAt: now() });
      return bytes.byteLength;
    },

    get(key: string) {
      return settle(() => {
        const file = files.get(ensureStorageKey(key));
        if (!file) throw new StoredFileNotFoundError();
        return Readable.from([file.bytes], { objectMode: false });
      });
    },

    delete(key: string) {
      return settle(() => files.delete(ensureStorageKey(key)));
    },

    exists(key: string) {
      return settle(() => files.has(ensureStorageKey(key)));
    },

    list(): AsyncIterable<StoredFileInfo> {
      return Readable.from(
        [...files].map(([key, file]) => ({
          key,
          size: file.bytes.byteLength,
          storedAt: file.storedAt,
        })),
      );
    },

    purgeIncomplete() {
      return Promise.resolve(0);
    },

    keys: () => [...files.keys()],
  };
}
