/** The job's newest checkpoint, found and verified as a resume would (src/supervisor/checkpoints.ts). */

import type { NewestCheckpoint } from '../core/doctor/checkpoints.ts';
import { checkpointFiles } from '../platform/checkpoints/files.ts';
import { findCheckpoints, judgeCheckpoint } from '../supervisor/checkpoints.ts';

export async function probeNewestCheckpoint(dirs: readonly string[], glob: string | null): Promise<NewestCheckpoint | null> {
  const [newest] = await findCheckpoints(dirs, glob ?? undefined);
  if (!newest) return null;
  return {
    path: newest.path,
    step: newest.step,
    bytes: await sizeOf(newest.path),
    verdict: await judgeCheckpoint(newest.path),
  };
}

/** The size of the newest checkpoint in `dirs` (what the next save will take again); null when there is none. */
export async function newestCheckpointBytes(dirs: readonly string[], glob: string | null): Promise<number | null> {
  const [newest] = await findCheckpoints(dirs, glob ?? undefined);
  return newest ? sizeOf(newest.path) : null;
}

async function sizeOf(checkpoint: string): Promise<number> {
  return (await checkpointFiles(checkpoint).catch(() => [])).reduce((sum, file) => sum + file.bytes, 0);
}
