/**
 * Which entries of a checkpoint directory are checkpoints, and at which step, from their names:
 * Hugging Face `checkpoint-<step>/`, Lightning `*.ckpt` (`step=N` in the name; `last.ckpt` has
 * none), or a user's `--checkpoint-glob` whose step is the first integer of the name.
 */

import { globToRegExp } from './glob.ts';

export type CheckpointLayout = 'huggingface' | 'lightning' | 'glob';

export type NamedCheckpoint = { name: string; step: number | null; layout: CheckpointLayout };

/** Names vigil itself writes next to checkpoints: never taken for one. */
export const MANIFEST_SUFFIX = '.vigil-manifest.json';
export const QUARANTINE_SUFFIX = '.quarantined';
export const REASON_SUFFIX = '.quarantine-reason.txt';
/** The fingerprints of the job's inputs (`--fingerprint`) when the checkpoint was sealed, beside it. */
export const FINGERPRINTS_SUFFIX = '.vigil-fingerprints.json';

const HF = /^checkpoint-(\d+)$/;
const LIGHTNING_STEP = /(?:^|[^A-Za-z0-9])step=(\d+)/;

export function isVigilFile(name: string): boolean {
  return (
    name.endsWith(MANIFEST_SUFFIX) ||
    name.endsWith(FINGERPRINTS_SUFFIX) ||
    name.endsWith(QUARANTINE_SUFFIX) ||
    name.endsWith(REASON_SUFFIX) ||
    name.includes('.vigil-tmp-')
  );
}

/**
 * `name` is relative to the checkpoint directory (one segment, or more when a glob reaches into
 * sub-directories); `isDirectory` tells an HF checkpoint folder from a file of that name.
 * With a glob, only the glob decides; without one, the known layouts do.
 */
export function nameCheckpoint(name: string, isDirectory: boolean, glob?: string): NamedCheckpoint | null {
  if (isVigilFile(name)) return null;
  if (glob !== undefined) {
    if (!globToRegExp(glob).test(name)) return null;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const first = /\d+/.exec(base);
    return { name, step: first ? Number(first[0]) : null, layout: 'glob' };
  }
  const hf = HF.exec(name);
  if (hf && isDirectory) return { name, step: Number(hf[1]), layout: 'huggingface' };
  if (!isDirectory && name.endsWith('.ckpt')) {
    const step = LIGHTNING_STEP.exec(name);
    return { name, step: step ? Number(step[1]) : null, layout: 'lightning' };
  }
  return null;
}
