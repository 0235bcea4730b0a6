/** One HTTP request for a target, with Node's built-in fetch: resolves on a 2xx answer, else rejects with why. */

import { PermanentSendError } from './send-error.ts';

export async function request(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(url, { ...init, signal, redirect: 'follow' });
  // The body is read (and dropped) so that the connection is released.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const why = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  // A 4xx other than a rate limit or a timeout will answer the same again.
  if (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408)
    throw new PermanentSendError(why);
  throw new Error(why);
}
