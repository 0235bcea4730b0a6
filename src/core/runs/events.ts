/**
 * What happens to a run, as stored in the `events` table (kind + JSON data) and, later, fanned out to
 * alerts and the dashboard. One typed union, so a consumer switches on `kind` and knows `data`.
 */

import type { DrillResult } from '../drill/judge.ts';
import type { Progress } from '../progress/progress-tracker.ts';
import type { StageSnapshot } from '../watchdog/stage-counters.ts';
import type { WatchdogSettings } from '../watchdog/settings.ts';

export type RunEvent =
  | { kind: 'progress'; data: Progress }
  | { kind: 'stages'; data: StageSnapshot[] }
  | { kind: 'phase'; data: { name: string } }
  | { kind: 'checkpoint'; data: { path: string; step: number | null } }
  | { kind: 'python_exception'; data: { pid: number; process: string | undefined; thread: string; type: string; message: string } }
  | { kind: 'nan_loss'; data: { step: number | null; metric: string; value: unknown; episode: number } }
  | { kind: 'stage_stall'; data: { upstream: string; downstream: string; message: string } }
  /** `ends_attempt`: the watchdog kills the attempt for it (`--on-hang kill`): the attempt's end will say the rest. */
  | { kind: 'hang' | 'startup_stall'; data: { summary: string; stacks: number; ends_attempt?: boolean } }
  | { kind: 'log_size_warning'; data: { bytes: number } }
  | { kind: 'log_truncated'; data: { at: number } }
  | { kind: 'stop_requested'; data: { timeout_ms: number; force?: boolean } }
  | { kind: 'hangup'; data: null }
  | { kind: 'disk_forecast'; data: { level: 'warn' | 'fail'; message: string } }
  | { kind: 'checkpoint_deleted'; data: { path: string; reason: string } }
  | { kind: 'resume_refused'; data: { reason: string } }
  | { kind: 'checkpoint_quarantined'; data: { from: string; to: string; reason: string; inPlace: boolean } }
  /** vigil itself was not running (SIGSTOP, Ctrl-Z, a machine asleep) for this long: the stall clock was moved on by it. */
  | { kind: 'supervisor_paused'; data: { ms: number } }
  /** `vigil pause`: every process of the run frozen (its cgroup) or stopped (SIGSTOP); the stall clock stands still until `resumed`. */
  | { kind: 'paused'; data: { method: 'cgroup' | 'signals'; pids: number } }
  | { kind: 'resumed'; data: { paused_ms: number } }
  | { kind: 'store_unavailable'; data: { cause: string; pending: number } }
  | { kind: 'stopped_orphan'; data: { killed: boolean; survivors: number[] } }
  | { kind: 'ended_unwatched'; data: null }
  /** What the run's watchdog holds the job to, recorded as the run starts (for `vigil adopt`). */
  | { kind: 'watch_settings'; data: WatchdogSettings }
  | { kind: 'outcome_recovered'; data: { from: string } }
  /** Under Slurm: the job this run is (src/core/slurm/environment.ts), its time limit and requeue count, as the run starts. */
  | { kind: 'slurm_job'; data: SlurmJobEvent }
  /** Slurm's warning signal (`--slurm-signal`, `--signal=B:USR1@N`): the job is asked to save and exit, as `vigil stop` asks. */
  | { kind: 'slurm_signal'; data: { signal: string } }
  /** After the save, vigil asked Slurm to requeue the job (`scontrol requeue`); `error` when it refused. */
  | { kind: 'slurm_requeue'; data: { job_id: string; error: string | null } }
  /** The ETA passed the time the allocation has left. */
  | { kind: 'slurm_time_short'; data: { eta_ms: number; time_left_ms: number; message: string } }
  /** `vigil drill` ran the job as this run: its verdict. */
  | { kind: 'drill'; data: DrillResult };

export type SlurmJobEvent = {
  job_id: string;
  array_job_id: string | null;
  array_task_id: string | null;
  node_list: string | null;
  num_nodes: number | null;
  restart_count: number;
  time_limit_ms: number | null;
  end_at: number | null;
  requeue: boolean | null;
};

export type RunEventKind = RunEvent['kind'];
