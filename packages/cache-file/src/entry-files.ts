import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageError, type CachedValue } from '@llm/core';

/** What an entry file holds. `expiresAt` (epoch ms, or null for no expiry) comes first so a short read finds it. */
export interface EntryFile {
  expiresAt: number | null;
  key: string;
  value: CachedValue;
}

/** An entry file's name: the SHA-256 hex of the key. */
export const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;
const SHARD_NAME = /^[0-9a-f]{2}$/;
const TEMP_NAME = /^\..+\.tmp$/;
const HEADER = /^\{"expiresAt":(null|\d+),"key":/;
const HEADER_BYTES = 40;

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether an fs error says the file or folder is not there. */
export function isMissing(error: unknown): boolean {
  return codeOf(error) === 'ENOENT';
}

/** Wraps an fs failure in a StorageError that names the path and what to check. */
export function storageFailure(action: string, path: string, error: unknown): StorageError {
  const reason = (error as Error | undefined)?.message ?? String(error);
  return new StorageError(`FileCache could not ${action} ${path}: ${reason}. Check that the cache folder is writable and not full.`, { cause: error });
}

/** Serializes an entry with `expiresAt` first (what {@link readExpiry} relies on). */
export function formatEntry(expiresAt: number | null, key: string, serializedValue: string): string {
  return `{"expiresAt":${expiresAt === null ? 'null' : String(expiresAt)},"key":${JSON.stringify(key)},"value":${serializedValue}}`;
}

/** Parses an entry file; `undefined` when it is corrupt or truncated. */
export function parseEntry(text: string): EntryFile | undefined {
  try {
    const entry = JSON.parse(text) as Partial<EntryFile> | null;
    if (!entry || typeof entry.key !== 'string') return undefined;
    if (entry.expiresAt !== null && typeof entry.expiresAt !== 'number') return undefined;
    if (typeof entry.value !== 'object' || entry.value === null || Array.isArray(entry.value)) return undefined;
    return entry as EntryFile;
  } catch {
    return undefined;
  }
}

/** Whether an entry with this expiry is still live at `now`. */
export function isLive(expiresAt: number | null, now: number): boolean {
  return expiresAt === null || expiresAt > now;
}

/**
 * Writes `content` to a unique temp file in the target's folder, then renames it over the target: readers see the
 * old file or the new one, never a part. The temp file is removed when anything fails.
 */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${randomUUID()}.${process.pid}.tmp`);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(temp, content, { flag: 'wx' });
      await rename(temp, path);
      return;
    } catch (error) {
      // Best effort: the write's own error is the one worth reporting.
      await unlink(temp).catch(() => undefined);
      // Another process may remove an emptied shard folder between mkdir and rename: try once more.
      if (isMissing(error) && attempt === 0) continue;
      throw storageFailure('write', path, error);
    }
  }
}

/** Removes a file; true when it was there. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw storageFailure('remove', path, error);
  }
}

async function listNames(folder: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => pattern.test(name));
  } catch (error) {
    if (isMissing(error)) return [];
    throw storageFailure('list', folder, error);
  }
}

/** The entry files and leftover temp files under `root/ab/cd/`. */
export async function listFiles(root: string): Promise<{ entries: string[]; temps: string[] }> {
  const entries: string[] = [];
  const temps: string[] = [];
  for (const first of await listNames(root, SHARD_NAME)) {
    for (const second of await listNames(join(root, first), SHARD_NAME)) {
      const folder = join(root, first, second);
      for (const name of await listNames(folder, /./)) {
        if (ENTRY_NAME.test(name)) entries.push(join(folder, name));
        else if (TEMP_NAME.test(name)) temps.push(join(folder, name));
      }
    }
  }
  return { entries, temps };
}

/**
 * Reads only the head of an entry file: its expiry and size. `undefined` when the file is gone; `expiresAt` is
 * `'corrupt'` when the head is not an entry's.
 */
export async function readExpiry(path: string): Promise<{ expiresAt: number | null | 'corrupt'; bytes: number } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    const { size } = await handle.stat();
    const match = HEADER.exec(buffer.toString('utf8', 0, bytesRead));
    if (!match) return { expiresAt: 'corrupt', bytes: size };
    return { expiresAt: match[1] === 'null' ? null : Number(match[1]), bytes: size };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw storageFailure('read', path, error);
  } finally {
    await handle?.close();
  }
}

/** Removes temp files older than `maxAgeMs`: what a writer that crashed between write and rename left behind. */
export async function removeStaleTemps(temps: string[], maxAgeMs: number, now: number): Promise<void> {
  for (const temp of temps) {
    try {
      if (now - (await stat(temp)).mtimeMs > maxAgeMs) await removeFile(temp);
    } catch (error) {
      if (!isMissing(error)) throw storageFailure('remove', temp, error);
    }
  }
}

/** Runs `task` over `items`, `width` at a time. */
export async function forEachLimited<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(task));
  }
}
