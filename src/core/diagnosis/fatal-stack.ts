/**
 * A process killed by a fatal signal (a segfault in native code, a bus error) prints no Python
 * traceback; the faulthandler file the sitecustomize gave it holds its stack. This joins that
 * stack to the diagnosis: `where` becomes the user's line that called into native code, and
 * the process is named (a DataLoader worker's dump is cut at its worker loop). Pure.
 */

import type { Diagnosis } from './diagnose.ts';
import { ownFrames, parseStackDump } from './stack-dump.ts';
import { isUserFrame } from './traceback.ts';

const FATAL = /^Fatal Python error: (?<what>Segmentation fault|Bus error|Aborted|Floating point exception|Illegal instruction)/m;

/** A fault file's dump, with the name of its process when known. */
export type FaultDump = { pid: number; process: string | null; text: string };

export function withFatalStack(diagnosis: Diagnosis, dumps: FaultDump[]): Diagnosis {
  const fatal = dumps.find((dump) => FATAL.test(dump.text));
  if (!fatal) return diagnosis;
  const threads = parseStackDump(fatal.text);
  const thread = threads.find((t) => t.current) ?? threads[0];
  if (!thread) return diagnosis;
  const own = ownFrames(thread.frames);
  const user = own.frames.find(isUserFrame) ?? null;
  const named = fatal.process;
  const process = own.inWorker
    ? named?.startsWith('DataLoader worker')
      ? named
      : `DataLoader worker (pid ${fatal.pid})`
    : (named ?? diagnosis.process);
  const what = (FATAL.exec(fatal.text)?.groups?.what as string).toLowerCase();
  return {
    ...diagnosis,
    where: user ?? diagnosis.where,
    process,
    summary: user ? `${diagnosis.summary} (${what} at ${user.file}:${user.line} in ${user.function})` : diagnosis.summary,
    stacks: [{ process: process ?? `pid ${fatal.pid}`, pid: fatal.pid, text: fatal.text }],
  };
}
