/**
 * Where uploaded originals and rendered pages live. A small interface so that S3 (or any
 * object store) can replace the local disk without touching the code that uses it: keys are
 * relative paths ("proofs/<document>/<revision>/source-1.pdf"), values are bytes.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';

export interface FileStore {
  /** Writes the whole value or nothing: a reader never sees half a file. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Throws when the key holds nothing. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Removes every key under the prefix ("proofs/doc_1/rev_2/"); nothing there is fine. */
  deletePrefix(prefix: string): Promise<void>;
  /** For large downloads; a store without streaming answers through get. */
  stream?(key: string): Readable;
}

const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\/?$/;

export function createLocalFileStore(rootDir: string): FileStore {
  const root = path.resolve(rootDir);
  // Keys come from our own ids, but a key that could climb out of the root is refused anyway.
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key) || key.split('/').includes('..')) throw new Error(`Unsafe file key "${key}"`);
    return path.join(root, key);
  };
  return {
    async put(key, bytes) {
      const target = pathOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, target);
    },
    get: (key) => readFile(pathOf(key)),
    async exists(key) {
      return stat(pathOf(key)).then(
        () => true,
        () => false,
      );
    },
    async deletePrefix(prefix) {
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
    stream: (key) => createReadStream(pathOf(key)),
  };
}

/** The store the configuration names: the local disk under FILES_DIR (an S3 store would be chosen here). */
export function openFileStore(config: { filesDir: string }): FileStore {
  return createLocalFileStore(config.filesDir);
}
