/**
 * A home full of history for the dashboard's benchmark: `runs` ended runs (each one attempt, a few
 * progress events, half of them failed with a diagnosis) and one run with `points` progress events.
 * Written straight through the store in one transaction; no job runs.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.ts';
import { openHome } from '../src/store/paths.ts';
import { rebuildProgressSeries } from '../src/store/progress-series.ts';
import { RunStore } from '../src/store/runs.ts';

export function seedHome(home: string, runs: number, points: number): { bigRun: string } {
  const layout = openHome(home, { write: true });
  const store = new RunStore(openDatabase(layout.databasePath, { readonly: false }));
  const now = Date.now();
  const insert = (id: string, createdAt: number, failed: boolean, progressEvents: number) => {
    const runDir = join(layout.runsDir, id);
    mkdirSync(runDir, { recursive: true });
    store.insertRun({
      id,
      name: `seed-${id.slice(-4)}`,
      command: ['python3', 'train.py', '--lr', '3e-4'],
      cwd: home,
      runDir,
      status: failed ? 'failed' : 'succeeded',
      createdAt,
      endedAt: createdAt + 60_000,
      supervisorPid: null,
      supervisorStart: null,
      cgroupPath: null,
      stopTimeoutMs: 10_000,
      exitCode: failed ? 1 : 0,
      signal: null,
    });
    store.insertAttempt({
      runId: id,
      n: 1,
      pid: 1234,
      pgid: 1234,
      startedAt: createdAt,
      endedAt: createdAt + 60_000,
      exitCode: failed ? 1 : 0,
      signal: null,
      peakRssBytes: 1 << 30,
      logPath: join(runDir, 'attempt-1.log'),
      stopReason: null,
      diagnosis: failed ? { category: 'cuda_oom', summary: 'CUDA out of memory', fixes: ['lower the batch size'], evidence: [] } : null,
      params: null,
    });
    // The events straight in, the chart's curve built from them at once (as point by point, faster).
    const event = store.db.prepare(`INSERT INTO events (run_id, attempt, at, kind, data) VALUES (?, 1, ?, 'progress', ?)`);
    let step = 0;
    for (let i = 0; i < progressEvents; i += 1) {
      step += 10;
      const loss = 2 * Math.exp(-step / 200_000) + 0.05 * Math.sin(step / 977) + (i === Math.floor(progressEvents * 0.7) ? 3 : 0);
      const data = { step, total: progressEvents * 10, epoch: null, rate: 12.5, metrics: { loss }, updated_at: createdAt + i };
      event.run(id, createdAt + i, JSON.stringify(data));
    }
    rebuildProgressSeries(store.db, id);
    store.updateRun(id, {
      progress: { step, total: progressEvents * 10, epoch: null, rate: 12.5, metrics: { loss: 0.5 }, updated_at: now },
    });
  };
  store.db.transaction(() => {
    for (let i = 0; i < runs; i += 1) insert(`seed${String(i).padStart(8, '0')}`, now - (runs - i) * 60_000, i % 2 === 0, 20);
    insert('bigrun000001', now, false, points);
  })();
  store.db.close();
  return { bigRun: 'bigrun000001' };
}
