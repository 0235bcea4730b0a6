/**
 * The last lines of an attempt's log, read from the end of the file: a log of a gigabyte costs
 * the same as one of a kilobyte. Each line as a terminal showed it (the last `\r` redraw), with
 * escape sequences removed and other control characters written as escapes.
 */

import type { LogTail } from '../core/report/model.ts';
import { printable } from '../core/text/printable.ts';
import { lastVisibleSegment } from '../core/text/terminal-text.ts';
import { readRunFileEnd } from '../store/run-files.ts';

/** Enough for the report's 200 lines of up to 1000 characters. */
const TAIL_BYTES = 256 * 1024;
const TAIL_LINES = 400;

export function readLogTail(attempt: number, path: string, maxBytes = TAIL_BYTES, maxLines = TAIL_LINES): LogTail {
  let end: ReturnType<typeof readRunFileEnd>;
  try {
    end = readRunFileEnd(path, maxBytes);
  } catch (error) {
    return { attempt, path, sizeBytes: 0, lines: [`(the log cannot be read: ${(error as Error).message})`], complete: false };
  }
  let lines = end.bytes.toString('utf8').split('\n');
  if (end.start > 0) lines = lines.slice(1); // the first line was cut by where the read began
  if (lines.at(-1) === '') lines.pop();
  const complete = end.start === 0 && lines.length <= maxLines;
  return {
    attempt,
    path,
    sizeBytes: end.size,
    lines: lines.slice(-maxLines).map((line) => printable(lastVisibleSegment(line.replace(/\r$/, '')))),
    complete,
  };
}
