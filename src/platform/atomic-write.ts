/**
 * A file written so that a reader, or the next vigil after a crash (SIGKILL, power loss), sees the
 * old contents, the new ones, or none — never a torn file: a temporary sibling, synced, renamed
 * over, and the directory synced. A write that fails (a full disk) leaves no temporary behind.
 */

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${path}.vigil-tmp-${randomBytes(4).toString('hex')}`;
  try {
    const file = await open(tmp, 'wx', mode);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  // The rename itself is durable once the directory is synced.
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
