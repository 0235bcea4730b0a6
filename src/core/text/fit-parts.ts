/**
 * A one-line summary made of parts ("step 40/100 · 9.8 it/s · ETA 6s") fitted to a width by
 * leaving out whole parts from the end: a narrow terminal loses the least important parts, never
 * half a word. Widths count UTF-16 units (the parts are vigil's own, plain text).
 */
export function fitParts(prefix: string, parts: readonly string[], separator: string, width: number): string {
  if (prefix.length > width) return '';
  let line = prefix;
  for (const [i, part] of parts.entries()) {
    const next = `${line}${i === 0 ? '' : separator}${part}`;
    if (next.length > width) break;
    line = next;
  }
  return line.trimEnd();
}
