/**
 * Stacks of every Python process of a run, taken by the signal the sitecustomize registered
 * with faulthandler. A signal is only sent to a process that registered it and still catches
 * it (`SigCgt` in /proc/PID/status): to any other process it would be fatal. The Python
 * processes left over are read by py-spy when it is installed. A process stopped by a signal
 * can answer neither: it is named as stopped instead of waited for.
 */

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { ProcessStack } from '../core/diagnosis/stack-dump.ts';
import type { StoppedProcess } from '../core/watchdog/hang-diagnosis.ts';
import { processName } from '../core/diagnosis/process-names.ts';
import { commandLine, isPythonProcess, processState } from '../platform/proc.ts';
import type { Hello, PythonRegistry } from './python-events.ts';
import { findPySpy, pySpyStacks } from './py-spy.ts';

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

export async function dumpStacks(
  allPids: number[],
  registry: PythonRegistry,
  timeoutMs = 2000,
): Promise<{ stacks: ProcessStack[]; stopped: StoppedProcess[] }> {
  const name = (pid: number) => (registry.processes.has(pid) ? processName(pid, registry.processes) : `${programOf(pid)} (pid ${pid})`);
  const stopped = allPids.filter((pid) => processState(pid) === 'T');
  const pids = allPids.filter((pid) => !stopped.includes(pid));
  const targets = pids.flatMap((pid) => {
    const hello = registry.hellos.get(pid);
    if (!hello?.dump_signal || !catchesSignal(pid, hello.dump_signal)) return [];
    return [{ pid, hello, from: sizeOf(hello.fault_file) }];
  });
  const uncovered = pids.filter((pid) => !targets.some((t) => t.pid === pid) && isPythonProcess(pid));
  const pySpy = uncovered.length > 0 ? findPySpy() : null;
  const [signalled, spied] = await Promise.all([
    signalDumps(targets, timeoutMs),
    pySpy ? pySpyStacks(pySpy, uncovered, timeoutMs) : Promise.resolve([]),
  ]);
  const stacks = [...signalled, ...spied]
    .filter((dump) => dump.text.trim() !== '')
    .sort((a, b) => a.pid - b.pid)
    .map((dump) => ({ process: name(dump.pid), pid: dump.pid, text: dump.text }));
  return { stacks, stopped: stopped.filter(isPythonProcess).map((pid) => ({ process: name(pid), pid })) };
}

/** What a Python process runs: its script, `-m` module, or "python -c". */
function programOf(pid: number): string {
  const words = commandLine(pid);
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i] as string;
    if (word === '-c') return 'python -c';
    if (word === '-m') return words[i + 1] ?? 'python';
    if (!word.startsWith('-')) return word.slice(word.lastIndexOf('/') + 1);
  }
  return 'python';
}

type Target = { pid: number; hello: Hello; from: number };

async function signalDumps(targets: Target[], timeoutMs: number): Promise<{ pid: number; text: string }[]> {
  if (targets.length === 0) return [];
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
    const settled = now.every((size, i) => size > (targets[i] as Target).from && size === sizes[i]);
    sizes = now;
    if (settled || Date.now() > deadline) break;
  }
  return targets.map((t) => ({ pid: t.pid, text: readFrom(t.hello.fault_file, t.from) }));
}
