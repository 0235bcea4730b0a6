/**
 * The job's output on vigil's stdout, unchanged. The echo is a reader of the log file of its
 * own, with its own offset, writing one chunk at a time and reading the next only once stdout
 * has taken it. So a terminal or pipe that stops reading (`| less`, Ctrl-S, a stalled SSH
 * session) only makes the echo fall behind: the record and the watchdog read on without it,
 * and the lag costs no memory (what is not echoed yet is in the file). At the end of the run
 * the echo drains what is left.
 *
 * Node writes to a terminal synchronously: a terminal held by Ctrl-S would stop the whole of
 * vigil in write(). So to a terminal the echo writes from the thread pool (fs.write on its
 * descriptor), where only the echo waits.
 */

import { write } from 'node:fs';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogFollower } from './log-follower.ts';

const RETRY_MS = 20;

export type LogEchoOptions = {
  logPath: string;
  stream: Writable;
  /** Called before each write (a live status line clears itself here). */
  beforeWrite?: () => void;
};

export class LogEcho {
  /** The echoed output ends with a newline: a status line may be drawn without splitting a line of the job's. */
  atLineStart = true;
  #stream: Writable;
  #send: (chunk: Buffer) => Promise<void>;
  #beforeWrite: (() => void) | undefined;
  #follower: LogFollower;
  #writing = false;
  #lastWriteAt = 0;
  #broken = false;

  constructor(options: LogEchoOptions) {
    this.#stream = options.stream;
    const { fd, isTTY } = options.stream as { fd?: unknown; isTTY?: boolean };
    this.#send = isTTY && typeof fd === 'number' ? (chunk) => this.#writeFd(fd, chunk) : (chunk) => this.#writeStream(chunk);
    this.#beforeWrite = options.beforeWrite;
    this.#follower = new LogFollower(options.logPath, this.#write);
    this.#stream.on('error', () => {
      // The reader of our stdout went away (`vigil run … | head`): keep supervising, stop echoing.
      this.#broken = true;
    });
  }

  /** Bytes of the log read for echoing (at most one chunk more than written). */
  get offset(): number {
    return this.#follower.offset;
  }

  start(): Promise<void> {
    return this.#follower.start();
  }

  /** Echoes what is left of the log, as fast as stdout takes it, and stops. */
  drain(): Promise<void> {
    return this.#follower.finish();
  }

  /**
   * Nothing is being written, the output ends a line, and has not moved for `quietMs`: the one
   * moment a status line may be drawn on the same terminal.
   */
  settled(now: number, quietMs: number): boolean {
    return !this.#broken && !this.#writing && this.atLineStart && now - this.#lastWriteAt >= quietMs;
  }

  #write = async (chunk: Buffer): Promise<void> => {
    if (this.#broken || chunk.length === 0) return;
    this.#beforeWrite?.();
    // Set now, not once written: what is written to the terminal after this lands after it.
    this.atLineStart = chunk[chunk.length - 1] === 10;
    this.#writing = true;
    // Wait for the write: the follower reuses the chunk's buffer, and this bounds memory.
    await this.#send(chunk);
    this.#writing = false;
    this.#lastWriteAt = Date.now();
  };

  #writeStream(chunk: Buffer): Promise<void> {
    return new Promise((resolve) => this.#stream.write(chunk, () => resolve()));
  }

  async #writeFd(fd: number, chunk: Buffer): Promise<void> {
    for (let done = 0; done < chunk.length && !this.#broken;) {
      try {
        done += await new Promise<number>((resolve, reject) =>
          write(fd, chunk, done, chunk.length - done, null, (error, written) => (error ? reject(error) : resolve(written))),
        );
      } catch (error) {
        // A descriptor in non-blocking mode (shared with another program that set it): wait for room.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') await sleep(RETRY_MS);
        // The terminal went away (EIO after a hangup): keep supervising, stop echoing.
        else this.#broken = true;
      }
    }
  }
}
