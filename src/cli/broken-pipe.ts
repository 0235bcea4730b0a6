/**
 * `vigil logs last | head -2`: once the reader is gone, writing to stdout fails with EPIPE. Node
 * ignores SIGPIPE, so the write error would surface as an unhandled 'error' with a trace; vigil
 * stops quietly instead, as `cat` does, and exits with the code it had (0 unless a command set
 * one). `vigil run` is the exception: its job must stay supervised, so it only stops echoing
 * (src/supervisor/output-sink.ts) and its own messages are lost.
 */

let supervising = false;

/** For `vigil run`: a broken pipe must not end vigil while it owns a job. */
export function keepRunningOnBrokenPipe(): void {
  supervising = true;
}

export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      if (!supervising) process.exit(process.exitCode ?? 0);
    });
  }
}
