/**
 * faulthandler's dumps ("Current thread 0x… (most recent call first):" and its frames), as
 * written by the Python hooks into each process's fault file: on a fatal signal, or on the
 * watchdog's request. Shared by the hang diagnosis, the fatal-signal enrichment of a crash
 * diagnosis, and the rendering of stacks.
 */

import { FRAME, type Frame } from './traceback.ts';

/** One process's dump, as stored with a diagnosis. */
export type ProcessStack = { process: string; pid: number; text: string };
export type DumpThread = { current: boolean; frames: Frame[] /* innermost first */ };

const THREAD_HEADER = /^(Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):/;

export function parseStackDump(text: string): DumpThread[] {
  const threads: DumpThread[] = [];
  for (const line of text.split('\n')) {
    const header = THREAD_HEADER.exec(line);
    if (header) {
      threads.push({ current: header[1] === 'Current thread', frames: [] });
      continue;
    }
    const frame = FRAME.exec(line);
    if (frame?.groups && threads.length > 0)
      (threads.at(-1) as DumpThread).frames.push({
        file: frame.groups.file as string,
        line: Number(frame.groups.line),
        function: (frame.groups.fn as string).trim(),
      });
  }
  return threads;
}

/** The main thread: the one whose outermost frame runs a module; else the first. */
export function mainThread(threads: DumpThread[]): DumpThread | null {
  return threads.find((t) => t.frames.at(-1)?.function === '<module>') ?? threads[0] ?? null;
}

/** A forked DataLoader worker inherits its parent's frames below the worker loop: only what runs inside it is its own. */
export function ownFrames(frames: Frame[]): { frames: Frame[]; inWorker: boolean } {
  const loop = frames.findIndex((f) => f.function === '_worker_loop');
  return loop === -1 ? { frames, inWorker: false } : { frames: frames.slice(0, loop), inWorker: true };
}

/** The frames of a dump's main thread that belong to the process, innermost first. */
export function mainThreadFrames(text: string): Frame[] {
  const thread = mainThread(parseStackDump(text));
  return thread ? ownFrames(thread.frames).frames : [];
}
