/**
 * Where the job's bytes go once they are safely in the log file: to the terminal, unchanged,
 * and into an arrival index (`attempt-N.times`: "offset<TAB>epoch-ms" per chunk) so that when
 * each line appeared is known later. The log file itself stays byte-exact.
 */

import { closeSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { openRunFileForAppend } from '../store/run-files.ts';

export type OutputSinkOptions = {
  timesPath: string;
  echo: Writable | null;
  warnAtBytes: number;
  onSizeWarning: (bytes: number) => void;
  /** Called before echoing a chunk (a live status line clears itself here). */
  beforeEcho?: () => void;
};

export class OutputSink {
  lastOutputAt: number | null = null;
  bytes = 0;
  #timesFd: number;
  #options: OutputSinkOptions;
  #warned = false;
  #echoBroken = false;
  /** The echoed output ends with a newline: a status line may be drawn without splitting a line of the job's. */
  atLineStart = true;

  constructor(options: OutputSinkOptions) {
    this.#options = options;
    this.#timesFd = openRunFileForAppend(options.timesPath);
    options.echo?.on('error', () => {
      // The reader of our stdout went away (`vigil run … | head`): keep supervising, stop echoing.
      this.#echoBroken = true;
    });
  }

  consume = async (chunk: Buffer, offset: number, seenAt: number): Promise<void> => {
    this.lastOutputAt = seenAt;
    this.bytes = offset + chunk.length;
    writeSync(this.#timesFd, `${offset}\t${seenAt}\n`);
    if (!this.#warned && this.bytes >= this.#options.warnAtBytes) {
      this.#warned = true;
      this.#options.onSizeWarning(this.bytes);
    }
    const echo = this.#options.echo;
    if (echo && !this.#echoBroken) {
      this.#options.beforeEcho?.();
      // Wait for the write: the follower reuses the chunk's buffer, and this bounds memory.
      await new Promise<void>((resolve) => echo.write(chunk, () => resolve()));
      if (chunk.length > 0) this.atLineStart = chunk[chunk.length - 1] === 10;
    }
  };

  close(): void {
    closeSync(this.#timesFd);
  }
}
