/** A GPU as the daemon sees it when it decides what to start: which one, and how full it is. */

export type GpuInfo = {
  /** nvidia-smi's index: what CUDA_VISIBLE_DEVICES and a job's gpuIds name. */
  index: number;
  uuid: string;
  /** 0 when unknown (declared with --gpus-available, or nvidia-smi says [N/A]). */
  memoryTotalMiB: number;
  memoryUsedMiB: number;
};

/** Below this, memory on a GPU no vigil job holds is the driver's own (a few hundred MiB at most), not a job's. */
const IDLE_MEMORY_FLOOR_MIB = 256;

/**
 * Memory in use on a GPU that no vigil job holds, when it is more than an idle GPU shows: some
 * process vigil does not know (another user's job, a notebook) is using it. Null when it looks idle.
 */
export function foreignMemoryMiB(gpu: GpuInfo): number | null {
  const threshold = Math.max(IDLE_MEMORY_FLOOR_MIB, gpu.memoryTotalMiB / 100);
  return gpu.memoryUsedMiB > threshold ? gpu.memoryUsedMiB : null;
}
