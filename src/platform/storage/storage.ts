/**
 * File storage: where uploaded files (a person's evidence) live, behind one small interface so
 * that the local-disk default can be swapped for another store (an S3-compatible bucket, say)
 * without touching the modules that use it.
 *
 * Keys are made here, never from anything a person sends: `newStorageKey()` gives 128 random
 * bits as 32 lower-case hex characters, and every method refuses any other shape of key, so a
 * file name, a path or "../" can never reach the file system. Callers keep the key (in the
 * database) and the name the person gave the file separately.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

const KEY = /^[0-9a-f]{32}$/;

/** A new random key for a file about to be stored. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

export function isStorageKey(value: unknown): value is string {
  return typeof value === 'string' && KEY.test(value);
}

/** Thrown for a key that is not one `newStorageKey()` could have made. */
export class InvalidStorageKeyError extends Error {
  override name = 'InvalidStorageKeyError';
  constructor() {
    super('not a storage key');
  }
}

/** `put` was given more than `maxBytes`: nothing was stored. */
export class StoredFileTooLargeError extends Error {
  override name = 'StoredFileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${String(maxBytes)} bytes`);
  }
}

/** `get` of a key that holds nothing. */
export class StoredFileNotFoundError extends Error {
  override name = 'StoredFileNotFoundError';
  constructor() {
    super('no file is stored under that key');
  }
}

export function ensureStorageKey(key: string): string {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError();
  return key;
}

export interface PutOptions {
  /** Refuse (StoredFileTooLargeError, nothing kept) a file larger than this. */
  maxBytes?: number;
}

export interface StoredFileInfo {
  key: string;
  size: number;
  /** When it was stored. */
  storedAt: Date;
}

export interface FileStorage {
  /** 'local-disk' or 'memory': for logs and the README, never for decisions. */
  readonly kind: string;
  /**
   * Stores the bytes under `key` (from `newStorageKey()`), all or nothing: a reader never sees
   * half a file, and a failed or refused put leaves nothing behind. Resolves to the size.
   * A key that already holds a file is replaced.
   */
  put(key: string, content: Readable | Uint8Array, options?: PutOptions): Promise<number>;
  /** The file's bytes as a stream; StoredFileNotFoundError when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the file; false when there was none (deleting twice is harmless). */
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  /** Every stored file, in no particular order (for sweeping files nothing refers to). */
  list(): AsyncIterable<StoredFileInfo>;
  /**
   * Removes leftovers of puts that never finished (a crash mid-write) older than `before`;
   * returns how many. Stores without leftovers return 0.
   */
  purgeIncomplete(before: Date): Promise<number>;
}
