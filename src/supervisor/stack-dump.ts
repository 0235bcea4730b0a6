/**
 * Stacks of every Python process of a run, taken by the signal the sitecustomize registered
 * with faulthandler. A signal is only sent to a process that registered it and still catches
 * it (`SigCgt` in /proc/PID/status): to any other process it would be fatal.
 */

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { ProcessStack } from '../core/diagnosis/stack-dump.ts';
import type { Hello } from './python-events.ts';

const SETTLE_MS = 150;

export function catchesSignal(pid: number, signal: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(signal - 1))) !== 0n;
  } catch {
    return false;
  }
}

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

function readFrom(path: string, offset: number): string {
  const fd = openSync(path, 'r');
  try {
    const length = Math.min(sizeOf(path) - offset, 1 << 20);
    if (length <= 0) return '';
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Names the processes: main, rank N, DataLoader worker N (fork children in start order), or child PID. */
export function nameProcesses(pids: number[], hellos: Map<number, Hello>, texts: Map<number, string>): Map<number, string> {
  const names = new Map<number, string>();
  const alive = pids.filter((pid) => hellos.has(pid));
  const isRoot = (pid: number) => !alive.includes((hellos.get(pid) as Hello).ppid);
  const workersOf = new Map<number, number[]>();
  for (const pid of alive) {
    const hello = hellos.get(pid) as Hello;
    const rank = hello.rank !== null ? `rank ${hello.rank}` : null;
    if (isRoot(pid) || (rank && !alive.includes(hello.ppid))) names.set(pid, rank ?? 'main');
    else if (/_worker_loop|worker\.py/.test(texts.get(pid) ?? '')) workersOf.set(hello.ppid, [...(workersOf.get(hello.ppid) ?? []), pid]);
  }
  for (const [parent, workers] of workersOf) {
    const parentName = names.get(parent);
    workers
      .sort((a, b) => a - b)
      .forEach((pid, index) =>
        names.set(pid, `DataLoader worker ${index}${parentName && parentName !== 'main' ? ` of ${parentName}` : ''}`),
      );
  }
  for (const pid of alive) if (!names.has(pid)) names.set(pid, `child ${pid} (${(hellos.get(pid) as Hello).argv0})`);
  return names;
}

export async function dumpStacks(pids: number[], hellos: Map<number, Hello>, timeoutMs = 2000): Promise<ProcessStack[]> {
  const targets = pids.flatMap((pid) => {
    const hello = hellos.get(pid);
    if (!hello?.dump_signal || !catchesSignal(pid, hello.dump_signal)) return [];
    return [{ pid, hello, from: sizeOf(hello.fault_file) }];
  });
  for (const target of targets) {
    try {
      process.kill(target.pid, target.hello.dump_signal as number);
    } catch {
      // gone meanwhile
    }
  }
  // Wait until every dump has appeared and stopped growing.
  const deadline = Date.now() + timeoutMs;
  let sizes = targets.map((t) => sizeOf(t.hello.fault_file));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const now = targets.map((t) => sizeOf(t.hello.fault_file));
    const settled = now.every((size, i) => size > (targets[i] as (typeof targets)[number]).from && size === sizes[i]);
    sizes = now;
    if (settled || Date.now() > deadline) break;
  }
  const texts = new Map(targets.map((t) => [t.pid, readFrom(t.hello.fault_file, t.from)]));
  const names = nameProcesses(
    targets.map((t) => t.pid),
    hellos,
    texts,
  );
  return targets
    .filter((t) => (texts.get(t.pid) ?? '').trim() !== '')
    .map((t) => ({ process: names.get(t.pid) ?? `pid ${t.pid}`, pid: t.pid, text: texts.get(t.pid) as string }));
}
