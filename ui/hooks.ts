/** Data hooks: a JSON resource that can be reloaded, and reloads driven by the live stream. */

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from './api.ts';
import { coalesce, subscribe } from './live.ts';

export type Resource<T> = { data: T | null; error: string | null; reload: () => void };

/** Fetches `path` (null: nothing yet); keeps the last data while reloading, drops out-of-order answers. */
export function useJson<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sequence = useRef(0);

  const reload = useCallback(() => {
    if (path === null) return;
    const mine = ++sequence.current;
    getJson<T>(path).then(
      (value) => {
        if (mine !== sequence.current) return;
        setData(value);
        setError(null);
      },
      (reason: unknown) => {
        if (mine === sequence.current) setError(reason instanceof Error ? reason.message : String(reason));
      },
    );
  }, [path]);

  useEffect(() => {
    setData(null);
    reload();
  }, [reload]);
  return { data, error, reload };
}

/** At most one refetch per interval however often the database changes. */
export const REFRESH_INTERVAL_MS = 500;

/** Calls `refresh` (coalesced) whenever the server says the database changed, and after a reconnection. */
export function useLiveRefresh(refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    // The page has just fetched its data: the first refresh waits out the interval too.
    const run = coalesce(() => latest.current(), REFRESH_INTERVAL_MS, Date.now());
    return subscribe({ path: '/api/live', handlers: { runs: run }, onReconnect: run });
  }, []);
}

/** Re-renders every `ms` (ages and ETAs move on their own). */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
