/**
 * The default file storage: files on the local disk, under one folder (STORAGE_DIR, or
 * DATA_DIR/files). With several app instances the folder must be a volume they all share.
 *
 *   <root>/<first two characters of the key>/<key>   a stored file (256 sub-folders, so no
 *                                                   folder grows too large to list)
 *   <root>/.incoming/<random>.part                   a put in progress
 *
 * Paths are only ever built from keys that passed `ensureStorageKey` (32 hex characters), never
 * from anything a person sent. A put is atomic: the bytes go to a temporary file in the same
 * file system, which is flushed to disk (fsync) and then renamed into place, and the folder is
 * flushed too, so after a crash a key holds either the whole file or nothing. A put that fails or
 * is refused (too large) removes its temporary file; one cut short by a crash leaves a `.part`
 * file that `purgeIncomplete` removes later.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  ensureStorageKey,
  type FileStorage,
  isStorageKey,
  type PutOptions,
  type StoredFileInfo,
  StoredFileNotFoundError,
  StoredFileTooLargeError,
} from './storage.js';

const INCOMING = '.incoming';
const SHARD = /^[0-9a-f]{2}$/;

const isMissing = (error: unknown) =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Flushes a folder's entries (the rename) to disk; some file systems cannot, which is fine. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Not supported here (e.g. some network or Windows file systems): the rename still stands.
  } finally {
    await handle?.close();
  }
}

async function writeAll(
  handle: FileHandle,
  content: Readable | Uint8Array,
  maxBytes: number,
): Promise<number> {
  if (content instanceof Uint8Array) {
    if (content.byteLength > maxBytes) throw new StoredFileTooLargeError(maxBytes);
    await handle.writeFile(content);
    return content.byteLength;
  }
  let size = 0;
  for await (const chunk of content) {
    const bytes: Uint8Array =
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    // Stop reading at once: the rest is never written.
    if (size > maxBytes) throw new StoredFileTooLargeError(maxBytes);
    await handle.write(bytes);
  }
  return size;
}

export function createLocalDiskStorage(root: string): FileStorage {
  if (!path.isAbsolute(root)) throw new Error('the storage folder must be an absolute path');
  const incoming = path.join(root, INCOMING);
  const folderOf = (key: string) => path.join(root, key.slice(0, 2));
  const pathOf = (key: string) => path.join(folderOf(ensureStorageKey(key)), key);

  return {
    kind: 'local-disk',

    async put(key: string, content: Readable | Uint8Array, options: PutOptions = {}) {
      const target = pathOf(key);
      const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
      await mkdir(incoming, { recursive: true });
      const temporary = path.join(incoming, `${randomBytes(12).toString('hex')}.part`);
      // 'wx': a new file only; 0o600: readable by the app's own user alone.
      const handle = await open(temporary, 'wx', 0o600);
      let closed = false;
      try {
        const size = await writeAll(handle, content, maxBytes);
        await handle.sync();
        await handle.close();
        closed = true;
        await mkdir(folderOf(key), { recursive: true });
        await rename(temporary, target);
        await syncFolder(folderOf(key));
        return size;
      } catch (error) {
        if (!closed) await handle.close().catch(() => undefined);
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
    },

    async get(key: string) {
      const file = pathOf(key);
      let handle: FileHandle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) throw new StoredFileNotFoundError();
        throw error;
      }
      return handle.createReadStream({ autoClose: true });
    },

    async delete(key: string) {
      try {
        await unlink(pathOf(key));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async exists(key: string) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async *list(): AsyncIterable<StoredFileInfo> {
      let shards: string[];
      try {
        shards = await readdir(root);
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const shard of shards.filter((name) => SHARD.test(name)).sort()) {
        let names: string[];
        try {
          names = await readdir(path.join(root, shard));
        } catch (error) {
          if (isMissing(error)) continue;
          throw error;
        }
        for (const key of names) {
          if (!isStorageKey(key) || !key.startsWith(shard)) continue;
          try {
            const info = await stat(path.join(root, shard, key));
            if (info.isFile()) yield { key, size: info.size, storedAt: info.mtime };
          } catch (error) {
            if (!isMissing(error)) throw error;
          }
        }
      }
    },

    async purgeIncomplete(before: Date) {
      let names: string[];
      try {
        names = await readdir(incoming);
      } catch (error) {
        if (isMissing(error)) return 0;
        throw error;
      }
      let removed = 0;
      for (const name of names) {
        if (!/^[0-9a-f]{24}\.part$/.test(name)) continue;
        const file = path.join(incoming, name);
        try {
          if ((await stat(file)).mtime < before) {
            await unlink(file);
            removed += 1;
          }
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
      return removed;
    },
  };
}
