/**
 * Talks to /api. The token comes once in the URL (`#token=…`, as `vigil web` prints it), is kept
 * in sessionStorage, and is sent as X-Vigil-Token on every request (the custom header is also the
 * CSRF guard of POSTs). A 401 tells the listeners, which show a banner.
 */

import type { ActionResult } from './types.ts';

const TOKEN_KEY = 'vigil-token';

/** Moves `#token=…` from the address bar into sessionStorage, so it is neither bookmarked nor shared. */
export function adoptTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Gets the problem when the server refuses the token, and null once an action gets through again. */
type Listener = (message: string | null) => void;
const unauthorizedListeners = new Set<Listener>();
let refused = false;

function tell(message: string | null): void {
  refused = message !== null;
  for (const listener of unauthorizedListeners) listener(message);
}

/** Calls `listener` when the token is refused and when it is accepted again; returns the unsubscribe. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const current = token();
  if (current) headers.set('X-Vigil-Token', current);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    const message = 'token needed: open the URL vigil web printed';
    tell(message);
    throw new ApiError(401, message);
  }
  // Only an action proves the token good: on loopback, reads pass without one.
  if (refused && init.method === 'POST') tell(null);
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  }
  return response;
}

/** GETs started before the first render (the page's main data): the first getJson of that path takes the answer. */
const early = new Map<string, Promise<unknown>>();

/** Starts a GET now, so that no frame of the first render is waited for before the request leaves. */
export function prefetch(path: string): void {
  if (!early.has(path)) early.set(path, fetchJson(path));
}

export async function getJson<T>(path: string): Promise<T> {
  const started = early.get(path);
  if (started) {
    early.delete(path);
    return started as Promise<T>;
  }
  return fetchJson<T>(path);
}

async function fetchJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

export async function post(path: string, body: object = {}): Promise<ActionResult> {
  const response = await request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return response.json() as Promise<ActionResult>;
}

/** Downloads a file the server sends as an attachment, with the token header a plain link cannot carry. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await request(path);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** An SSE URL: EventSource cannot set headers, so the token rides in the query. */
export function sseUrl(path: string, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  const current = token();
  if (current) query.set('token', current);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
