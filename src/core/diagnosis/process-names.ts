/**
 * Names a job's Python processes the way a user thinks of them: "main", "rank 1",
 * "DataLoader worker 0 of rank 1", "decoder (pid 4242)" (a multiprocessing.Process), or
 * "child 4242 (prep.py)". Built from what each process told the supervisor about itself (its
 * hello and, for a DataLoader worker or a multiprocessing.Process, its role). Pure.
 */

import { DATALOADER_WORKER } from './traceback.ts';

export type PythonProcess = {
  pid: number;
  ppid: number;
  /** RANK from the environment, as torchrun and Slurm launchers set it. */
  rank: string | null;
  /** The DataLoader worker id, once the worker announced it. */
  worker: number | null;
  /** A multiprocessing.Process's name ("Process-2", or the one the program gave it). */
  name: string | null;
  argv0: string;
};

export type ProcessTable = ReadonlyMap<number, PythonProcess>;

const isRoot = (process: PythonProcess, table: ProcessTable) => !table.has(process.ppid);

export function processName(pid: number, table: ProcessTable): string {
  const process = table.get(pid);
  if (!process) return `pid ${pid}`;
  const parent = table.get(process.ppid);
  if (process.worker !== null) return workerName(process.worker, parent ? processName(parent.pid, table) : null);
  // A rank is the process the launcher started with that RANK; its children inherit the variable.
  if (process.rank !== null && parent?.rank !== process.rank) return `rank ${process.rank}`;
  if (isRoot(process, table)) {
    const roots = [...table.values()].filter((p) => isRoot(p, table));
    return roots.length === 1 ? 'main' : `${process.argv0} (pid ${pid})`;
  }
  const owner = process.rank !== null ? ` of rank ${process.rank}` : '';
  return process.name !== null ? `${process.name} (pid ${pid})${owner}` : `child ${pid} (${process.argv0})${owner}`;
}

/** "DataLoader worker 2", or "… of rank 1" when the process iterating it is not main. */
export function workerName(worker: number, parentName: string | null): string {
  return `DataLoader worker ${worker}${parentName && parentName !== 'main' ? ` of ${parentName}` : ''}`;
}

/**
 * The process an uncaught exception really came from. DataLoader re-raises a worker's
 * exception in the process that iterates ("Caught ValueError in DataLoader worker process 1"):
 * that worker is the one that failed.
 */
export function exceptionProcess(exception: { pid: number; traceback: string }, table: ProcessTable): string {
  const reraised = DATALOADER_WORKER.exec(exception.traceback);
  return reraised ? workerName(Number(reraised[1]), processName(exception.pid, table)) : processName(exception.pid, table);
}

/** An uncaught exception a Python process reported, with the process it is blamed on. */
export type ReportedException = { type: string; message: string; process: string };

/**
 * The process that reported this exception as uncaught, if one did. The log only names the
 * process when its lines are prefixed (`[rank1]:`) or DataLoader says so; a process's own
 * report always does.
 */
export function reporterOf(exception: { type: string; message: string }, reports: readonly ReportedException[]): string | null {
  const shortType = exception.type.slice(exception.type.lastIndexOf('.') + 1);
  const firstLine = (text: string) => (text.split('\n')[0] ?? '').trim();
  const wanted = firstLine(exception.message);
  return reports.findLast((r) => r.type === shortType && firstLine(r.message) === wanted)?.process ?? null;
}
