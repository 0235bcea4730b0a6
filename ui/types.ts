/** The shapes of /api (see the web API contract); only the fields the page reads. */

export type Loss = number | 'NaN' | 'Infinity' | null;

export type RunRow = {
  id: string;
  name: string | null;
  status: string;
  paused: boolean;
  pid: number | null;
  created_at: string;
  ended_at: string | null;
  age_ms: number;
  attempts: number;
  flags: string[];
  step: number | null;
  total: number | null;
  command: string[];
  epoch: number | null;
  loss: Loss;
  rate: number | null;
  eta_s: number | null;
  restarts: number;
  sparkline: number[];
  cause: string | null;
  /** The GPU indices its CUDA_VISIBLE_DEVICES names. */
  gpus?: number[] | null;
};

/** A GPU of the machine: its memory, the live run holding it, whether a queued job could have it. */
export type GpuRow = { index: number; memory_used_mib: number; memory_total_mib: number; run: string | null; free: boolean };

export type QueueRow = {
  id: string;
  name: string | null;
  state: string;
  priority: number;
  gpus: number | string | null;
  command: string[];
  wait_reason: string | null;
  created_at: string;
};

/** `total_runs`: how many there are (more than `runs` when the list was limited). */
export type RunsResponse = { now: string; total_runs?: number; runs: RunRow[]; queue: QueueRow[]; gpus?: GpuRow[] | null };

export type Frame = { file: string; line: number; function: string };

export type SeenBefore = {
  signature: string;
  count: number;
  first_seen: string | null;
  runs: string[];
  fixed_by: {
    run: string;
    run_name: string | null;
    params: { name: string; before: unknown; after: unknown }[];
    fingerprints: string[];
  } | null;
};

export type Diagnosis = {
  category: string;
  summary: string;
  retryable: boolean;
  confidence: number;
  fixes: string[];
  evidence: { line: number; text: string }[];
  where: Frame | null;
  process?: string | null;
  culprit?: string | null;
  exception: { type: string; message: string } | null;
  seen_before?: SeenBefore | null;
};

export type Attempt = {
  n: number;
  pid: number | null;
  exit_code: number | null;
  signal: string | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  peak_rss_bytes: number | null;
  log_path: string;
  stop_reason: string | null;
  diagnosis: Diagnosis | null;
  params: Record<string, unknown> | null;
  fingerprints?: { path: string; kind: string; bytes: number; files: number; sha256: string }[] | null;
  restart_reason: string | null;
  restart_delay_ms: number | null;
  resumed_from: string | null;
  lost_steps: number | null;
  lost_seconds: number | null;
};

export type Progress = {
  step: number | null;
  total: number | null;
  epoch: number | null;
  rate: number | null;
  metrics: Record<string, number | string | null>;
  updated_at: number | null;
};

export type RunDetail = {
  id: string;
  name: string | null;
  status: string;
  paused: boolean;
  command: string[];
  cwd: string;
  run_dir: string;
  created_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  exit_code: number | null;
  signal: string | null;
  live_pids: number[];
  progress: Progress | null;
  flags: string[];
  attempts: Attempt[];
  /** `kind` is in the contract but not (yet) sent by the server: optional. */
  timeline: { at: string; attempt: number | null; kind?: string; summary: string }[];
  checkpoints: { path: string; step: number | null; at: string; status: string }[];
  stacks: string | null;
};

export type Series = {
  total_points: number;
  attempts: { n: number; started_at: string; ended_at: string | null }[];
  points: { step: number[]; loss: (number | null)[]; at: number[]; attempt: number[] };
  markers: {
    restarts: { attempt: number | null; at: number; step: number | null }[];
    stalls: { attempt: number | null; from: number; to: number | null }[];
    nan: { attempt: number | null; at: number; step: number | null }[];
    checkpoints: { at: number; step: number | null }[];
  };
};

export type LogChunk = { attempt: number; size: number; offset: number; text: string };

export type ActionResult = { ok: boolean; message: string };
