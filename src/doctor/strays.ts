/**
 * Stray trainers at the edge: the Python processes of this machine with their memory, GPU
 * holding (nvidia-smi's compute apps) and run tag; and ending one when asked (SIGTERM, then
 * SIGKILL), as `vigil stop` would end a run's process.
 */

import { COMPUTE_APPS_ARGS, type GpuHolders, parseComputeApps, type PythonProcessFacts } from '../core/doctor/strays.ts';
import {
  commandLine,
  isPythonProcess,
  isSameProcessAlive,
  listPids,
  parentPid,
  processStartTime,
  processState,
  residentBytes,
  runIdOf,
} from '../platform/proc.ts';
import { sendSignal, waitFor } from '../platform/run-processes.ts';
import { findNvidiaSmi, runProgram } from './probes.ts';

/** Within the check's own timeout: a hung nvidia-smi leaves the RAM half of the check standing. */
const COMPUTE_APPS_TIMEOUT_MS = 1_500;

export type PythonProcesses = { processes: (PythonProcessFacts & { startTime: string | null })[]; gpuHolders: GpuHolders };

export async function probePythonProcesses(env: NodeJS.ProcessEnv): Promise<PythonProcesses> {
  const { held, gpuHolders } = await gpuHoldings(env);
  // The doctor's own ancestry (a notebook kernel running `!vigil doctor`) and its children (the Python probe) are not strays.
  const exempt = new Set([process.pid, ...ancestors(process.pid)]);
  const processes: PythonProcesses['processes'] = [];
  for (const pid of listPids()) {
    if (exempt.has(pid) || parentPid(pid) === process.pid || !isPythonProcess(pid)) continue;
    processes.push({
      pid,
      command: commandLine(pid),
      rssBytes: residentBytes(pid),
      gpuMiB: held.get(pid) ?? null,
      runId: runIdOf(pid),
      startTime: processStartTime(pid),
    });
  }
  return { processes, gpuHolders };
}

async function gpuHoldings(env: NodeJS.ProcessEnv): Promise<{ held: Map<number, number>; gpuHolders: GpuHolders }> {
  const nvidiaSmi = await findNvidiaSmi(env);
  if (!nvidiaSmi) return { held: new Map(), gpuHolders: 'no-nvidia-smi' };
  try {
    const output = await runProgram(nvidiaSmi, [...COMPUTE_APPS_ARGS], env, COMPUTE_APPS_TIMEOUT_MS);
    const held = parseComputeApps(output);
    if (held === null) return { held: new Map(), gpuHolders: { error: `unexpected nvidia-smi output: ${output.split('\n')[0]}` } };
    return { held, gpuHolders: 'listed' };
  } catch (error) {
    return { held: new Map(), gpuHolders: { error: (error as Error).message } };
  }
}

function ancestors(pid: number): number[] {
  const found: number[] = [];
  for (let at = parentPid(pid); at !== null && at > 1 && !found.includes(at); at = parentPid(at)) found.push(at);
  return found;
}

/** Time a trainer gets to save and exit on SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 5_000;
const KILL_WAIT_MS = 2_000;

/** Ends one stray: SIGTERM, SIGKILL after the grace; says what happened. `startTime` guards against a reused pid. */
export async function endStray(pid: number, startTime: string | null): Promise<string> {
  const alive = () => isSameProcessAlive(pid, startTime);
  if (!alive()) return 'already gone';
  sendSignal(pid, 'SIGTERM');
  if (await waitFor(() => !alive(), TERM_GRACE_MS)) return 'ended by SIGTERM';
  sendSignal(pid, 'SIGKILL');
  if (await waitFor(() => !alive(), KILL_WAIT_MS)) return `ended by SIGKILL (SIGTERM ignored for ${TERM_GRACE_MS / 1000} s)`;
  return `still alive ${KILL_WAIT_MS / 1000} s after SIGKILL (state ${processState(pid) ?? '?'}: stuck in the kernel?)`;
}
