/** One JSON object per line over a stream (the daemon's socket): each object parsed, other lines ignored. */

import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

export function onJsonLines(input: Readable, onObject: (object: Record<string, unknown>) => void): void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) onObject(parsed as Record<string, unknown>);
  });
  lines.on('error', () => undefined);
}
