/**
 * Stacks of every Python process of a run, taken by the signal the sitecustomize registered
 * with faulthandler. A signal is only sent to a process that registered it and still catches
 * it (`SigCgt` in /proc/PID/status): to any other process it would be fatal.
 */

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { ProcessStack } from '../core/diagnosis/stack-dump.ts';
import { processName } from '../core/diagnosis/process-names.ts';
import type { PythonRegistry } from './python-events.ts';

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

export async function dumpStacks(pids: number[], registry: PythonRegistry, timeoutMs = 2000): Promise<ProcessStack[]> {
  const targets = pids.flatMap((pid) => {
    const hello = registry.hellos.get(pid);
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
  return targets
    .filter((t) => (texts.get(t.pid) ?? '').trim() !== '')
    .map((t) => ({ process: processName(t.pid, registry.processes), pid: t.pid, text: texts.get(t.pid) as string }));
}
