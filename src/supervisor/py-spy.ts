/**
 * The fallback for Python processes the hooks do not cover (started with --no-python-hooks, a
 * scrubbed environment, `python -I`, or a program that took the dump signal): py-spy reads
 * their stacks from outside, when it is installed. It needs ptrace rights over the job (root,
 * CAP_SYS_PTRACE, or kernel.yama.ptrace_scope = 0).
 */

import { execFile } from 'node:child_process';
import which from 'which';
import { pySpyToFaulthandler } from '../core/diagnosis/py-spy-dump.ts';

export function findPySpy(path = process.env.PATH): string | null {
  return which.sync('py-spy', { path: path ?? '', nothrow: true });
}

/** Each process's stacks as a faulthandler-style dump; processes py-spy could not read are left out. */
export async function pySpyStacks(pySpy: string, pids: number[], timeoutMs: number): Promise<{ pid: number; text: string }[]> {
  const dumps = await Promise.all(
    pids.map(
      (pid) =>
        new Promise<{ pid: number; text: string } | null>((resolve) => {
          execFile(pySpy, ['dump', '--pid', String(pid), '--json'], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout) => {
            const text = error ? null : pySpyToFaulthandler(stdout);
            resolve(text === null ? null : { pid, text });
          });
        }),
    ),
  );
  return dumps.filter((dump) => dump !== null);
}
