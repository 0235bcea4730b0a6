/**
 * What a restart costs: where attempt N+1 resumes from, and the progress between that checkpoint
 * and the end of attempt N (all of it when it starts fresh) — stored on attempt N as
 * `resumed_from`, `lost_steps`, `lost_seconds`, and said in words for the restart line.
 */

import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatDuration } from '../core/duration.ts';
import type { AttemptSummary } from '../core/restart/policy.ts';

export type RestartCost = {
  record: { resumedFrom: string | null; lostSteps: number | null; lostSeconds: number };
  /** "resuming from checkpoint-300 (lost 35 steps, 41s)" */
  words: string;
};

export function describeRestartCost(ended: AttemptSummary, from: { path: string; step: number | null } | null): RestartCost {
  const reached = ended.step;
  const lostSteps = reached === null ? null : Math.max(0, reached - (from?.step ?? 0));
  const lostSeconds = lostTime(ended, from?.path ?? null) / 1000;
  const steps = lostSteps === null ? 'no counted steps' : `${lostSteps} step${lostSteps === 1 ? '' : 's'}`;
  const start = from ? `resuming from ${basename(from.path)}` : 'starting fresh';
  return {
    record: { resumedFrom: from?.path ?? null, lostSteps, lostSeconds },
    words: `${start} (lost ${steps}, ${formatDuration(lostSeconds * 1000)})`,
  };
}

/** From the checkpoint's writing to the attempt's end (the whole attempt when it starts fresh). */
function lostTime(ended: AttemptSummary, checkpoint: string | null): number {
  const duration = ended.endedAt - ended.startedAt;
  if (checkpoint === null) return duration;
  try {
    return Math.min(duration, Math.max(0, ended.endedAt - statSync(checkpoint).mtimeMs));
  } catch {
    return duration;
  }
}
