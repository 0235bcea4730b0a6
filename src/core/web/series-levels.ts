/**
 * The levels of a loss curve kept summarised as it is written (store/progress-series.ts): at level
 * L the steps fall in buckets 4^L wide, each holding its lowest and highest loss. A chart `width`
 * pixels wide over a span of steps reads the finest level that has at most `width` buckets there:
 * at most two points a pixel, whatever the run's length. Pure.
 */

export const SERIES_LEVELS = 15;
export const BUCKET_BASE = 4;

export const bucketWidth = (level: number): number => BUCKET_BASE ** level;

export const bucketOf = (step: number, level: number): number => Math.floor(step / bucketWidth(level));

/** The finest level with at most `width` buckets over [from, to]; 0 means the points themselves are few enough. */
export function levelFor(from: number, to: number, width: number): number {
  const span = Math.max(0, to - from);
  if (span <= 2 * width) return 0;
  for (let level = 1; level <= SERIES_LEVELS; level += 1) if (span / bucketWidth(level) <= width) return level;
  return SERIES_LEVELS;
}
