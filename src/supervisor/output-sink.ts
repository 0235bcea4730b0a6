/**
 * Where the job's bytes go once they are safely in the log file: into an arrival index
 * (`attempt-N.times`: "offset<TAB>epoch-ms" per chunk) so that when each line appeared is known
 * later, and to the terminal, unchanged, by an echo that follows the log on its own (log-echo.ts).
 * The record is written as each chunk is read and never waits for the echo; the echo may fall
 * behind, and says so once. The log file itself stays byte-exact.
 */

import { closeSync, ftruncateSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { formatSize } from '../core/size.ts';
import { openRunFileForAppend } from '../store/run-files.ts';
import { LogEcho } from './log-echo.ts';

export type OutputSinkOptions = {
  logPath: string;
  timesPath: string;
  echo: Writable | null;
  warnAtBytes: number;
  onSizeWarning: (bytes: number) => void;
  warn: (message: string) => void;
  /** Called before echoing a chunk (a live status line clears itself here). */
  beforeEcho?: () => void;
};

/** How far the echo may fall behind the log before the user is told (once). */
const ECHO_LAG_WARN_BYTES = 1 << 20;

export class OutputSink {
  lastOutputAt: number | null = null;
  bytes = 0;
  /** The echo to stdout, if any (a status line is drawn only when it has settled). */
  readonly echo: LogEcho | null;
  #timesFd: number;
  #options: OutputSinkOptions;
  #warned = false;
  #warnedLag = false;

  constructor(options: OutputSinkOptions) {
    this.#options = options;
    this.#timesFd = openRunFileForAppend(options.timesPath);
    this.echo = options.echo
      ? new LogEcho({ logPath: options.logPath, stream: options.echo, ...(options.beforeEcho ? { beforeWrite: options.beforeEcho } : {}) })
      : null;
  }

  /** Starts the echo (it reads the log from its start). */
  async start(): Promise<void> {
    await this.echo?.start();
  }

  /** A chunk of the log as read: recorded at once, whatever the echo is doing. */
  consume = (chunk: Buffer, offset: number, seenAt: number): void => {
    this.lastOutputAt = seenAt;
    this.bytes = offset + chunk.length;
    writeSync(this.#timesFd, `${offset}\t${seenAt}\n`);
    if (!this.#warned && this.bytes >= this.#options.warnAtBytes) {
      this.#warned = true;
      this.#options.onSizeWarning(this.bytes);
    }
    const lag = this.echo ? this.bytes - this.echo.offset : 0;
    if (!this.#warnedLag && lag >= ECHO_LAG_WARN_BYTES) {
      this.#warnedLag = true;
      this.#options.warn(`echo is ${(lag / 1e6).toFixed(1)} MB behind the log (your terminal or pipe is not reading); the log is complete`);
    }
  };

  /** Someone truncated the log under the job (`: > attempt-1.log`): the index starts again with it. */
  truncated = (offset: number): void => {
    ftruncateSync(this.#timesFd, 0);
    this.bytes = 0;
    this.#options.warn(
      `the log ${this.#options.logPath} was truncated while the job ran (${formatSize(offset)} of it are gone); following it from its new start`,
    );
  };

  /** Ends the record (the echo may still be draining). */
  close(): void {
    closeSync(this.#timesFd);
  }

  /** Echoes what is left of the log, as fast as stdout takes it. */
  async drainEcho(): Promise<void> {
    await this.echo?.drain();
  }
}
