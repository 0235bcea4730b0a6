/** Diagnoses a log file (or standard input) in one streaming pass, in bounded memory. */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type Diagnosis, Diagnoser, type ExitFacts } from '../core/diagnosis/diagnose.ts';

const CHUNK_BYTES = 1 << 20;
/** Up to this size a log is read line by line without the prefilter, which costs more to build (measured: ~100 ms, ~even at 256 KiB). */
export const SMALL_LOG_BYTES = 256 * 1024;

/** `path` "-" reads standard input. Throws the fs error (ENOENT, EISDIR…) for the caller to word. */
export function diagnoseFile(path: string, exit: ExitFacts = {}): Diagnosis {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  const diagnoser = new Diagnoser({ everyLine: isSmallFile(fd) });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue; // non-blocking stdin
        if ((error as NodeJS.ErrnoException).code === 'EOF') break;
        throw error;
      }
      if (read === 0) break;
      diagnoser.push(buffer.subarray(0, read));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return diagnoser.finish(exit);
}

function isSmallFile(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() && stats.size <= SMALL_LOG_BYTES;
  } catch {
    return false;
  }
}
