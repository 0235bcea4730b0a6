/**
 * A loss curve of any length drawn with at most about two points per pixel: per attempt, the
 * points of each step bucket (the step range cut into `width` equal parts) are replaced by the
 * bucket's lowest and highest loss, in the order they came (min/max per pixel column, which keeps
 * every spike a plot of all points would show). Points without a finite loss keep their bucket's
 * place as a gap. Pure: the server feeds it rows as read.
 */

export type SeriesPoint = { step: number; loss: number | null; at: number; attempt: number };

export type StepRange = { from: number; to: number };

export function downsample(points: readonly SeriesPoint[], width: number, range: StepRange | null = null): SeriesPoint[] {
  const inRange = range ? points.filter((p) => p.step >= range.from && p.step <= range.to) : points;
  const buckets = Math.max(1, Math.floor(width));
  if (inRange.length <= 2 * buckets) return [...inRange];
  let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const p of inRange) [low, high] = [Math.min(low, p.step), Math.max(high, p.step)];
  const span = Math.max(1, high - low);
  const bucketOf = (step: number) => Math.min(buckets - 1, Math.floor(((step - low) / span) * buckets));
  const kept: SeriesPoint[] = [];
  let current: { attempt: number; bucket: number; min: SeriesPoint | null; max: SeriesPoint | null; gap: SeriesPoint | null } | null = null;
  const flush = () => {
    if (!current) return;
    const { min, max, gap } = current;
    if (min && max) kept.push(...(min === max ? [min] : min.at <= max.at ? [min, max] : [max, min]));
    else if (gap) kept.push(gap);
  };
  for (const p of inRange) {
    const bucket = bucketOf(p.step);
    if (!current || current.attempt !== p.attempt || current.bucket !== bucket) {
      flush();
      current = { attempt: p.attempt, bucket, min: null, max: null, gap: null };
    }
    if (p.loss === null) current.gap ??= p;
    else {
      if (current.min === null || p.loss < (current.min.loss as number)) current.min = p;
      if (current.max === null || p.loss > (current.max.loss as number)) current.max = p;
    }
  }
  flush();
  return kept;
}
