/**
 * The machine's GPUs for the dashboard, asked of nvidia-smi at most every few seconds and never in
 * a request's way: a listing is answered with the last answer while a fresh one is asked for.
 */

import type { GpuInfo } from '../core/gpus/gpu-info.ts';
import { detectGpus } from '../platform/gpus.ts';

const FRESH_MS = 5000;

export class GpuWatch {
  #gpus: GpuInfo[] | null = null;
  #askedAt = Number.NEGATIVE_INFINITY;
  #asking = false;

  /** The last answer (null: none yet, or no nvidia-smi); asks again in the background when it is old. */
  current(now: number): GpuInfo[] | null {
    if (!this.#asking && now - this.#askedAt >= FRESH_MS) {
      this.#asking = true;
      this.#askedAt = now;
      void detectGpus(process.env)
        .then((detected) => (this.#gpus = detected.gpus))
        .catch(() => (this.#gpus = null))
        .finally(() => (this.#asking = false));
    }
    return this.#gpus;
  }
}
