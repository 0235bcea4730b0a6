/**
 * Follows a growing log file (the job appends to it directly) and hands each new chunk to a
 * consumer, in order, with the time it was seen. inotify (fs.watch) wakes it at once; a slow
 * poll covers events inotify can coalesce or miss. Memory is one fixed buffer, whatever the job
 * prints: a 100 MB line without a newline is just a hundred chunks.
 */

import { type FSWatcher, watch } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export type ChunkConsumer = (chunk: Buffer, offset: number, seenAt: number) => void | Promise<void>;

const CHUNK_BYTES = 1 << 20;
const POLL_MS = 250;

export class LogFollower {
  #path: string;
  #consume: ChunkConsumer;
  #offset: number;
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #file: FileHandle | null = null;
  #watcher: FSWatcher | null = null;
  #poll: NodeJS.Timeout | null = null;
  #reading: Promise<void> | null = null;
  #again = false;

  constructor(path: string, consume: ChunkConsumer, fromOffset = 0) {
    this.#path = path;
    this.#consume = consume;
    this.#offset = fromOffset;
  }

  get offset(): number {
    return this.#offset;
  }

  async start(): Promise<void> {
    this.#file = await open(this.#path, 'r');
    try {
      this.#watcher = watch(this.#path, { persistent: false }, () => void this.#wake());
      this.#watcher.on('error', () => undefined);
    } catch {
      // No inotify (exhausted watches, odd filesystem): the poll alone keeps up.
    }
    this.#poll = setInterval(() => void this.#wake(), POLL_MS);
    this.#poll.unref();
    await this.#wake();
  }

  /** Reads everything written so far, then stops following. */
  async finish(): Promise<void> {
    this.#watcher?.close();
    if (this.#poll) clearInterval(this.#poll);
    await this.#wake();
    await this.#file?.close();
    this.#file = null;
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
      if (bytesRead === 0) return;
      const chunk = this.#buffer.subarray(0, bytesRead);
      const offset = this.#offset;
      this.#offset += bytesRead;
      await this.#consume(chunk, offset, Date.now());
    }
  }
}
