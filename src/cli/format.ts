/** Small presentation helpers shared by commands. Text from users and jobs goes through `printable`. */

import { formatSize } from '../core/size.ts';
import { printable, truncate } from '../core/text/printable.ts';
import type { StageSnapshot } from '../core/watchdog/stage-counters.ts';
import type { RunStatus } from '../core/run-status.ts';
import type { Colours } from './colours.ts';

export function colourStatus(status: RunStatus, c: Colours): string {
  const paint = { running: c.cyan, succeeded: c.green, failed: c.red, stopped: c.yellow, orphaned: c.magenta, unknown: c.dim }[status];
  return paint(status);
}

/** Printed width of a cell: its colour codes take no room. */
export const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;

/** A last column is never cut narrower than this, however narrow the terminal. */
const MIN_LAST_COLUMN = 20;

/**
 * Left-aligned columns; the last column is left ragged, and cut with an ellipsis where a line
 * would pass `lineWidth` or the cell `lastColumnWidth` (it must hold no colour codes).
 */
export function table(rows: string[][], limits: { lineWidth?: number; lastColumnWidth?: number } = {}): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  const lastStart = widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0);
  const lastWidth = Math.min(
    limits.lastColumnWidth ?? Number.POSITIVE_INFINITY,
    Math.max(MIN_LAST_COLUMN, (limits.lineWidth ?? Number.POSITIVE_INFINITY) - lastStart),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? truncate(cell, lastWidth) : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join('  '),
    )
    .join('\n');
}

/** "decode 1200 (40/s) → crop 800 (30/s) → bridge 0" */
export function formatStages(stages: readonly StageSnapshot[]): string {
  return stages.map((s) => `${printable(s.name)} ${s.total}${s.rate !== null ? ` (${s.rate}/s)` : ''}`).join(' → ');
}

/** Steps per second the way tqdm says it: "9.8 it/s", or "4.2 s/it" when slower than one a second. */
export function formatRate(stepsPerSecond: number): string {
  return stepsPerSecond >= 1 ? `${stepsPerSecond.toFixed(1)} it/s` : `${(1 / stepsPerSecond).toFixed(1)} s/it`;
}

/** A peak memory figure with the measure behind it: "446 MiB (PSS)". */
export function formatPeakMemory(bytes: number, measure: string | null): string {
  const name = { pss: 'PSS', cgroup: 'cgroup', rss: 'RSS sum' }[measure ?? 'rss'] ?? measure;
  return `${formatSize(bytes)} (${name})`;
}
