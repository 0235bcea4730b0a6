/**
 * vigil's own arguments as bytes. Node decodes argv as UTF-8, so an argument holding other
 * bytes (a Latin-1 file name, say) arrives as U+FFFD; /proc/self/cmdline still has the bytes.
 */

import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';

/**
 * The exact bytes of `words`, the trailing arguments commander handed over (after `--`, or from
 * the first operand on: they are always a suffix of argv). A word whose bytes do not decode to
 * the string given (the command line was rewritten) keeps the string's UTF-8 encoding.
 */
export function exactTrailingWords(words: readonly string[], cmdline: Buffer = readCmdline()): Buffer[] {
  if (words.length === 0) return [];
  const raw = splitNul(cmdline).slice(-words.length);
  const offset = words.length - raw.length;
  return words.map((word, i) => {
    const bytes = raw[i - offset];
    return bytes !== undefined && bytes.toString('utf8') === word ? bytes : Buffer.from(word);
  });
}

/** True when every word is valid UTF-8, i.e. a plain string carries it unchanged. */
export function allUtf8(words: readonly Buffer[]): boolean {
  return words.every((word) => isUtf8(word));
}

function readCmdline(): Buffer {
  try {
    return readFileSync('/proc/self/cmdline');
  } catch {
    return Buffer.alloc(0);
  }
}

function splitNul(bytes: Buffer): Buffer[] {
  const words: Buffer[] = [];
  for (let start = 0, end: number; start < bytes.length; start = end + 1) {
    end = bytes.indexOf(0, start);
    if (end === -1) end = bytes.length;
    words.push(bytes.subarray(start, end));
  }
  return words;
}
