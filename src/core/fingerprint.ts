/**
 * Fingerprints of the inputs a checkpoint was trained on (`--fingerprint PATH`: the dataset, the
 * config). On resume the checkpoint's fingerprints are compared with the current ones: resuming
 * an old checkpoint over new data "finishes" at once having done nothing.
 */

import { formatSize } from './size.ts';

export type Fingerprint = {
  /** The path as given (--fingerprint). */
  path: string;
  kind: 'file' | 'dir';
  /** Total bytes (a directory: of all its files). */
  bytes: number;
  /** 1 for a file; the number of files in a directory, at any depth. */
  files: number;
  /** A file: its content's hash; a directory: the hash of its sorted (relative path, size, content hash) list. */
  sha256: string;
};

export type FingerprintChange = { path: string; message: string };

export type OnFingerprintChange = 'refuse' | 'fresh' | 'ignore';

export type FingerprintDecision =
  { action: 'resume'; warning: string | null } | { action: 'fresh'; message: string } | { action: 'refuse'; message: string };

/**
 * What changed between the fingerprints stored with a checkpoint and those taken now. A path
 * fingerprinted on only one side (the option was added or dropped since) has nothing to compare.
 */
export function compareFingerprints(old: readonly Fingerprint[], current: readonly Fingerprint[]): FingerprintChange[] {
  const before = new Map(old.map((fingerprint) => [fingerprint.path, fingerprint]));
  const changes: FingerprintChange[] = [];
  for (const now of current) {
    const then = before.get(now.path);
    if (!then || then.sha256 === now.sha256) continue;
    changes.push({ path: now.path, message: `${now.path} ${describeChange(then, now)}` });
  }
  return changes;
}

function describeChange(then: Fingerprint, now: Fingerprint): string {
  if (then.kind !== now.kind) return `was a ${kindName(then.kind)}, is now a ${kindName(now.kind)}`;
  const how: string[] = [];
  if (now.kind === 'dir' && then.files !== now.files) how.push(`${then.files} → ${now.files} files`);
  if (then.bytes !== now.bytes) how.push(`size ${sizeChange(then.bytes, now.bytes)}`);
  if (how.length === 0) how.push(now.kind === 'dir' ? 'same files and size, different content' : 'same size, different content');
  return `changed: ${how.join(', ')} (sha256 ${then.sha256.slice(0, 12)} → ${now.sha256.slice(0, 12)})`;
}

function sizeChange(before: number, after: number): string {
  const delta = after - before;
  return `${formatSize(before)} → ${formatSize(after)} (${delta > 0 ? '+' : '-'}${formatSize(Math.abs(delta))})`;
}

const kindName = (kind: Fingerprint['kind']) => (kind === 'dir' ? 'directory' : 'file');

/** `--on-fingerprint-change`: what a resume from `checkpoint` does given the changes found. */
export function decideOnFingerprintChange(
  changes: readonly FingerprintChange[],
  mode: OnFingerprintChange,
  checkpoint: string,
): FingerprintDecision {
  if (changes.length === 0) return { action: 'resume', warning: null };
  const what = `${changes.map((change) => change.message).join('; ')}`;
  if (mode === 'ignore') return { action: 'resume', warning: `resuming from ${checkpoint} although its inputs changed: ${what}` };
  if (mode === 'fresh') return { action: 'fresh', message: `starting fresh, without ${checkpoint}: its inputs changed: ${what}` };
  return {
    action: 'refuse',
    message: `not resuming from ${checkpoint}: its inputs changed: ${what} (--on-fingerprint-change fresh starts over, ignore resumes anyway)`,
  };
}
