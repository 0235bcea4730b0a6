/** Numbers and times as people read them. */

/** 45s, 12m 5s, 3h 20m, 2d 4h: the two largest units. */
export function duration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function eta(seconds: number | null | undefined): string {
  return seconds == null ? '—' : duration(seconds * 1000);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function bytes(n: number | null | undefined): string {
  if (n == null) return '—';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** 0.0123, 1.235, 12.3, 1234: four significant digits at most, no exponent for common values. */
export function num(value: number | string | null | undefined): string {
  if (value == null) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? String(Number(value.toPrecision(4))) : value.toExponential(2);
}

export function rate(stepsPerSecond: number | null | undefined): string {
  if (stepsPerSecond == null) return '—';
  return stepsPerSecond >= 1 ? `${num(stepsPerSecond)} steps/s` : `${num(60 * stepsPerSecond)} steps/min`;
}

/** A local time, with the date only when it is not today. */
export function when(iso: string | number | null | undefined): string {
  if (iso == null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const time = date.toLocaleTimeString('en-GB', { hour12: false });
  return date.toDateString() === new Date().toDateString() ? time : `${date.toISOString().slice(0, 10)} ${time}`;
}

/** A command line, each word quoted when it needs to be (for reading and copying). */
export function commandLine(words: readonly string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export function runLabel(run: { id: string; name: string | null }): string {
  return run.name ? `${run.name} (${run.id})` : run.id;
}
