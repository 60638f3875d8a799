/**
 * The storage contract, run against the local disk (in a temporary folder) and the in-memory
 * store: random keys only (no path ever comes from outside), all-or-nothing puts, the size
 * limit, delete and list; and, for the disk, what is actually on it.
 */
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalDiskStorage,
  createMemoryStorage,
  type FileStorage,
  InvalidStorageKeyError,
  isStorageKey,
  newStorageKey,
  StoredFileNotFoundError,
  StoredFileTooLargeError,
} from './index.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'digicap-storage-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let folders = 0;
const diskRoot = () => {
  folders += 1;
  return path.join(scratch, `root-${String(folders)}`);
};

/** Every file under a folder, as paths relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath, e.name)))
    .sort();
}

/** A stream that gives some bytes and then fails, like a connection dropped mid-upload. */
function failingStream() {
  return new Readable({
    read() {
      this.push(Buffer.from('the first half of a file '));
      this.destroy(new Error('connection reset'));
    },
  });
}

const BAD_KEYS = [
  '../../../etc/passwd',
  '..',
  '',
  'evidence.pdf',
  '0123456789abcdef0123456789abcdeF',
  '0123456789abcdef0123456789abcde',
  '0123456789abcdef0123456789abcdef0',
  '01/3456789abcdef0123456789abcdef',
  '0123456789abcdef\u00000123456789abcde',
  '/tmp/0123456789abcdef0123456789ab',
];

describe.each([
  ['local disk', () => createLocalDiskStorage(diskRoot())],
  ['memory', () => createMemoryStorage()],
] as [string, () => FileStorage][])('%s storage', (_name, make) => {
  it('stores bytes or a stream under a new key and gives them back', async () => {
    const storage = make();
    const a = newStorageKey();
    const b = newStorageKey();
    expect(isStorageKey(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(await storage.put(a, Buffer.from('hello'))).toBe(5);
    expect(await storage.put(b, Readable.from([Buffer.from('str'), Buffer.from('eam')]))).toBe(6);
    expect(await text(await storage.get(a))).toBe('hello');
    expect(await text(await storage.get(b))).toBe('stream');
    expect(await storage.exists(a)).toBe(true);
    const listed = [];
    for await (const f of storage.list()) listed.push([f.key, f.size]);
    expect(listed.sort()).toEqual([a, b].sort().map((k) => [k, k === a ? 5 : 6]));
  });

  it('refuses every key it did not make, before touching anything', async () => {
    const storage = make();
    for (const key of BAD_KEYS) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(
        InvalidStorageKeyError,
      );
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
  });

  it('keeps nothing of a file over the size limit, from bytes or a stream', async () => {
    const storage = make();
    const key = newStorageKey();
    await expect(storage.put(key, Buffer.alloc(11), { maxBytes: 10 })).rejects.toBeInstanceOf(
      StoredFileTooLargeError,
    );
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    await expect(storage.put(key, stream, { maxBytes: 10 })).rejects.toBeInstanceOf(
      StoredFileTooLargeError,
    );
    expect(await storage.exists(key)).toBe(false);
    expect(await storage.put(key, Buffer.alloc(10), { maxBytes: 10 })).toBe(10);
  });

  it('keeps nothing of a stream that fails part way', async () => {
    const storage = make();
    const key = newStorageKey();
    await expect(storage.put(key, failingStream())).rejects.toThrow('connection reset');
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.get(key)).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });

  it('shows no half-written file while a put is in progress', async () => {
    const storage = make();
    const key = newStorageKey();
    const source = new PassThrough();
    const putting = storage.put(key, source);
    source.write(Buffer.from('half '));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await storage.exists(key)).toBe(false);
    source.end(Buffer.from('and the rest'));
    expect(await putting).toBe(17);
    expect(await text(await storage.get(key))).toBe('half and the rest');
  });

  it('deletes, and deleting again is harmless', async () => {
    const storage = make();
    const key = newStorageKey();
    await storage.put(key, Buffer.from('bye'));
    expect(await storage.delete(key)).toBe(true);
    expect(await storage.delete(key)).toBe(false);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.get(key)).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });
});

describe('local disk storage on disk', () => {
  it('needs an absolute folder', () => {
    expect(() => createLocalDiskStorage('data/files')).toThrow(/absolute/);
  });

  it('writes only <root>/<2 hex>/<key>, readable by the app alone, and leaves no temporary file', async () => {
    const root = diskRoot();
    const storage = createLocalDiskStorage(root);
    const key = newStorageKey();
    await storage.put(key, Buffer.from('%PDF-1.4 evidence'));
    expect(await filesUnder(root)).toEqual([path.join(key.slice(0, 2), key)]);
    expect((await stat(path.join(root, key.slice(0, 2), key))).mode & 0o777).toBe(0o600);
    expect(await filesUnder(scratch)).not.toContainEqual(expect.stringMatching(/etc|passwd/));
  });

  it('creates nothing on disk until something is stored', async () => {
    const root = diskRoot();
    const storage = createLocalDiskStorage(root);
    expect(await storage.exists(newStorageKey())).toBe(false);
    expect(await storage.delete(newStorageKey())).toBe(false);
    const listed = [];
    for await (const f of storage.list()) listed.push(f);
    expect(listed).toEqual([]);
    await expect(stat(root)).rejects.toThrow(/ENOENT/);
  });

  it('removes the temporary file of a failed or refused put', async () => {
    const root = diskRoot();
    const storage = createLocalDiskStorage(root);
    await storage.put(newStorageKey(), Buffer.from('kept'));
    await expect(storage.put(newStorageKey(), failingStream())).rejects.toThrow();
    await expect(
      storage.put(newStorageKey(), Readable.from([Buffer.alloc(64)]), { maxBytes: 8 }),
    ).rejects.toBeInstanceOf(StoredFileTooLargeError);
    const files = await filesUnder(root);
    expect(files).toHaveLength(1);
    expect(files.some((f) => f.includes('.incoming'))).toBe(false);
  });

  it('replaces a file whole', async () => {
    const storage = createLocalDiskStorage(diskRoot());
    const key = newStorageKey();
    await storage.put(key, Buffer.from('first version, rather long'));
    await storage.put(key, Buffer.from('second'));
    expect(await text(await storage.get(key))).toBe('second');
  });

  it('lists only stored files, not leftovers, and purges old leftovers of interrupted puts', async () => {
    const root = diskRoot();
    const storage = createLocalDiskStorage(root);
    const key = newStorageKey();
    await storage.put(key, Buffer.from('kept'));
    const incoming = path.join(root, '.incoming');
    const old = path.join(incoming, `${'a'.repeat(24)}.part`);
    const recent = path.join(incoming, `${'b'.repeat(24)}.part`);
    const stranger = path.join(incoming, 'not-ours.txt');
    for (const f of [old, recent, stranger]) await writeFile(f, 'partial');
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(old, dayAgo, dayAgo);
    await utimes(stranger, dayAgo, dayAgo);
    // A stray file in a shard folder is not a stored file either.
    await writeFile(path.join(root, key.slice(0, 2), 'notes.txt'), 'x');
    const listed = [];
    for await (const f of storage.list()) listed.push(f.key);
    expect(listed).toEqual([key]);
    expect(await storage.purgeIncomplete(new Date(Date.now() - 3_600_000))).toBe(1);
    expect((await readdir(incoming)).sort()).toEqual([path.basename(recent), 'not-ours.txt']);
  });
});
