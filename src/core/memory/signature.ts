/**
 * A failure's signature: what makes two failures "the same one again" whatever the run — its
 * category, the final exception with the parts that vary from run to run (sizes, numbers, ids,
 * temporary paths) replaced by placeholders, and the innermost user frame (file and function: a
 * line number moves with every edit). Pure.
 */

import type { Category } from '../diagnosis/categories.ts';
import { lastPathPart } from '../text/last-path-part.ts';

/** The parts of a Diagnosis (src/core/diagnosis/diagnose.ts) a signature is made of. */
export type SignatureInput = {
  category: Category | string;
  exception: { type: string; message: string } | null;
  where: { file: string; function: string } | null;
};

export type Signature = {
  /** Equal keys: the same failure. */
  key: string;
  /** Eight hex digits of the key: short enough to name it in a line. */
  id: string;
  category: string;
  /** `Type: normalised message`, null when no exception was found. */
  exception: string | null;
  /** `file.py:function`, null when no user frame was found. */
  frame: string | null;
};

const MAX_MESSAGE_CHARS = 300;

// Order matters: a size before its number, a path or a quoted name before the numbers inside it.
const SIZE = /(?<![\w.])\d+(?:\.\d+)?\s*(?:[KMGTPE]i?B|bytes?|B)\b/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_PREFIXED = /\b0x[0-9a-f]+\b/gi;
// A long run of hex digits with at least one digit and one letter: a hash, an address, an id.
const HEX_ID = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const PATH = /(?:~|\.{1,2})?(?:\/[\w.+@=-]+)+\/?/g;
const QUOTED = /(['"`])([^'"`\s]{1,200})\1/g;
const SHAPE = /(?<![\w.])\d+(?:x\d+)+(?![\w.])/g;
// A number not glued to a word before it: `layer_12`, `cuda:0`, `64` go; `mat1`, `float16`, `conv2d` stay.
const NUMBER = /(?<![A-Za-z\d.<])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\d>])/gi;
// A path segment with letters and digits mixed, as temporary names are (tmpab12cd, run-3f9k2).
const RANDOM_SEGMENT = /^(?=.*\d)(?=.*[a-z])[\w-]{6,}$/i;

/** Digits in a path's segments, and random-looking segments, replaced: `/tmp/tmp8k2j1q/shard-00017.tar` → `/tmp/<id>/shard-<n>.tar`. */
function normalisePath(path: string): string {
  return path
    .split('/')
    .map((segment, i, all) => {
      const isLast = i === all.length - 1;
      const stem = isLast ? segment.replace(/\.[A-Za-z]\w*$/, '') : segment;
      if (!isLast && RANDOM_SEGMENT.test(stem) && !/^[a-z]+[-_]?\d+$/i.test(stem)) return '<id>';
      return segment.replace(/\d+/g, '<n>');
    })
    .join('/');
}

/** The words of a message kept; what varies between occurrences of the same failure replaced by placeholders. */
export function normaliseMessage(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine
    .replace(SIZE, '<size>')
    .replace(UUID, '<id>')
    .replace(SHAPE, (shape) => shape.replace(/\d+/g, '<n>')) // before hex: a shape 0x512 is no address
    .replace(HEX_PREFIXED, '<hex>')
    .replace(HEX_ID, '<hex>')
    .replace(PATH, normalisePath)
    .replace(QUOTED, (_whole, quote: string, inner: string) => `${quote}${inner.replace(/\d+/g, '<n>')}${quote}`)
    .replace(NUMBER, '<n>')
    .slice(0, MAX_MESSAGE_CHARS);
}

/** FNV-1a, 32 bits: a stable short name for a key (not a security measure). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function failureSignature(diagnosis: SignatureInput): Signature {
  const exception = diagnosis.exception ? `${diagnosis.exception.type}: ${normaliseMessage(diagnosis.exception.message)}` : null;
  const frame = diagnosis.where ? `${lastPathPart(diagnosis.where.file)}:${diagnosis.where.function}` : null;
  const key = [diagnosis.category, exception ?? '-', frame ?? '-'].join(' | ');
  return { key, id: shortHash(key), category: diagnosis.category, exception, frame };
}
