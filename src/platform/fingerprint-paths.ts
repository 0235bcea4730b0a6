/**
 * Takes the fingerprints of `--fingerprint` paths (files or directories), once per attempt. A
 * dataset is large and mostly unchanged between attempts, so each file's hash is cached by
 * (device, inode, size, mtime) in a small JSON file: a restart re-reads only what changed.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Fingerprint } from '../core/fingerprint.ts';
import { ExitCode, VigilError } from '../errors.ts';

export const FINGERPRINT_CACHE_FILE = 'fingerprint-cache.json';

type CachedHash = { dev: string; ino: string; size: string; mtimeNs: string; sha256: string };
type Cache = Record<string, CachedHash>;
type FileHash = { path: string; size: number; sha256: string };

/** Files hashed at once: enough to keep a disk busy, few enough not to thrash it. */
const PARALLEL_FILES = 4;
const CHUNK_BYTES = 1024 * 1024;
/**
 * A file modified this recently may change again within the same mtime tick without its size
 * changing ("racy git"): its hash is used but not cached.
 */
const RACY_MS = 2000;

export async function fingerprintPaths(paths: readonly string[], options: { cwd: string; cacheDir: string }): Promise<Fingerprint[]> {
  const cachePath = join(options.cacheDir, FINGERPRINT_CACHE_FILE);
  const cache = await readCache(cachePath);
  const fingerprints: Fingerprint[] = [];
  for (const path of paths) fingerprints.push(await fingerprintPath(path, resolve(options.cwd, path), cache));
  await writeCache(cachePath, cache);
  return fingerprints;
}

async function fingerprintPath(given: string, absolute: string, cache: Cache): Promise<Fingerprint> {
  const stats = await statOrExplain(given, absolute);
  if (stats.isFile()) {
    const [file] = await hashFiles([absolute], cache);
    return { path: given, kind: 'file', bytes: Number(stats.size), files: 1, sha256: (file as FileHash).sha256 };
  }
  if (!stats.isDirectory()) throw new VigilError(`--fingerprint ${given}: not a file or a directory`, ExitCode.usage);
  const files = await hashFiles(await listFiles(absolute), cache);
  const digest = createHash('sha256');
  for (const file of files) digest.update(`${relative(absolute, file.path)}\0${file.size}\0${file.sha256}\n`);
  return {
    path: given,
    kind: 'dir',
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    files: files.length,
    sha256: digest.digest('hex'),
  };
}

async function statOrExplain(given: string, absolute: string) {
  try {
    return await stat(absolute, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new VigilError(`--fingerprint ${given}: ${why}`, ExitCode.usage, { cause: error });
  }
}

/** Every regular file under a directory, sorted, following links but never round a cycle. */
async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const seenDirs = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const stats = await stat(dir, { bigint: true });
    const id = `${stats.dev}:${stats.ino}`;
    if (seenDirs.has(id)) return;
    seenDirs.add(id);
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const entry = await stat(path).catch(() => null); // a dangling link holds no data
      if (entry?.isDirectory()) await walk(path);
      else if (entry?.isFile()) files.push(path); // never a FIFO or a device: reading one could block forever
    }
  };
  await walk(root);
  return files;
}

/** Hashes of the files, in their order, from the cache where size, mtime and inode still match. */
async function hashFiles(paths: readonly string[], cache: Cache): Promise<FileHash[]> {
  const results: FileHash[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < paths.length; index = next++) results[index] = await hashFile(paths[index] as string, cache);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, paths.length) }, worker));
  return results;
}

async function hashFile(path: string, cache: Cache): Promise<FileHash> {
  const stats = await stat(path, { bigint: true });
  const key: Omit<CachedHash, 'sha256'> = {
    dev: String(stats.dev),
    ino: String(stats.ino),
    size: String(stats.size),
    mtimeNs: String(stats.mtimeNs),
  };
  const cached = cache[path];
  if (
    cached &&
    cached.dev === key.dev &&
    cached.ino === key.ino &&
    cached.size === key.size &&
    cached.mtimeNs === key.mtimeNs &&
    typeof cached.sha256 === 'string'
  )
    return { path, size: Number(stats.size), sha256: cached.sha256 };
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) digest.update(chunk as Buffer);
  const sha256 = digest.digest('hex');
  if (Number(stats.mtimeMs) < Date.now() - RACY_MS) cache[path] = { ...key, sha256 };
  else delete cache[path];
  return { path, size: Number(stats.size), sha256 };
}

/** A missing or unreadable cache is an empty one: it only saves time. */
async function readCache(path: string): Promise<Cache> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Cache) : {};
  } catch {
    return {};
  }
}

/** Atomically (temp file + rename): a concurrent reader sees the old cache or the new, never half. */
async function writeCache(path: string, cache: Cache): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(temporary, JSON.stringify(cache));
    await rename(temporary, path);
  } catch {
    // Not being able to cache costs time on the next attempt, nothing else.
  }
}
