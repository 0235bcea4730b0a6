/**
 * A checkpoint as vigil knows it. Its status moves one way only:
 *
 *   pending ──(complete and format whole: manifest written)──▶ verified
 *   pending | verified ──(format broken, or files differ from the manifest)──▶ corrupt
 *   corrupt ──(moved aside at resume time, never deleted)──▶ quarantined
 *
 * `pending` also covers a checkpoint with no manifest (written before vigil watched its directory):
 * it can still be resumed from when its format check passes, and is reported as unverified.
 */

export type CheckpointStatus = 'pending' | 'verified' | 'corrupt' | 'quarantined';

export type CheckpointRecord = {
  path: string;
  /** Training step, from the name (null when the name carries none, e.g. Lightning's last.ckpt). */
  step: number | null;
  status: CheckpointStatus;
  bytes: number;
  /** Epoch ms of its newest file's modification (its age). */
  modified_at: number;
  /** Epoch ms of the last successful verification (manifest written or re-hashed), null if never. */
  verified_at: number | null;
  /** Why it is not verified (corrupt, quarantined, or pending without a manifest); null when verified. */
  reason: string | null;
};

/** One file of a checkpoint, as its integrity manifest records it (path relative to the checkpoint). */
export type ManifestEntry = { path: string; bytes: number; sha256: string };

export type Manifest = {
  version: 1;
  checkpoint: string;
  step: number | null;
  created_at: number;
  files: ManifestEntry[];
};
