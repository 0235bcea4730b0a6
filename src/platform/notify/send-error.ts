/** How a send failed, for the alerter and `vigil notify test`. */

/** A failure a retry cannot mend (no session bus, a 4xx answer): reported, never retried. */
export class PermanentSendError extends Error {}

/** "ECONNREFUSED", "no answer within 10s", "HTTP 500": the words of a failed send. */
export function describeSendError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  if (err.name === 'AbortError') return 'abandoned at exit';
  return err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(error);
}
