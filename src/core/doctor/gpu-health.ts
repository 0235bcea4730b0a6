/**
 * GPU health from `nvidia-smi --query-gpu=GPU_HEALTH_FIELDS --format=csv,noheader,nounits`:
 * model, driver, temperature, memory held, uncorrected ECC errors, retired pages pending, and
 * persistence mode. Pure: parsing and judging; running nvidia-smi is the caller's.
 */

import { check, type CheckResult } from './check.ts';

export const GPU_HEALTH_FIELDS = [
  'index',
  'name',
  'driver_version',
  'temperature.gpu',
  'memory.used',
  'memory.total',
  'ecc.errors.uncorrected.volatile.total',
  'retired_pages.pending',
  'persistence_mode',
] as const;

export type GpuHealth = {
  index: number;
  name: string;
  driver: string;
  temperatureC: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  uncorrectedEcc: number | null;
  retiredPagesPending: boolean | null;
  persistence: boolean | null;
};

/** A figure nvidia-smi cannot give on this board reads `[N/A]` or `[Not Supported]`. */
const numberOf = (cell: string | undefined): number | null => (cell !== undefined && /^\d+(?:\.\d+)?$/.test(cell) ? Number(cell) : null);
const flagOf = (cell: string | undefined, yes: string): boolean | null =>
  cell === undefined || cell.startsWith('[') ? null : cell.toLowerCase() === yes.toLowerCase();

export function parseGpuHealth(output: string): GpuHealth[] | null {
  const gpus: GpuHealth[] = [];
  for (const line of output.split('\n').filter((l) => l.trim() !== '')) {
    const cells = line.split(',').map((cell) => cell.trim());
    const index = numberOf(cells[0]);
    if (index === null || cells.length < GPU_HEALTH_FIELDS.length) return null;
    gpus.push({
      index,
      name: cells[1] as string,
      driver: cells[2] as string,
      temperatureC: numberOf(cells[3]),
      memoryUsedMiB: numberOf(cells[4]),
      memoryTotalMiB: numberOf(cells[5]),
      uncorrectedEcc: numberOf(cells[6]),
      retiredPagesPending: flagOf(cells[7], 'Yes'),
      persistence: flagOf(cells[8], 'Enabled'),
    });
  }
  return gpus;
}

const HOT_C = 85;

/** One line per problem GPU, or one ok line for all of them (GPUs held by processes of no run: the strays check). */
export function judgeGpus(gpus: readonly GpuHealth[]): CheckResult[] {
  if (gpus.length === 0) return [check('gpus', 'warn', 'nvidia-smi lists no GPU', 'check the driver: nvidia-smi -L')];
  const results: CheckResult[] = [];
  for (const gpu of gpus) {
    const name = `GPU ${gpu.index} (${gpu.name})`;
    if (gpu.uncorrectedEcc !== null && gpu.uncorrectedEcc > 0)
      results.push(
        check(
          'gpus',
          'fail',
          `${name}: ${gpu.uncorrectedEcc} uncorrected ECC error${gpu.uncorrectedEcc === 1 ? '' : 's'}`,
          `run on another GPU (CUDA_VISIBLE_DEVICES) and report it; nvidia-smi -q -d ECC,PAGE_RETIREMENT`,
        ),
      );
    if (gpu.retiredPagesPending)
      results.push(
        check('gpus', 'warn', `${name}: retired memory pages pending`, 'reset the GPU when idle (nvidia-smi -r -i N) or reboot'),
      );
    if (gpu.temperatureC !== null && gpu.temperatureC >= HOT_C)
      results.push(check('gpus', 'warn', `${name}: ${gpu.temperatureC} °C`, 'check cooling: a hot GPU throttles, then falls off the bus'));
  }
  if (results.length > 0) return results;
  const models = [...new Set(gpus.map((g) => g.name))].join(', ');
  const persistence = gpus.some((g) => g.persistence === false) ? ', persistence mode off' : '';
  return [check('gpus', 'ok', `${gpus.length} GPU${gpus.length === 1 ? '' : 's'} (${models}), driver ${gpus[0]?.driver}${persistence}`)];
}
