/** What a terminal shows of a line after `\r` redraws (progress bars): the last non-blank segment. A final `\r\n` is no redraw. */
export function lastVisibleSegment(text: string): string {
  if (!text.includes('\r')) return text;
  const segments = text.split('\r');
  for (let i = segments.length - 1; i >= 0; i -= 1) if ((segments[i] as string).trim() !== '') return segments[i] as string;
  return '';
}

const CARRIAGE_RETURN = 0x0d;
const isBlankByte = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/** lastVisibleSegment over a line's bytes, so only the segment that matters is ever decoded. */
export function lastVisibleSegmentOf(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0) {
    const start = bytes.lastIndexOf(CARRIAGE_RETURN, end - 1) + 1;
    for (let i = start; i < end; i += 1) if (!isBlankByte(bytes[i] as number)) return bytes.subarray(start, end);
    end = start - 1;
  }
  return bytes.subarray(0, 0);
}
