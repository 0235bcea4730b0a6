/**
 * Stray trainers: Python processes that hold a GPU (nvidia-smi lists them as compute apps) or
 * more than a tenth of the RAM and that no vigil run of this home owns: a notebook kernel left
 * holding 70 GiB of GPU memory, a killed run's DataLoader worker, yesterday's job started by
 * hand. They are reported, never ended unless asked (`--fix --kill-strays`). Pure.
 */

import { formatSize } from '../size.ts';
import { check, type CheckResult } from './check.ts';

export const COMPUTE_APPS_ARGS = ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'] as const;

/** pid → MiB held, summed over its GPUs (`[N/A]` in containers and under MIG: held, amount unknown → 0). Null: not that output. */
export function parseComputeApps(output: string): Map<number, number> | null {
  const held = new Map<number, number>();
  for (const line of output.split('\n').filter((l) => l.trim() !== '')) {
    // "No running processes found" comes on stdout from some drivers.
    if (/^no running/i.test(line.trim())) continue;
    const [pidCell, memoryCell] = line.split(',').map((cell) => cell.trim());
    if (!pidCell || !/^\d+$/.test(pidCell)) return null;
    const mib = memoryCell && /^\d+$/.test(memoryCell) ? Number(memoryCell) : 0;
    held.set(Number(pidCell), (held.get(Number(pidCell)) ?? 0) + mib);
  }
  return held;
}

export type PythonProcessFacts = {
  pid: number;
  command: string[];
  rssBytes: number;
  /** MiB on GPUs when nvidia-smi lists it as a compute app; null when it is not listed. */
  gpuMiB: number | null;
  /** Its VIGIL_RUN_ID tag, if vigil started it. */
  runId: string | null;
};

/** Runs of this home by id: whether the store records them running (live, or orphaned: the orphans check's) or ended. */
export type RunIndex = ReadonlyMap<string, 'running' | 'ended'>;

export type Stray = PythonProcessFacts & {
  /** The ended run of this home it is left over from (an escapee), if tagged. */
  leftOverFrom: string | null;
};

/** Above this share of the machine's RAM a Python process is a trainer (or a leak), not a script. */
const RAM_SHARE = 0.1;

export function findStrays(processes: readonly PythonProcessFacts[], ramTotalBytes: number, runs: RunIndex): Stray[] {
  const strays: Stray[] = [];
  for (const proc of processes) {
    const run = proc.runId === null ? undefined : runs.get(proc.runId);
    // A tag this home does not know is another VIGIL_HOME's run: not ours to judge.
    if (proc.runId !== null && run !== 'ended') continue;
    if (proc.gpuMiB === null && proc.rssBytes <= ramTotalBytes * RAM_SHARE) continue;
    strays.push({ ...proc, leftOverFrom: run === 'ended' ? proc.runId : null });
  }
  return strays;
}

/** What --kill-strays did to one stray, in words (`ended by SIGTERM`…); absent: nothing was done. */
export type StrayActions = ReadonlyMap<number, string>;

export type GpuHolders = 'listed' | 'no-nvidia-smi' | { error: string };

export function judgeStrays(strays: readonly Stray[], gpuHolders: GpuHolders, actions: StrayActions = new Map()): CheckResult[] {
  const seen =
    gpuHolders === 'listed'
      ? 'GPU holders from nvidia-smi'
      : gpuHolders === 'no-nvidia-smi'
        ? 'no nvidia-smi: RAM only'
        : `GPU holders unknown (${gpuHolders.error}): RAM only`;
  if (strays.length === 0)
    return [check('strays', 'ok', `no stray trainer: no Python process outside vigil's runs holds a GPU or > 10 % of RAM (${seen})`)];
  return strays.map((stray) => {
    const what = describeStray(stray);
    const done = actions.get(stray.pid);
    if (done !== undefined) return check('strays', /still alive/.test(done) ? 'fail' : 'ok', `${what}: ${done} (--fix --kill-strays)`);
    return check(
      'strays',
      'warn',
      what,
      `kill ${stray.pid} if nothing should be running there (vigil doctor --fix --kill-strays ends it: SIGTERM, then SIGKILL)`,
    );
  });
}

const COMMAND_CHARS = 80;

function describeStray(stray: Stray): string {
  const command = stray.command.join(' ');
  const shown = command.length > COMMAND_CHARS ? `${command.slice(0, COMMAND_CHARS - 1)}…` : command;
  const gpu = stray.gpuMiB === null ? '' : `, ${stray.gpuMiB} MiB on GPU`;
  const owner = stray.leftOverFrom === null ? 'belongs to no vigil run' : `left over from run ${stray.leftOverFrom}, which has ended`;
  return `pid ${stray.pid} (${shown || '?'}): ${formatSize(stray.rssBytes)} RAM${gpu}; ${owner}`;
}
