/**
 * The loss curve kept for charts (src/store/progress-series.ts), on a real SQLite file: progress
 * events feed it as they are stored; a chart reads at most about two points a pixel with every
 * spike; building it again from the events gives the same rows; gaps (NaN) stay out of buckets.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { readProgressSeries, rebuildProgressSeries } from '../../src/store/progress-series.ts';
import { RunStore } from '../../src/store/runs.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

const home = mkdtempSync(join(tmpdir(), 'vigil-series-'));
after(() => rmSync(home, { recursive: true, force: true }));

function storeWithRun(points: number, lossAt: (i: number) => number | string) {
  const store = new RunStore(openDatabase(join(home, `${points}-${Math.random()}.db`), { readonly: false }));
  const run = runRecord(home, { id: 'r1' });
  store.insertRun(run);
  store.insertAttempt(attemptRecord(run, { n: 1 }));
  store.db.transaction(() => {
    for (let i = 0; i < points; i += 1)
      store.addEvent({ runId: 'r1', attempt: 1, at: 1000 + i, kind: 'progress', data: { step: i * 3, metrics: { loss: lossAt(i) } } });
  })();
  return store;
}

const rows = (store: RunStore, table: string) => store.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`).all();

test('a long curve is read as at most two points a pixel, with its highest and lowest loss', () => {
  const store = storeWithRun(20_000, (i) => (i === 12_345 ? 99 : i === 77 ? -5 : 1 + ((i * 7919) % 1000) / 1e6));
  const series = readProgressSeries(store.db, 'r1', 200, null);
  assert.ok(series);
  assert.equal(series.total, 20_000);
  assert.ok(series.points.length <= 400, `${series.points.length} points`);
  assert.ok(series.points.some((p) => p.loss === 99 && p.step === 12_345 * 3));
  assert.ok(series.points.some((p) => p.loss === -5 && p.step === 77 * 3));
  const zoomed = readProgressSeries(store.db, 'r1', 200, { from: 300, to: 600 });
  assert.equal(zoomed?.points.length, 101, 'a narrow range: every point');
});

test('building the kept curve again from the events gives the same rows', () => {
  const store = storeWithRun(3000, (i) => (i % 100 === 0 ? 'NaN' : Math.sin(i / 17) + i / 1e4));
  const [points, buckets] = [rows(store, 'progress_points'), rows(store, 'progress_buckets')];
  assert.ok(buckets.length > 0);
  assert.ok(
    (points as { loss: number | null }[]).some((p) => p.loss === null),
    'NaN kept as a gap',
  );
  rebuildProgressSeries(store.db, 'r1');
  assert.deepEqual(rows(store, 'progress_points'), points);
  assert.deepEqual(rows(store, 'progress_buckets'), buckets);
});

test('a run with no kept curve answers null (its reader falls back to the events)', () => {
  const store = storeWithRun(0, () => 1);
  assert.equal(readProgressSeries(store.db, 'r1', 100, null), null);
});
