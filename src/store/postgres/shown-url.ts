/** A database URL as messages may show it (no pg client needed to say it). */

/** The URL as it may be shown: its password replaced. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
