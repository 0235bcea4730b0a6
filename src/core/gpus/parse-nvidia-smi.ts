/**
 * Reads `nvidia-smi --query-gpu=index,uuid,memory.total,memory.used --format=csv` (NVIDIA_SMI_ARGS):
 *
 *   index, uuid, memory.total [MiB], memory.used [MiB]
 *   0, GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1, 81559 MiB, 412 MiB
 *
 * and its `noheader` / `nounits` variants (`0, GPU-…, 81559, 412`). With a header the columns are
 * found by name, so their order does not matter; without one they are taken in the query's order.
 * A memory figure nvidia-smi cannot give (`[N/A]`, `[Not Supported]`: unified-memory boards, some
 * vGPU and MIG setups) reads as 0: vigil cannot account for it, and must not refuse the GPU for it.
 */

import type { GpuInfo } from './gpu-info.ts';

const FIELDS = ['index', 'uuid', 'memory.total', 'memory.used'] as const;

export const NVIDIA_SMI_ARGS = [`--query-gpu=${FIELDS.join(',')}`, '--format=csv'];

export type NvidiaSmiParse = { ok: true; gpus: GpuInfo[] } | { ok: false; error: string };

export function parseNvidiaSmi(output: string): NvidiaSmiParse {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const header = lines[0] !== undefined && /^[a-z]/i.test(lines[0]) ? splitRow(lines[0]).map(columnName) : null;
  const columns = FIELDS.map((field) => (header ? header.indexOf(field) : FIELDS.indexOf(field)));
  const missing = FIELDS.filter((_, i) => columns[i] === -1);
  if (missing.length > 0) return { ok: false, error: `nvidia-smi's header lacks ${missing.join(', ')}: ${lines[0]}` };
  const gpus: GpuInfo[] = [];
  for (const line of header ? lines.slice(1) : lines) {
    const cells = splitRow(line);
    const [index, uuid, total, used] = columns.map((column) => cells[column]);
    const gpu = index !== undefined && /^\d+$/.test(index) && uuid !== undefined ? { index: Number(index), uuid } : null;
    const memoryTotalMiB = mebibytes(total);
    const memoryUsedMiB = mebibytes(used);
    if (!gpu || memoryTotalMiB === null || memoryUsedMiB === null) return { ok: false, error: `unexpected line from nvidia-smi: ${line}` };
    gpus.push({ ...gpu, memoryTotalMiB, memoryUsedMiB });
  }
  return { ok: true, gpus: gpus.sort((a, b) => a.index - b.index) };
}

const splitRow = (line: string) => line.split(',').map((cell) => cell.trim());

/** "memory.total [MiB]" → "memory.total". */
const columnName = (cell: string) => cell.replace(/\s*\[[^\]]*\]$/, '').toLowerCase();

/** "81559 MiB" or "81559" → 81559; "[N/A]" and the like → 0 (unknown); anything else → null. */
function mebibytes(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  if (/^\[.*\]$/.test(cell)) return 0;
  const match = /^(\d+(?:\.\d+)?)(?:\s*MiB)?$/.exec(cell);
  return match ? Number(match[1]) : null;
}
