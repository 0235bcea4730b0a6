/**
 * The machine's GPUs as the dashboard shows them beside the queue: each with its memory, the live
 * run that holds it (by the run's CUDA_VISIBLE_DEVICES), and whether a queued job could have it —
 * free means no live run holds it and no stranger's process fills it (the daemon's own rule,
 * core/gpus/gpu-info.ts). Pure.
 */

import { foreignMemoryMiB, type GpuInfo } from '../gpus/gpu-info.ts';

export type GpuView = { index: number; memory_used_mib: number; memory_total_mib: number; run: string | null; free: boolean };

/** The GPU indices a run's CUDA_VISIBLE_DEVICES names (`0,2`); null when it names none or not by index. */
export function visibleGpus(trainingEnv: Readonly<Record<string, string>> | null | undefined): number[] | null {
  const value = trainingEnv?.CUDA_VISIBLE_DEVICES?.trim();
  if (!value) return null;
  const indices = value.split(',').map((part) => part.trim());
  return indices.every((part) => /^\d+$/.test(part)) ? indices.map(Number) : null;
}

export function gpuView(gpus: readonly GpuInfo[] | null, liveRuns: readonly { id: string; gpus: number[] | null }[]): GpuView[] | null {
  if (gpus === null) return null;
  const holder = new Map<number, string>();
  for (const run of liveRuns) for (const index of run.gpus ?? []) if (!holder.has(index)) holder.set(index, run.id);
  return gpus.map((gpu) => {
    const run = holder.get(gpu.index) ?? null;
    return {
      index: gpu.index,
      memory_used_mib: gpu.memoryUsedMiB,
      memory_total_mib: gpu.memoryTotalMiB,
      run,
      free: run === null && foreignMemoryMiB(gpu) === null,
    };
  });
}
