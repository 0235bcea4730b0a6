/**
 * Text that came from a user or a job (run names, commands, cwd, exception messages, log lines)
 * made safe to print on a terminal: escape sequences (CSI, OSC ended by BEL or ST, DCS/SOS/PM/APC
 * strings, two-byte ESC sequences, their 8-bit C1 forms) are removed, and every other control
 * character is shown as an escape (`\n`, `\t`, `\x1b`, `\u009b`), so what is printed is one
 * line that cannot move the cursor, retitle the window, or hide part of itself.
 */

// ESC [ … final byte, or its 8-bit form CSI (U+009B).
const CSI = String.raw`(?:\x1b\[|\u009b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`;
// OSC, DCS, SOS, PM, APC strings: up to BEL, ST (ESC \ or U+009C), or the end of the text when unterminated.
const STRING = String.raw`(?:\x1b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[^\x07\x1b\u009c]*(?:\x07|\x1b\\|\u009c|$)`;
// Any other ESC sequence: intermediates, then one final byte (ESC 7, ESC ( B, ESC c, …).
const OTHER_ESCAPE = String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`;
const ESCAPE_SEQUENCE = new RegExp(`${STRING}|${CSI}|${OTHER_ESCAPE}`, 'g');

const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\x1b' };

/** `\\xHH` for a C0 control or DEL, `\\uHHHH` above: what both C-like escapes and bash's `$'…'` read back. */
export function hexEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const escapeControl = (char: string): string => NAMED[char] ?? hexEscape(char);

/** Only the escape sequences removed; the other controls (newlines included) kept. */
export function stripEscapeSequences(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '');
}

/** One printable line: escape sequences removed, every other control character shown as an escape. */
export function printable(text: string): string {
  return stripEscapeSequences(text).replace(CONTROL, escapeControl);
}

/**
 * `text` cut to at most `width` characters, the last of them an ellipsis when anything was cut.
 * Counts UTF-16 units: close enough for a column limit, never more than `width`.
 */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 0) return '';
  let end = width - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never half of a surrogate pair
  return `${text.slice(0, end)}…`;
}
