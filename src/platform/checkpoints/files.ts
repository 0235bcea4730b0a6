/** The files of a checkpoint (itself, or every file under it when it is a directory), with sizes and times. */

import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

export type CheckpointFile = { path: string; relative: string; bytes: number; mtimeMs: number };

/** Symbolic links are listed as themselves, never followed (a link out of the directory is not the checkpoint's). */
export async function checkpointFiles(checkpoint: string): Promise<CheckpointFile[]> {
  const top = await lstat(checkpoint);
  if (!top.isDirectory()) return [{ path: checkpoint, relative: '', bytes: top.size, mtimeMs: top.mtimeMs }];
  const files: CheckpointFile[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const stats = await lstat(path);
        files.push({ path, relative: relative(checkpoint, path), bytes: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  };
  await walk(checkpoint);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : 1));
}

/** When the checkpoint last changed: its newest file, or the directory itself (a file added or removed). */
export async function lastChangeMs(checkpoint: string, files: readonly CheckpointFile[]): Promise<number> {
  const own = (await lstat(checkpoint)).mtimeMs;
  return files.reduce((latest, file) => Math.max(latest, file.mtimeMs), own);
}
