/**
 * The machine's GPUs, for the daemon's dispatch: asked of nvidia-smi on every pass (their used
 * memory changes), or declared by the user (`--gpus-available 0,1`) where there is no nvidia-smi.
 */

import { execFile } from 'node:child_process';
import which from 'which';
import type { GpuInfo } from '../core/gpus/gpu-info.ts';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../core/gpus/parse-nvidia-smi.ts';

/** gpus null: none to hand out; problem says why when it is not simply that nvidia-smi is not installed. */
export type GpuDetection = { gpus: GpuInfo[]; problem: null } | { gpus: null; problem: string | null };

export const NVIDIA_SMI_TIMEOUT_MS = 5_000;

export async function detectGpus(env: NodeJS.ProcessEnv, timeoutMs = NVIDIA_SMI_TIMEOUT_MS): Promise<GpuDetection> {
  const nvidiaSmi = await which('nvidia-smi', { path: env.PATH ?? '', nothrow: true });
  if (!nvidiaSmi) return { gpus: null, problem: null };
  const run = await runNvidiaSmi(nvidiaSmi, env, timeoutMs);
  if ('problem' in run) return { gpus: null, problem: run.problem };
  const parsed = parseNvidiaSmi(run.stdout);
  if (!parsed.ok) return { gpus: null, problem: parsed.error };
  return parsed.gpus.length > 0 ? { gpus: parsed.gpus, problem: null } : { gpus: null, problem: 'nvidia-smi lists no GPU' };
}

/** `--gpus-available 0,1`: those indices, their memory unknown (so never taken for a stranger's). */
export function declaredGpus(ids: number[]): GpuInfo[] {
  return [...new Set(ids)].sort((a, b) => a - b).map((index) => ({ index, uuid: '', memoryTotalMiB: 0, memoryUsedMiB: 0 }));
}

function runNvidiaSmi(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ stdout: string } | { problem: string }> {
  const late = { problem: `nvidia-smi did not answer within ${timeoutMs / 1000} s` };
  return new Promise((resolve) => {
    // SIGKILL: a nvidia-smi stuck on a wedged driver may not heed SIGTERM. Even SIGKILL waits while
    // it sleeps uninterruptibly in the driver, and execFile answers only once it has exited: the
    // backstop answers anyway (the hang test cannot reach it: no process here sleeps so).
    const child = execFile(file, NVIDIA_SMI_ARGS, { env, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      clearTimeout(backstop);
      if (!error) return resolve({ stdout });
      if (error.killed) return resolve(late);
      const said = firstLine(stderr) ?? firstLine(stdout);
      const how =
        typeof error.code === 'number' ? `exit ${error.code}` : error.signal ? `killed by ${error.signal}` : (error.code ?? error.message);
      resolve({ problem: `nvidia-smi failed (${how})${said ? `: ${said}` : ''}` });
    });
    const backstop = setTimeout(() => {
      child.unref();
      resolve(late);
    }, timeoutMs + 1_000);
  });
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
