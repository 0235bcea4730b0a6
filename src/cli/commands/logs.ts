import { readSync, closeSync, fstatSync, createReadStream } from 'node:fs';
import { LIVE_STATUSES } from '../../core/run-status.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { LogFollower } from '../../supervisor/log-follower.ts';
import { waitFor } from '../../platform/run-processes.ts';
import { openRunFileForRead } from '../../store/run-files.ts';
import { findRun, openContext } from '../context.ts';
import { printable } from '../../core/text/printable.ts';
import { ExitCode, VigilError } from '../../errors.ts';

type LogsOptions = { follow?: boolean; attempt?: number; tail?: number };

export async function logsCommand(query: string, options: LogsOptions): Promise<void> {
  const context = openContext();
  const run = findRun(context, query);
  const attempts = context.store.attempts(run.id);
  const attempt = options.attempt === undefined ? attempts.at(-1) : attempts.find((a) => a.n === options.attempt);
  if (!attempt) {
    throw new VigilError(
      `run ${run.id} has no attempt ${options.attempt ?? ''} (it has ${attempts.length})`.replace('  ', ' '),
      ExitCode.runNotFound,
    );
  }
  const fd = openLog(attempt.logPath, `run ${run.id} attempt ${attempt.n}`);
  const start = options.tail === undefined ? 0 : tailOffset(fd, options.tail);
  if (!options.follow) {
    await new Promise<void>((resolve, reject) =>
      createReadStream('', { fd, start }).on('error', reject).on('end', resolve).pipe(process.stdout, { end: false }),
    );
    return;
  }
  closeSync(fd);
  const follower = new LogFollower(
    attempt.logPath,
    (chunk) => new Promise<void>((resolve) => process.stdout.write(chunk, () => resolve())),
    start,
  );
  await follower.start();
  const stillLive = () => {
    const current = context.store.getRun(run.id);
    return current !== null && LIVE_STATUSES.includes(observeRun(context.store, current).observedStatus);
  };
  await waitFor(() => !stillLive(), Number.POSITIVE_INFINITY, 500);
  await follower.finish();
}

/**
 * The attempt's log, open for reading, once: it is read through this descriptor, never by name
 * again, and a symbolic link planted in its place is refused (exit 3). A log that is gone
 * (deleted by hand, a lost disk) is said in one line (exit 1).
 */
function openLog(path: string, what: string): number {
  try {
    return openRunFileForRead(path);
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code !== 'ENOENT') throw error;
    throw new VigilError(`cannot read the log of ${what}: ${printable(path)} (${code})`, ExitCode.failure, { cause: error });
  }
}

/** Byte offset where the last `lines` lines of the file begin (a final newline ends a line, it does not start one). */
function tailOffset(fd: number, lines: number): number {
  const size = fstatSync(fd).size;
  if (lines === 0) return size;
  const block = Buffer.allocUnsafe(64 * 1024);
  let newlines = 0;
  let end = size;
  while (end > 0) {
    const begin = Math.max(0, end - block.length);
    const read = readSync(fd, block, 0, end - begin, begin);
    for (let i = read - 1; i >= 0; i -= 1) {
      if (block[i] !== 0x0a || begin + i === size - 1) continue;
      newlines += 1;
      if (newlines === lines) return begin + i + 1;
    }
    end = begin;
  }
  return 0;
}
