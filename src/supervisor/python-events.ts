/**
 * The events the Python side writes (python/vigil/_channel.py and python/boot/sitecustomize.py)
 * into the attempt's events file: one JSON object a line. Followed like the log; a torn or
 * foreign line is skipped, never fatal.
 */

import type { ImportMarker } from '../core/watchdog/hang-diagnosis.ts';
import { LogFollower } from './log-follower.ts';

/** A Python process announcing itself: where its faulthandler writes, and the signal it dumps stacks on (null once it gave it up). */
export type Hello = {
  ev: 'hello';
  pid: number;
  ppid: number;
  role: string;
  fault_file: string;
  dump_signal: number | null;
  argv0: string;
  rank: string | null;
};

export type PythonEvent =
  | Hello
  | { ev: 'dump_signal_released'; pid: number }
  | { ev: 'import'; pid: number; t: number; module: string }
  | { ev: 'exception'; pid: number; t: number; where: string; type: string; message: string; traceback: string }
  | { ev: 'step'; pid: number; t: number; step: number; total?: number; epoch?: number; metrics: Record<string, number | string> }
  | { ev: 'count'; pid: number; t: number; counts: Record<string, number> }
  | { ev: 'stages'; pid: number; names: string[] }
  | { ev: 'phase'; pid: number; t: number; name: string }
  | { ev: 'checkpoint'; pid: number; t: number; path: string; step: number | null };

const MAX_IMPORT_MARKERS = 256;

/** What is known of the job's Python processes, from their events. */
export class PythonRegistry {
  readonly hellos = new Map<number, Hello>();
  readonly imports: ImportMarker[] = [];

  record(event: PythonEvent): void {
    if (event.ev === 'hello') this.hellos.set(event.pid, event);
    else if (event.ev === 'dump_signal_released') {
      const hello = this.hellos.get(event.pid);
      if (hello) hello.dump_signal = null;
    } else if (event.ev === 'import') {
      this.imports.push({ pid: event.pid, module: event.module, at: event.t * 1000 });
      if (this.imports.length > MAX_IMPORT_MARKERS) this.imports.shift();
    }
  }
}

export class PythonEventFollower {
  #follower: LogFollower;
  #partial = '';
  #decoder = new TextDecoder();

  constructor(path: string, onEvent: (event: PythonEvent, seenAt: number) => void) {
    this.#follower = new LogFollower(path, (chunk, _offset, seenAt) => {
      const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
      const lines = text.split('\n');
      this.#partial = (lines.pop() as string).slice(-65536);
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          onEvent(JSON.parse(line) as PythonEvent, seenAt);
        } catch {
          // a torn or foreign line: skip it
        }
      }
    });
  }

  start(): Promise<void> {
    return this.#follower.start();
  }

  finish(): Promise<void> {
    return this.#follower.finish();
  }
}
