/**
 * Aho–Corasick over bytes, compiled to a full DFA: one table lookup per byte finds every line
 * that contains any of a set of ASCII literals, case-insensitively. This is what lets `vigil
 * explain` prefilter a gigabyte at hundreds of MB/s in plain JavaScript, where a regex
 * alternation of a hundred patterns tries each of them at every position.
 *
 * States are numbered so that the two the scanner must react to, "a literal ended here" and
 * "a newline", sit at or above `firstSpecial`: the hot loop tests one comparison per byte.
 */

import { foldChar } from './required-literals.ts';

export type Automaton = {
  /** `table[(state << 8) | byte]` is the next state. */
  readonly table: Uint16Array | Uint32Array;
  /** States ≥ this are `hit` states or `newline`. */
  readonly firstSpecial: number;
  readonly newline: number;
};

export function compileLiterals(literals: readonly string[]): Automaton {
  const folded = [...new Set(literals.map(foldLiteral))].filter((l) => l.length > 0);
  // A literal that contains another one can never be the first to match on its line: drop it.
  const minimal = folded.filter((l) => !containsAnother(l, folded));

  // The trie, then failure links in breadth-first order (classic Aho–Corasick).
  const children: Map<number, number>[] = [new Map()];
  const terminal: boolean[] = [false];
  for (const literal of minimal) {
    let state = 0;
    for (let i = 0; i < literal.length; i += 1) {
      const byte = literal.charCodeAt(i);
      let next = (children[state] as Map<number, number>).get(byte);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        terminal.push(false);
        (children[state] as Map<number, number>).set(byte, next);
      }
      state = next;
    }
    terminal[state] = true;
  }
  const count = children.length + 1; // + the newline state
  const delta = new Int32Array(count * 256);
  const fail = new Int32Array(count);
  const order: number[] = [0];
  for (let head = 0; head < order.length; head += 1) {
    const state = order[head] as number;
    // Where the trie has no edge, go where the failure state goes: its whole row at once (a copy,
    // not 256 lookups per state: compiling the diagnosis prefilter is on the path of a restart).
    if (state !== 0) delta.copyWithin(state * 256, (fail[state] as number) * 256, (fail[state] as number) * 256 + 256);
    for (const [byte, child] of [...(children[state] as Map<number, number>)].sort((a, b) => a[0] - b[0])) {
      const viaFail = state === 0 ? 0 : (delta[(fail[state] as number) * 256 + byte] as number);
      delta[state * 256 + byte] = child;
      fail[child] = viaFail;
      if (terminal[viaFail]) terminal[child] = true;
      order.push(child);
    }
  }

  // Renumber: ordinary states first, then hits, then the newline state.
  const newlineOld = children.length;
  const ordinary = order.filter((s) => !terminal[s]);
  const hits = order.filter((s) => terminal[s]);
  const renumber = new Int32Array(count);
  [...ordinary, ...hits, newlineOld].forEach((old, index) => (renumber[old] = index));
  // Each row is the delta row of the state renumbered, then the folded bytes patched in: copies
  // and one tight loop rather than a lookup per (state, byte), as this runs once per process.
  for (let i = 0; i < delta.length; i += 1) delta[i] = renumber[delta[i] as number] as number;
  const table = count < 0x10000 ? new Uint16Array(count * 256) : new Uint32Array(count * 256);
  const newline = renumber[newlineOld] as number;
  for (let old = 0; old < count; old += 1) {
    const from = old === newlineOld ? 0 : old; // after a newline, start over
    const row = (renumber[old] as number) << 8;
    table.set(delta.subarray(from * 256, from * 256 + 256), row);
    for (const byte of UNFOLDED_BYTES) table[row | byte] = table[row | (FOLDED_BYTE[byte] as number)] as number;
    table[row | 10] = newline;
  }
  return { table, firstSpecial: ordinary.length, newline: count - 1 };
}

/**
 * Whether a line already decoded contains one of the automaton's literals: the same table walked
 * over its characters, each beyond ASCII as its UTF-8 bytes (the bytes the literals hold).
 */
export function lineHasLiteral(automaton: Automaton, text: string): boolean {
  const { table, firstSpecial, newline } = automaton;
  let state = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.codePointAt(i) as number;
    if (code < 0x80) state = table[(state << 8) | code] as number;
    else {
      if (code > 0xffff) i += 1; // the second half of a surrogate pair
      const bytes = utf8Length(code);
      // Lead byte, then continuation bytes 10xxxxxx, most significant bits first.
      state = table[(state << 8) | (((0xf00 >> bytes) & 0xff) | (code >> (6 * (bytes - 1))))] as number;
      for (let k = bytes - 2; k >= 0 && state < firstSpecial; k -= 1)
        state = table[(state << 8) | (0x80 | ((code >> (6 * k)) & 0x3f))] as number;
    }
    if (state >= firstSpecial && state !== newline) return true;
  }
  return false;
}

const utf8Length = (code: number) => (code < 0x800 ? 2 : code < 0x10000 ? 3 : 4);

/** Folds a literal's ASCII; characters 0x80–0xff are bytes of a UTF-8 sequence (requiredLiterals) and stay. */
function foldLiteral(literal: string): string {
  let out = '';
  for (const char of literal) {
    const code = char.charCodeAt(0);
    const folded = code >= 0x80 && code <= 0xff ? char : foldChar(char);
    if (folded === null) throw new Error(`literal ${JSON.stringify(literal)} is not ASCII`);
    out += folded;
  }
  return out;
}

/** Whether `literal` contains one of the others (plain loops: this runs on a restart's path, interpreted). */
function containsAnother(literal: string, all: readonly string[]): boolean {
  for (let i = 0; i < all.length; i += 1) {
    const other = all[i] as string;
    if (other.length <= literal.length && other !== literal && literal.includes(other)) return true;
  }
  return false;
}

/** foldChar for every byte value (bytes above ASCII are left as they are). */
const FOLDED_BYTE = Uint8Array.from({ length: 256 }, (_, byte) =>
  byte < 0x80 ? (foldChar(String.fromCharCode(byte)) as string).charCodeAt(0) : byte,
);
/** The bytes that fold to another one (upper case, `\r`): the table reads them as their fold. */
const UNFOLDED_BYTES = Array.from({ length: 256 }, (_, byte) => byte).filter((byte) => FOLDED_BYTE[byte] !== byte);
