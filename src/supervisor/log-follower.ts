/**
 * Follows a growing log file (the job appends to it directly) and hands each new chunk to a
 * consumer, in order, with the time it was seen. Memory is one fixed buffer, whatever the job
 * prints: a 100 MB line without a newline is just a hundred chunks.
 *
 * While the file is quiet, inotify (fs.watch) wakes the follower at the job's first write. An
 * inotify watch is not free for the writer, though: the kernel queues an event on every
 * write(), which halves the speed of a job printing short lines unbuffered. So once output
 * flows, the watch is dropped and the file is read every FLOWING_POLL_MS until it has been
 * quiet for QUIET_POLLS polls; then the watch is set again. A slow poll covers events inotify
 * can miss, and a machine without inotify.
 *
 * The consumer may return a promise (an echo to a slow stdout): the follower reads on once it
 * has settled, which bounds memory, and makes reading as slow as the consumer. So a consumer
 * that must keep up (the record, the watchdog) is synchronous, and the echo follows the file
 * with a follower of its own (log-echo.ts).
 *
 * A file shorter than the offset was truncated under us (`: > attempt-1.log`): the follower
 * says so and starts again from its beginning, where the job (appending) now writes.
 */

import { type FSWatcher, watch } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export type ChunkConsumer = (chunk: Buffer, offset: number, seenAt: number) => void | Promise<void>;

/** The file was truncated: `offset` bytes had been read, it is shorter now; reading starts again from 0. */
export type TruncationListener = (offset: number) => void;

const CHUNK_BYTES = 1 << 20;
const POLL_MS = 250;
/** How often a flowing file is read (so the most its output can wait for vigil). */
const FLOWING_POLL_MS = 20;
const QUIET_POLLS = 5;

export class LogFollower {
  #path: string;
  #consume: ChunkConsumer;
  #onTruncated: TruncationListener | undefined;
  #offset: number;
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #file: FileHandle | null = null;
  #watcher: FSWatcher | null = null;
  #poll: NodeJS.Timeout | null = null;
  #flowing: NodeJS.Timeout | null = null;
  #quietPolls = 0;
  #reading: Promise<void> | null = null;
  #again = false;
  #finished = false;

  constructor(path: string, consume: ChunkConsumer, fromOffset = 0, onTruncated?: TruncationListener) {
    this.#path = path;
    this.#consume = consume;
    this.#offset = fromOffset;
    this.#onTruncated = onTruncated;
  }

  get offset(): number {
    return this.#offset;
  }

  /** True while inotify is armed (the file is quiet), false while output flows and is polled. */
  get watching(): boolean {
    return this.#watcher !== null;
  }

  async start(): Promise<void> {
    this.#file = await open(this.#path, 'r');
    this.#poll = setInterval(() => void this.#wake(), POLL_MS);
    this.#poll.unref();
    this.#watch();
    await this.#wake();
  }

  /** Reads everything written so far (and goes on following). */
  catchUp(): Promise<void> {
    return this.#wake();
  }

  /** Reads everything written so far, then stops following. */
  async finish(): Promise<void> {
    this.#finished = true;
    this.#unwatch();
    if (this.#flowing) clearInterval(this.#flowing);
    if (this.#poll) clearInterval(this.#poll);
    await this.#wake();
    await this.#file?.close();
    this.#file = null;
  }

  #watch(): void {
    if (this.#finished || this.#watcher) return;
    try {
      this.#watcher = watch(this.#path, { persistent: false }, () => this.#startFlowing());
      this.#watcher.on('error', () => undefined);
    } catch {
      // No inotify (exhausted watches, odd filesystem): the slow poll alone keeps up.
    }
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }

  /** Output arrived: read it now, and keep reading by timer (no watch) while it flows. */
  #startFlowing(): void {
    if (this.#finished || this.#flowing) return;
    this.#unwatch();
    this.#quietPolls = 0;
    this.#flowing = setInterval(() => void this.#pollFlowing(), FLOWING_POLL_MS);
    this.#flowing.unref();
    void this.#wake();
  }

  async #pollFlowing(): Promise<void> {
    const before = this.#offset;
    await this.#wake();
    this.#quietPolls = this.#offset === before ? this.#quietPolls + 1 : 0;
    if (this.#quietPolls < QUIET_POLLS || !this.#flowing) return;
    clearInterval(this.#flowing);
    this.#flowing = null;
    // Watch again, then read once more: a write between the last poll and the watch has no event.
    this.#watch();
    await this.#wake();
  }

  /** One reader at a time; a wake-up during a read makes that reader go round once more. */
  #wake(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      do {
        this.#again = false;
        await this.#readToEnd();
      } while (this.#again);
      this.#reading = null;
    })();
    return this.#reading;
  }

  async #readToEnd(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    for (;;) {
      const { bytesRead } = await file.read(this.#buffer, 0, CHUNK_BYTES, this.#offset);
      if (bytesRead === 0) {
        if (!(await this.#truncated(file))) return;
        continue;
      }
      const chunk = this.#buffer.subarray(0, bytesRead);
      const offset = this.#offset;
      this.#offset += bytesRead;
      await this.#consume(chunk, offset, Date.now());
      // Caught up: what the job writes meanwhile is for the next pass, rather than chased in
      // slivers. A full buffer means a backlog: go on at once.
      if (bytesRead < CHUNK_BYTES) return;
    }
  }

  /** Nothing more to read: caught up, or truncated (checked only then: a stat per quiet poll). */
  async #truncated(file: FileHandle): Promise<boolean> {
    const { size } = await file.stat();
    if (size >= this.#offset) return false;
    const was = this.#offset;
    this.#offset = 0;
    this.#onTruncated?.(was);
    return true;
  }
}
