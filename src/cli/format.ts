/** Small presentation helpers shared by commands. */

import pc from 'picocolors';
import { formatSize } from '../core/size.ts';
import type { StageSnapshot } from '../core/watchdog/stage-counters.ts';
import type { RunStatus } from '../core/run-status.ts';

export function colourStatus(status: RunStatus): string {
  const paint = { running: pc.cyan, succeeded: pc.green, failed: pc.red, stopped: pc.yellow, orphaned: pc.magenta, unknown: pc.dim }[
    status
  ];
  return paint(status);
}

/** Left-aligned columns; the last column is left ragged. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell)))).join('  '))
    .join('\n');
}

export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** "decode 1200 (40/s) → crop 800 (30/s) → bridge 0" */
export function formatStages(stages: readonly StageSnapshot[]): string {
  return stages.map((s) => `${s.name} ${s.total}${s.rate !== null ? ` (${s.rate}/s)` : ''}`).join(' → ');
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
