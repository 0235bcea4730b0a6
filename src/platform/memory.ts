/**
 * How much memory a run's process tree really uses. Summing RSS counts every page shared after
 * fork once per process (a 4-worker DataLoader reads ~5x its size); PSS divides each shared
 * page among its sharers, so the sum over the tree counts it once. Where the run has a cgroup
 * with the memory controller, the kernel's own count (memory.peak, else memory.current) is
 * better still: it sees every process and catches peaks between samples. It also counts the
 * page cache the run filled, which PSS leaves out.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { residentBytes } from './proc.ts';

/** Which measure a figure is: named wherever the figure is shown or stored. */
export type MemoryMeasure = 'cgroup' | 'pss' | 'rss';

export type TreeMemory = { bytes: number; measure: MemoryMeasure };

/** smaps_rollup exists since Linux 4.14; without it, PSS would cost a walk of every mapping. */
const HAS_SMAPS_ROLLUP = existsSync('/proc/self/smaps_rollup');

export function measureTreeMemory(pids: readonly number[], cgroupPath: string | null): TreeMemory {
  const fromCgroup = cgroupPath ? cgroupMemoryBytes(cgroupPath) : null;
  if (fromCgroup !== null) return { bytes: fromCgroup, measure: 'cgroup' };
  if (HAS_SMAPS_ROLLUP) return { bytes: sum(pids, proportionalBytes), measure: 'pss' };
  return { bytes: sum(pids, residentBytes), measure: 'rss' };
}

/** memory.peak (Linux 5.19+: the high-water mark since the cgroup was made) or memory.current; null without the controller. */
function cgroupMemoryBytes(cgroupPath: string): number | null {
  for (const file of ['memory.peak', 'memory.current']) {
    try {
      const value = Number(readFileSync(join(cgroupPath, file), 'latin1'));
      if (Number.isFinite(value)) return value;
    } catch {
      // Not there: the memory controller is not enabled for this cgroup.
    }
  }
  return null;
}

/** The Pss: line of /proc/PID/smaps_rollup in bytes (0 when the process is gone). */
export function proportionalBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
    const at = rollup.indexOf('\nPss:');
    return at === -1 ? 0 : Number.parseInt(rollup.slice(at + 5).trimStart(), 10) * 1024;
  } catch {
    return 0;
  }
}

function sum(pids: readonly number[], bytesOf: (pid: number) => number): number {
  let total = 0;
  for (const pid of pids) total += bytesOf(pid);
  return total;
}
