/** Facts about processes, read from /proc. Every read tolerates the process vanishing mid-way. */

import { readdirSync, readFileSync } from 'node:fs';

export function listPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const code = entry.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(entry));
  }
  return pids;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks): with the pid it names one process for good. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** True when `pid` is alive and is still the process that started at `startTime`. */
export function isSameProcessAlive(pid: number, startTime: string | null): boolean {
  const current = processStartTime(pid);
  if (current === null || isZombie(pid)) return false;
  return startTime === null || current === startTime;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return true;
  }
}

/** Resident set size in bytes (0 when gone). */
export function residentBytes(pid: number): number {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'latin1');
    return Number(statm.split(' ')[1]) * PAGE_SIZE;
  } catch {
    return 0;
  }
}

const PAGE_SIZE = 4096;

/**
 * Every live process whose environment carries `VIGIL_RUN_ID=<runId>`: the tag survives
 * setsid() and re-parenting, so this finds processes that left the job's process group.
 * Zombies have an empty environ and are not counted (they are already dead).
 */
export function findTaggedProcesses(runId: string, excludePid = process.pid): number[] {
  const needle = Buffer.from(`VIGIL_RUN_ID=${runId}\0`);
  const found: number[] = [];
  for (const pid of listPids()) {
    if (pid === excludePid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    const at = environ.indexOf(needle);
    if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(pid);
  }
  return found;
}

/** Field 5 of /proc/PID/stat: the process group, or null when the process is gone. */
export function processGroupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
