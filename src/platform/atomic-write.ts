/**
 * Files written so that a reader, or the next vigil after a crash (SIGKILL, power loss), sees the
 * old contents, the new ones, or none — never a torn file: each to a temporary sibling, synced,
 * then all renamed over, then their directories synced (once each: sealing 1,000 checkpoints
 * costs one batch of syncs, not 1,000 rounds). A write that fails (a full disk) leaves no
 * temporary behind and renames nothing.
 */

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export type FileToWrite = { path: string; text: string; mode?: number };

export async function writeFileAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  await writeFilesAtomically([{ path, text, mode }]);
}

export async function writeFilesAtomically(files: readonly FileToWrite[]): Promise<void> {
  const written = await Promise.allSettled(files.map(writeSynced));
  const temporaries = written.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const failed = written.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [i, { path }] of files.entries()) await rename(temporaries[i] as string, path);
  } catch (error) {
    await Promise.all(temporaries.map((tmp) => rm(tmp, { force: true })));
    throw error;
  }
  // The renames themselves are durable once their directories are synced.
  for (const dir of new Set(files.map(({ path }) => dirname(path)))) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function writeSynced({ path, text, mode = 0o644 }: FileToWrite): Promise<string> {
  const tmp = `${path}.vigil-tmp-${randomBytes(4).toString('hex')}`;
  try {
    const file = await open(tmp, 'wx', mode);
    try {
      await file.writeFile(text);
      await file.datasync(); // the data, and the size that reaches it: before the rename makes it the file
    } finally {
      await file.close();
    }
    return tmp;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
