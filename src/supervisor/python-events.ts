/**
 * The events the Python side writes (python/vigil/_channel.py and python/boot/sitecustomize.py)
 * into the attempt's events file: one JSON object a line. Followed like the log; a torn or
 * foreign line is skipped, never fatal.
 */

import { exceptionProcess, type ProcessTable, type PythonProcess, type ReportedException } from '../core/diagnosis/process-names.ts';
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
  | { ev: 'role'; pid: number; worker?: number; name?: string }
  | { ev: 'import'; pid: number; t: number; module: string }
  | ExceptionEvent
  | { ev: 'step'; pid: number; t: number; step: number; total?: number; epoch?: number; metrics: Record<string, number | string> }
  | { ev: 'count'; pid: number; t: number; counts: Record<string, number> }
  | { ev: 'stages'; pid: number; names: string[] }
  | { ev: 'phase'; pid: number; t: number; name: string }
  | { ev: 'checkpoint'; pid: number; t: number; path: string; step: number | null }
  /** The job called `vigil.should_stop()`: a stop may ask it to save and exit before signalling. */
  | { ev: 'stop_listener'; pid: number; t: number };

/** An uncaught exception, in the named thread ("MainThread", …). */
export type ExceptionEvent = {
  ev: 'exception';
  pid: number;
  t: number;
  thread: string;
  type: string;
  message: string;
  traceback: string;
};

const MAX_IMPORT_MARKERS = 256;
const MAX_EXCEPTIONS = 64;

/** What is known of the job's Python processes, from their events. */
export class PythonRegistry {
  readonly hellos = new Map<number, Hello>();
  readonly imports: ImportMarker[] = [];
  /** Uncaught exceptions, each blamed on its process (named when it was reported). */
  readonly exceptions: ReportedException[] = [];
  /** Some process of the job checks `vigil.should_stop()`: asking it first is worth the wait. */
  listensForStop = false;
  readonly #processes = new Map<number, PythonProcess>();
  /** The lowest distributed rank among the job's processes (this node's first), null before any says one. */
  lowestRank: number | null = null;

  record(event: PythonEvent): void {
    if (event.ev === 'hello') {
      this.hellos.set(event.pid, event);
      const rank = event.rank !== null && /^\d+$/.test(event.rank) ? Number(event.rank) : null;
      if (rank !== null && (this.lowestRank === null || rank < this.lowestRank)) this.lowestRank = rank;
      this.#processes.set(event.pid, { pid: event.pid, ppid: event.ppid, rank: event.rank, worker: null, name: null, argv0: event.argv0 });
    } else if (event.ev === 'role') {
      const known = this.#processes.get(event.pid);
      if (known && event.worker !== undefined) known.worker = event.worker;
      if (known && event.name !== undefined) known.name = event.name;
    } else if (event.ev === 'dump_signal_released') {
      const hello = this.hellos.get(event.pid);
      if (hello) hello.dump_signal = null;
    } else if (event.ev === 'exception') {
      this.exceptions.push({ type: event.type, message: event.message, process: exceptionProcess(event, this.#processes) });
      if (this.exceptions.length > MAX_EXCEPTIONS) this.exceptions.shift();
    } else if (event.ev === 'stop_listener') {
      this.listensForStop = true;
    } else if (event.ev === 'import') {
      this.imports.push({ pid: event.pid, module: event.module, at: event.t * 1000 });
      if (this.imports.length > MAX_IMPORT_MARKERS) this.imports.shift();
    }
  }

  /** Every Python process seen, alive or not, for naming them. */
  get processes(): ProcessTable {
    return this.#processes;
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
