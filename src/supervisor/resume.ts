/**
 * Before every attempt — a restart, and the first attempt of a new run over the same checkpoint
 * directories (the user re-running the command next morning) — the newest checkpoint that still
 * verifies is chosen (checkpoints.ts), broken ones are quarantined, never deleted, and the choice
 * reaches the job as `{checkpoint}` in its command and VIGIL_RESUME_CHECKPOINT. After each
 * attempt, the complete checkpoints it wrote get their manifests.
 */

import { join } from 'node:path';
import { substituteCheckpoint } from '../core/checkpoints/placeholder.ts';
import type { PreparedRun } from './prepare.ts';
import { chooseResumeCheckpoint, sealCheckpoints } from './checkpoints.ts';
import type { RunWriter } from './store-writer.ts';

export type CheckpointSpec = { dirs: string[]; glob: string | null; settleMs: number };

export type Resume = {
  /** The command's words after the program, with {checkpoint} filled in (or removed with its option). */
  args: string[];
  env: Record<string, string>;
  from: { path: string; step: number | null; verified: boolean } | null;
};

export async function chooseResume(
  run: PreparedRun,
  n: number,
  args: string[],
  writer: RunWriter,
  warn: (message: string) => void,
): Promise<Resume> {
  const { dirs, glob, settleMs } = run.spec.checkpoints;
  if (dirs.length === 0) return { args: substituteCheckpoint(args, null), env: {}, from: null };
  const choice = await chooseResumeCheckpoint(dirs, {
    settleMs,
    writerEnded: true, // before an attempt starts, nothing of this run writes them
    ...(glob ? { glob } : {}),
    quarantineDir: join(run.dir, 'quarantine'),
  });
  for (const bad of choice.quarantined) {
    writer.addEvent({ runId: run.id, attempt: n, at: Date.now(), kind: 'checkpoint_quarantined', data: bad });
    warn(`checkpoint ${bad.from} is broken (${bad.reason}): quarantined as ${bad.to}, never deleted`);
  }
  const from = choice.chosen;
  if (from && !from.verified)
    warn(`resuming from ${from.path}: it has no manifest (written before vigil watched it); its format checks out`);
  return {
    args: substituteCheckpoint(args, from?.path ?? null),
    env: { VIGIL_RESUME_CHECKPOINT: from?.path ?? '' },
    from,
  };
}

/** Writes the manifests of the checkpoints an attempt left complete (`announced`: the helper's `vigil.checkpoint` paths). */
export async function sealAfterAttempt(run: PreparedRun, announced: ReadonlySet<string>, warn: (message: string) => void): Promise<void> {
  const { dirs, glob, settleMs } = run.spec.checkpoints;
  if (dirs.length === 0) return;
  try {
    await sealCheckpoints(dirs, { settleMs, writerEnded: true, announced, ...(glob ? { glob } : {}) });
  } catch (error) {
    warn(`could not write checkpoint manifests: ${(error as Error).message}`);
  }
}
