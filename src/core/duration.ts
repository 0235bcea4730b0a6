/** Durations as users type them ("30s", "5m", "1h30m", "250ms", a few bare seconds) and as people read them. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const EXACT_UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * A bare number is seconds, but only up to this: `--stop-timeout 30000` was surely meant as
 * milliseconds, and as seconds it would be 8 hours. Above it a unit is required.
 */
export const MAX_BARE_SECONDS = 999;

export const DURATION_SYNTAX = `a number with a unit (250ms, 30s, 5m, 1h30m, 2d), or bare seconds up to ${MAX_BARE_SECONDS}`;

export type ParsedDuration = { ms: number } | { error: string };

/** Parses "1h30m", "90s", "250ms" or a bare number of seconds (at most MAX_BARE_SECONDS). */
export function parseDuration(text: string): ParsedDuration {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed) * 1000);
    if (Number(trimmed) <= MAX_BARE_SECONDS) return { ms };
    return {
      error: `a bare number is seconds, so ${trimmed} would be ${formatDuration(ms)}: write ${durationText(ms)}, or ${trimmed}ms if milliseconds were meant`,
    };
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = part.lastIndex;
  }
  if (consumed > 0 && consumed === trimmed.length) return { ms: Math.round(total) };
  return { error: `expected a duration: ${DURATION_SYNTAX}` };
}

/** A duration the way it is typed, exactly: 30000 → "30s", 5400000 → "1h30m", 250 → "250ms"; Infinity → "off". */
export function durationText(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return 'off';
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of EXACT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}

/** "3h12m", "4m05s", "12.3s", "850ms": short and readable, precision falling with size. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours >= 24) return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
