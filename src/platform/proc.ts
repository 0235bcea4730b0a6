/** Facts about processes, read from /proc. Every read tolerates the process vanishing mid-way. */

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants as osConstants } from 'node:os';

export function listPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const code = entry.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(entry));
  }
  return pids;
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The processes whose parent is `pid` (a DataLoader's workers under its main process). */
export function childrenOf(pid: number): number[] {
  return listPids().filter((child) => statFields(child)?.[1] === String(pid));
}

/** Field 22 of /proc/PID/stat (start time in clock ticks): with the pid it names one process for good. */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** The kernel's flag (field 9 of /proc/PID/stat) of a process that has begun exiting: it will act on no signal. */
const PF_EXITING = 0x4;

/**
 * True when `pid` is alive and is still the process that started at `startTime`. A zombie is not,
 * nor a process that has begun to exit: its state stays R while the kernel frees its memory (a
 * large job's teardown takes milliseconds), and a stop signalled then would be recorded as having
 * stopped a job that ended on its own.
 */
export function isSameProcessAlive(pid: number, startTime: string | null): boolean {
  const fields = statFields(pid);
  if (!fields || fields[0] === 'Z' || fields[0] === 'X' || (Number(fields[6]) & PF_EXITING) !== 0) return false;
  return startTime === null || fields[19] === startTime;
}

/**
 * What a process does with a signal, from /proc/PID/status (SigCgt, SigIgn, SigBlk): `default` (for SIGTERM, SIGINT and
 * SIGHUP: it dies of it), `caught` (a handler runs), `ignored`, `blocked` (held pending); null when the process is gone.
 */
export function signalDisposition(pid: number, signal: NodeJS.Signals): 'default' | 'caught' | 'ignored' | 'blocked' | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const bit = 1n << BigInt(osConstants.signals[signal] - 1);
  const mask = (name: string) => BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`);
  if ((mask('SigCgt') & bit) !== 0n) return 'caught';
  if ((mask('SigIgn') & bit) !== 0n) return 'ignored';
  // Blocked (sigprocmask): it stays pending, and the process may handle it its own way (sigwait) before it exits.
  if ((mask('SigBlk') & bit) !== 0n) return 'blocked';
  return 'default';
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

/** Field 3 of /proc/PID/stat: R, S, D, T (stopped), Z …; null when the process is gone. */
export function processState(pid: number): string | null {
  return statFields(pid)?.[0] ?? null;
}

/** Field 5 of /proc/PID/stat: the process group, or null when the process is gone. */
export function processGroupOf(pid: number): number | null {
  const value = Number(statFields(pid)?.[2]);
  return Number.isFinite(value) ? value : null;
}

/** The command line's words (empty when gone, or for a kernel thread). */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

/** A Python interpreter, by its executable's name (python, python3, python3.11, python3.11-dbg…). */
export function isPythonProcess(pid: number): boolean {
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    exe = commandLine(pid)[0] ?? '';
  }
  return /^python[\d.]*(?:-dbg)?$/.test(exe.slice(exe.lastIndexOf('/') + 1));
}

/** Field 4 of /proc/PID/stat: the parent's pid, or null when the process is gone. */
export function parentPid(pid: number): number | null {
  const value = Number(statFields(pid)?.[1]);
  return Number.isFinite(value) ? value : null;
}

/** The VIGIL_RUN_ID tag in the process's environment: the run that started it (null: none, or unreadable). */
export function runIdOf(pid: number): string | null {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
  const entry = environ.split('\0').find((e) => e.startsWith('VIGIL_RUN_ID='));
  return entry === undefined ? null : entry.slice('VIGIL_RUN_ID='.length);
}
