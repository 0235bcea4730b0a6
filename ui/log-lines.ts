/**
 * The log as lines for the viewer (pure). Text arrives in chunks that may cut a line, so the last
 * line stays open until its newline comes. The DOM is capped: the oldest lines beyond MAX_LINES
 * are dropped and counted. A line shows what a terminal would: the text after its last carriage
 * return (progress bars redraw with \r), without colour codes.
 */

export const MAX_LINES = 5000;

export type LogLines = { lines: string[]; open: string; dropped: number };

export const EMPTY: LogLines = { lines: [], open: '', dropped: 0 };

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function displayText(raw: string): string {
  const cr = raw.lastIndexOf('\r', raw.length - 2);
  return (cr >= 0 ? raw.slice(cr + 1) : raw).replace(ANSI, '').replace(/\r$/, '');
}

/** `log` with `text` appended (the server starts a cut tail at a line start). */
export function appendText(log: LogLines, text: string): LogLines {
  const pieces = (log.open + text).split('\n');
  const open = pieces.pop() ?? '';
  const lines = pieces.length ? [...log.lines, ...pieces.map(displayText)] : log.lines;
  const excess = Math.max(0, lines.length - MAX_LINES);
  return { lines: excess ? lines.slice(excess) : lines, open, dropped: log.dropped + excess };
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
