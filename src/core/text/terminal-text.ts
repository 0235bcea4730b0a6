/** What a terminal shows of a line after `\r` redraws (progress bars): the last non-blank segment. A final `\r\n` is no redraw. */
export function lastVisibleSegment(text: string): string {
  if (!text.includes('\r')) return text;
  const segments = text.split('\r');
  for (let i = segments.length - 1; i >= 0; i -= 1) if ((segments[i] as string).trim() !== '') return segments[i] as string;
  return '';
}
