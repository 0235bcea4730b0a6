/**
 * A cgroup v2 per run: every descendant lands in it whatever it does (setsid, double fork,
 * a scrubbed environment), and `cgroup.kill` ends them all at once. This is the guarantee
 * systemd and Slurm rely on. Where no writable cgroup v2 exists, callers fall back to the
 * environment-tag scan in proc.ts.
 */

import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cgroup v2 mount point (e.g. /sys/fs/cgroup or /sys/fs/cgroup/unified on hybrid systems). */
export function findCgroup2Mount(mountinfo = safeRead('/proc/self/mountinfo')): string | null {
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after || !after.startsWith('cgroup2 ')) continue;
    const mountPoint = before.split(' ')[4];
    if (mountPoint) return mountPoint.replace(/\\040/g, ' ');
  }
  return null;
}

/** Creates `<mount>/<our cgroup>/vigil/<runId>` if it can hold and kill processes; null otherwise. */
export function createRunCgroup(runId: string): string | null {
  const mount = findCgroup2Mount();
  if (!mount) return null;
  const own = /^0::(.*)$/m.exec(safeRead('/proc/self/cgroup'))?.[1] ?? '/';
  const path = join(mount, own, 'vigil', runId);
  try {
    mkdirSync(path, { recursive: true });
    if (!existsSync(join(path, 'cgroup.kill')) || !existsSync(join(path, 'cgroup.procs'))) {
      removeCgroup(path);
      return null;
    }
    return path;
  } catch {
    return null;
  }
}

export function cgroupPids(path: string): number[] {
  return safeRead(join(path, 'cgroup.procs')).split('\n').filter(Boolean).map(Number);
}

export function cgroupPopulated(path: string): boolean {
  return /^populated 1$/m.test(safeRead(join(path, 'cgroup.events')));
}

/** SIGKILLs every process in the cgroup, atomically with respect to forks. */
export function killCgroup(path: string): void {
  try {
    writeFileSync(join(path, 'cgroup.kill'), '1');
  } catch {
    // Already removed: nothing left to kill.
  }
}

/** Asks the cgroup v2 freezer to freeze (or thaw) the cgroup; false where it has none or it cannot be written. */
export function setCgroupFrozen(path: string, frozen: boolean): boolean {
  try {
    writeFileSync(join(path, 'cgroup.freeze'), frozen ? '1' : '0');
    return true;
  } catch {
    return false;
  }
}

/** Every process in it is frozen: the write only asks, `cgroup.events` says when it is done. */
export function cgroupFrozen(path: string): boolean {
  return /^frozen 1$/m.test(safeRead(join(path, 'cgroup.events')));
}

export function removeCgroup(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Still populated or already gone; a later vigil command retries.
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
