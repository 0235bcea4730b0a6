/**
 * sha256 of many files, off the event loop: a few worker threads (one file each at a time, so
 * files hash in parallel), started on first use and ended with the batch, so nothing keeps the
 * process alive.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { HashReply } from './hash-worker.ts';

/** More threads than this only fight over the disk. */
const MAX_THREADS = 4;

// Under tsx (tests, benches) the worker runs from its .ts source, and needs tsx loaded in its own
// thread (Node 20 does not pass the loader on); built, from dist's .js.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./hash-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
const startWorker = (): Worker =>
  FROM_SOURCE
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`, {
        eval: true,
      })
    : new Worker(WORKER_URL);

export type FileHash = { path: string; sha256: string; bytes: number };

/**
 * Below this size a file is hashed here, at once: starting a thread costs 20-40 ms, hashing
 * 1 MiB ~1.5 ms, so a checkpoint of small files (or a directory of 1,000 of them) must not
 * pay a thread per call (bench/restart.bench.ts measured 2 minutes for 1,000 such checkpoints).
 */
const INLINE_MAX_BYTES = 1 << 20;

export async function hashFiles(paths: readonly string[], threads = Math.min(MAX_THREADS, availableParallelism())): Promise<FileHash[]> {
  if (paths.length === 0) return [];
  const sizes = paths.map((path) => sizeOf(path));
  const small = sizes.every((size) => size !== null && size <= INLINE_MAX_BYTES);
  const total = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  if (small && total <= 4 * INLINE_MAX_BYTES) return paths.map((path) => ({ path, ...hashFileHere(path) }));
  const workers = Array.from({ length: Math.max(1, Math.min(threads, paths.length)) }, startWorker);
  const results: FileHash[] = new Array(paths.length);
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < paths.length) {
          const id = next++;
          const path = paths[id] as string;
          const reply = await ask(worker, id, path);
          if ('error' in reply) throw new Error(`cannot read ${path}: ${reply.error}`);
          results[id] = { path, sha256: reply.sha256, bytes: reply.bytes };
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function ask(worker: Worker, id: number, path: string): Promise<HashReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: HashReply) => {
      if (reply.id !== id) return;
      worker.off('message', onMessage).off('error', reject);
      resolve(reply);
    };
    worker.on('message', onMessage).once('error', reject);
    worker.postMessage({ id, path });
  });
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function hashFileHere(path: string): { sha256: string; bytes: number } {
  const data = readFileSync(path);
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}
