/**
 * An argv as a shell command a person can read and paste back. Plain words stay bare, others
 * are single-quoted; a word holding control characters (a newline, an ESC) is written in
 * ANSI-C quoting (`$'a\nb'`, bash/zsh/ksh), so the line stays one printable line and still
 * means exactly that argv.
 */

import { hexEscape } from './printable.ts';

const PLAIN = /^[\w@%+=:,./-]+$/;
const HAS_CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const ANSI_C_SPECIAL = /[\\'\x00-\x1f\x7f-\x9f]/g;
const ANSI_C_NAMED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

const ansiC = (char: string): string => ANSI_C_NAMED[char] ?? hexEscape(char);

export function shellQuoteWord(word: string): string {
  if (PLAIN.test(word)) return word;
  if (HAS_CONTROL.test(word)) return `$'${word.replace(ANSI_C_SPECIAL, ansiC)}'`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellQuote(argv: readonly string[]): string {
  return argv.map(shellQuoteWord).join(' ');
}
