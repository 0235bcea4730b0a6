/**
 * What the memory of failures is computed from: each failed attempt (its diagnosis and the
 * values it ran with) and an outline of each run (what makes it a job, how it ended). Plain
 * records, read from the runs and attempts tables (src/store/failure-memory.ts).
 */

import type { Fingerprint } from '../fingerprint.ts';
import type { SignatureInput } from './signature.ts';

export type ParamValues = Readonly<Record<string, number | string>>;

/** A failed attempt: an attempt with a diagnosis. */
export type FailureRecord = {
  runId: string;
  n: number;
  /** When it failed (the attempt's end; its start while that is unknown), ms since epoch. */
  at: number;
  diagnosis: SignatureInput;
  params: ParamValues | null;
  fingerprints: readonly Fingerprint[] | null;
};

export type RunOutline = {
  id: string;
  name: string | null;
  command: readonly string[];
  cwd: string;
  createdAt: number;
  endedAt: number | null;
  /** The stored status: 'succeeded', 'failed', 'stopped', 'running', … */
  status: string;
  /** The variables the run's queued job declared (`--env`, vigil.yaml `env:`); null for `vigil run` by hand. */
  declaredEnv: Readonly<Record<string, string>> | null;
  /** What its last attempt ran with: for a run that succeeded, the values that worked. */
  params: ParamValues | null;
  fingerprints: readonly Fingerprint[] | null;
};
