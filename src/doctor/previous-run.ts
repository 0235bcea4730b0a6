/**
 * What the job showed on its last run under vigil, for checks that depend on it: how many
 * DataLoader workers it ran (the Python hooks report each worker's id as a `role` event).
 */

import { readFileSync } from 'node:fs';
import { attemptFiles } from '../store/run-files.ts';
import type { RunStore } from '../store/runs.ts';

/** The latest run of the same command in the same directory: its last attempt's worker count (null: no such run, or no hooks). */
export function workersOnLastRun(store: RunStore, command: readonly string[], cwd: string): number | null {
  const same = JSON.stringify(command);
  const run = store.listRuns({ limit: 200 }).find((r) => r.cwd === cwd && JSON.stringify(r.command) === same);
  const attempt = run ? store.attempts(run.id).at(-1) : undefined;
  if (!run || !attempt) return null;
  let text: string;
  try {
    text = readFileSync(attemptFiles(run.runDir, attempt.n).events, 'utf8');
  } catch {
    return null;
  }
  const workers = new Set<number>();
  for (const line of text.split('\n')) {
    if (!line.includes('"role"')) continue;
    try {
      const event = JSON.parse(line) as { ev?: string; worker?: number };
      if (event.ev === 'role' && typeof event.worker === 'number') workers.add(event.worker);
    } catch {
      // a torn last line
    }
  }
  return workers.size;
}
