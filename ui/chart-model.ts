/**
 * The loss chart's data, from the series the server sends (pure: no DOM). x is the step; each
 * attempt is its own series (a resumed attempt may go back over steps an earlier one covered), so
 * the points are merged in step order and each series is null where another attempt's point is.
 * Markers given in time (stalls) or without a step are placed at the step reached at that time.
 */

import type { Series } from './types.ts';

export type ChartModel = {
  data: [number[], ...(number | null)[][]];
  attempts: number[];
  restarts: number[];
  stalls: [number, number][];
  nan: number[];
  checkpoints: number[];
};

export function chartModel(series: Series): ChartModel {
  const { step, loss, at, attempt } = series.points;
  const attempts = [...new Set([...series.attempts.map((a) => a.n), ...attempt])].sort((a, b) => a - b);
  const order = step.map((_, i) => i).sort((i, j) => step[i]! - step[j]! || attempt[i]! - attempt[j]!);
  const x = order.map((i) => step[i]!);
  const columns = attempts.map((n) => order.map((i) => (attempt[i] === n ? (loss[i] ?? null) : null)));

  const stepAt = stepLookup(at, step);
  const place = (marker: { at: number | string; step: number | null }) => marker.step ?? stepAt(toMs(marker.at));
  const placed = (values: (number | null)[]) => values.filter((value): value is number => value !== null);
  return {
    data: [x, ...columns],
    attempts,
    restarts: placed(series.markers.restarts.map(place)),
    stalls: series.markers.stalls.flatMap((stall) => {
      const from = stepAt(toMs(stall.from));
      const to = stall.to == null ? (x.at(-1) ?? null) : stepAt(toMs(stall.to));
      return from === null ? [] : [[from, to ?? from] as [number, number]];
    }),
    nan: placed(series.markers.nan.map(place)),
    checkpoints: placed(series.markers.checkpoints.map(place)),
  };
}

/** The step of the last point at or before a time (the first point's step before any). */
function stepLookup(at: readonly number[], step: readonly number[]): (ms: number) => number | null {
  const byTime = at.map((_, i) => i).sort((i, j) => at[i]! - at[j]!);
  return (ms) => {
    if (byTime.length === 0 || Number.isNaN(ms)) return null;
    let low = 0;
    let high = byTime.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (at[byTime[mid]!]! <= ms) low = mid;
      else high = mid - 1;
    }
    return step[byTime[low]!]!;
  };
}

/** Times come as epoch ms; an ISO string is accepted too. */
function toMs(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value);
}
