/**
 * Server-sent events with reconnection. The browser retries a dropped stream by itself, but gives
 * up for good on an HTTP error (a restarted server, a 401): then we open a new one, backing off.
 * The URL is built at each (re)connection so that it can carry the latest offset. A hidden tab
 * lets its streams go: a browser keeps only six connections per server, and each stream holds one.
 */

import { sseUrl } from './api.ts';

type Handlers = Record<string, (data: unknown) => void>;

export type LiveOptions = {
  path: string;
  params?: () => Record<string, string | number>;
  handlers: Handlers;
  /** Called after a reconnection, when events may have been missed. */
  onReconnect?: () => void;
};

const MAX_BACKOFF_MS = 15_000;

/** Subscribes; returns the function that closes the stream for good. */
export function subscribe({ path, params, handlers, onReconnect }: LiveOptions): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 500;
  let closed = false;
  let opened = false;

  const connect = () => {
    clearTimeout(timer);
    source?.close();
    const current = new EventSource(sseUrl(path, params?.() ?? {}));
    source = current;
    current.onopen = () => {
      if (opened) onReconnect?.(); // events may have been missed meanwhile
      opened = true;
      backoff = 500;
    };
    current.onerror = () => {
      if (current !== source || current.readyState !== EventSource.CLOSED || closed) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
    for (const [event, handle] of Object.entries(handlers)) {
      current.addEventListener(event, (message) => handle(parse((message as MessageEvent<string>).data)));
    }
  };
  const onVisibility = () => {
    if (document.hidden) {
      clearTimeout(timer);
      source?.close();
      source = null;
    } else if (!source) {
      connect();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  connect();
  return () => {
    closed = true;
    document.removeEventListener('visibilitychange', onVisibility);
    clearTimeout(timer);
    source?.close();
  };
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/**
 * Wraps `fn` so that calls within `intervalMs` of the last run coalesce into one trailing run:
 * a burst of `runs` events costs one refetch per interval, and the last change is never missed.
 * `lastRun`: when fn last ran outside (a page's first fetch), if it did.
 */
export function coalesce(fn: () => void, intervalMs: number, lastRun = -Infinity): () => void {
  let last = lastRun;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) return;
    const wait = Math.max(0, last + intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      fn();
    }, wait);
  };
}
