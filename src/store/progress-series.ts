/**
 * A run's loss curve, kept for charts as its progress is stored: every point (progress_points)
 * and, per level, each step bucket's lowest and highest loss (progress_buckets; levels in
 * core/web/series-levels.ts). A chart of a run with a million points then reads about two rows a
 * pixel instead of the million. Runs recorded before these tables existed have no rows here: their
 * readers fall back to the progress events.
 */

import { bucketOf, bucketWidth, levelFor, SERIES_LEVELS } from '../core/web/series-levels.ts';
import type { SeriesPoint, StepRange } from '../core/web/downsample.ts';
import type Database from 'better-sqlite3';
import type { Db } from './database.ts';

export type ProgressPoint = { runId: string; attempt: number; at: number; step: number; loss: number | null };

type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db, { point: Statement; bucket: Statement }>();

function prepared(db: Db) {
  let found = statements.get(db);
  if (!found) {
    found = {
      point: db.prepare('INSERT OR IGNORE INTO progress_points (run_id, attempt, step, at, loss) VALUES (?, ?, ?, ?, ?)'),
      bucket: db.prepare(
        `INSERT INTO progress_buckets (run_id, attempt, level, bucket, min_step, min_loss, min_at, max_step, max_loss, max_at, points)
         VALUES (@runId, @attempt, @level, @bucket, @step, @loss, @at, @step, @loss, @at, 1)
         ON CONFLICT (run_id, level, attempt, bucket) DO UPDATE SET
           points   = points + 1,
           min_step = CASE WHEN excluded.min_loss < min_loss THEN excluded.min_step ELSE min_step END,
           min_at   = CASE WHEN excluded.min_loss < min_loss THEN excluded.min_at ELSE min_at END,
           min_loss = min(min_loss, excluded.min_loss),
           max_step = CASE WHEN excluded.max_loss > max_loss THEN excluded.max_step ELSE max_step END,
           max_at   = CASE WHEN excluded.max_loss > max_loss THEN excluded.max_at ELSE max_at END,
           max_loss = max(max_loss, excluded.max_loss)`,
      ),
    };
    statements.set(db, found);
  }
  return found;
}

/** The steps a run's kept curve covers and how many finite points it has, from the attempts' ends of the index and the top level's buckets; null when none is kept. */
function spanOf(db: Db, runId: string): { from: number; to: number; points: number } | null {
  const attempts = db
    .prepare('SELECT attempt, points FROM progress_buckets WHERE run_id = ? AND level = ?')
    .raw()
    .all(runId, SERIES_LEVELS) as [number, number][];
  const first = db.prepare('SELECT step FROM progress_points WHERE run_id = ? AND attempt = ? ORDER BY step LIMIT 1').pluck();
  const last = db.prepare('SELECT step FROM progress_points WHERE run_id = ? AND attempt = ? ORDER BY step DESC LIMIT 1').pluck();
  let span: { from: number; to: number; points: number } | null = null;
  for (const [attempt, points] of attempts) {
    const [from, to] = [first.get(runId, attempt) as number, last.get(runId, attempt) as number];
    span = span ? { from: Math.min(span.from, from), to: Math.max(span.to, to), points: span.points + points } : { from, to, points };
  }
  return span;
}

/** Called in the transaction that stores the progress event. */
export function recordProgressPoint(db: Db, point: ProgressPoint): void {
  const { point: insertPoint, bucket } = prepared(db);
  insertPoint.run(point.runId, point.attempt, point.step, point.at, point.loss);
  if (point.loss === null) return; // a gap: the buckets hold finite losses only
  for (let level = 1; level <= SERIES_LEVELS; level += 1) bucket.run({ ...point, level, bucket: bucketOf(point.step, level) });
}

/** The curve over `range` (all of it when null) for a chart `width` pixels wide; null when the run has no points kept. */
export function readProgressSeries(
  db: Db,
  runId: string,
  width: number,
  range: StepRange | null,
): { points: SeriesPoint[]; total: number } | null {
  const span = spanOf(db, runId);
  if (span === null) return null;
  const [from, to] = range ? [range.from, range.to] : [span.from, span.to];
  const level = levelFor(from, to, width);
  const total = span.points;
  if (level === 0) {
    const points = db
      .prepare('SELECT step, loss, at, attempt FROM progress_points WHERE run_id = ? AND step BETWEEN ? AND ? ORDER BY attempt, step, at')
      .all(runId, from, to) as SeriesPoint[];
    return { points: points.sort((a, b) => a.at - b.at), total };
  }
  const rows = db
    .prepare(
      `SELECT attempt, min_step, min_loss, min_at, max_step, max_loss, max_at FROM progress_buckets
        WHERE run_id = ? AND level = ? AND bucket BETWEEN ? AND ? ORDER BY attempt, bucket`,
    )
    .raw()
    .all(runId, level, bucketOf(from, level), bucketOf(to, level)) as number[][];
  const points: SeriesPoint[] = [];
  for (const [attempt, minStep, minLoss, minAt, maxStep, maxLoss, maxAt] of rows as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ][]) {
    const low = { attempt, step: minStep, loss: minLoss, at: minAt };
    const high = { attempt, step: maxStep, loss: maxLoss, at: maxAt };
    points.push(...(minAt === maxAt && minStep === maxStep ? [low] : minAt <= maxAt ? [low, high] : [high, low]));
  }
  return { points: points.sort((a, b) => a.at - b.at), total };
}

/**
 * Builds a run's kept curve again from its progress events, in a few set operations (what
 * recordProgressPoint does point by point): for runs recorded before the tables existed, and to
 * fill a large history at once.
 */
export function rebuildProgressSeries(db: Db, runId: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM progress_points WHERE run_id = ?').run(runId);
    db.prepare('DELETE FROM progress_buckets WHERE run_id = ?').run(runId);
    db.prepare(
      `INSERT OR IGNORE INTO progress_points (run_id, attempt, step, at, loss)
       SELECT run_id, coalesce(attempt, 1), json_extract(data, '$.step'), at,
              CASE WHEN json_type(data, '$.metrics.loss') IN ('integer', 'real') THEN json_extract(data, '$.metrics.loss') END
         FROM events WHERE run_id = ? AND kind = 'progress' AND json_type(data, '$.step') IN ('integer', 'real')`,
    ).run(runId);
    const side = (pick: 'min' | 'max', width: number) =>
      `SELECT attempt, CAST(step / ${width} AS INTEGER) AS bucket, step, ${pick}(loss) AS loss, at, count(*) AS points
         FROM progress_points WHERE run_id = @runId AND loss IS NOT NULL GROUP BY attempt, bucket`;
    for (let level = 1; level <= SERIES_LEVELS; level += 1) {
      const width = bucketWidth(level);
      db.prepare(
        `INSERT INTO progress_buckets (run_id, attempt, level, bucket, min_step, min_loss, min_at, max_step, max_loss, max_at, points)
         SELECT @runId, low.attempt, @level, low.bucket, low.step, low.loss, low.at, high.step, high.loss, high.at, low.points
           FROM (${side('min', width)}) AS low JOIN (${side('max', width)}) AS high USING (attempt, bucket)`,
      ).run({ runId, level });
    }
  })();
}
