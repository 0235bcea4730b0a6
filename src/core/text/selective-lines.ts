/**
 * Bytes → only the lines that can matter, with their line numbers. A line reaches the sink when
 * it contains one of the automaton's literals, or when the sink asks for every line (inside a
 * traceback, say). Everything else costs one table lookup per byte and is never decoded, which
 * is how a 1 GB log is read at close to disk speed in bounded memory. A line longer than
 * `maxLineBytes` keeps its first `maxLineBytes`; invalid UTF-8 becomes U+FFFD. Pure: the caller
 * reads the bytes.
 */

import type { Automaton } from './literal-automaton.ts';

export type LineSink = {
  line(text: string, lineNo: number): void;
  /** Asked again after each line the sink receives. */
  wantsEveryLine(): boolean;
};

export class SelectiveLines {
  #automaton: Automaton;
  #sink: LineSink;
  #maxLineBytes: number;
  #decoder = new TextDecoder('utf-8');
  #state = 0;
  #lines = 0;
  #hit = false;
  #everyLine: boolean;
  /** The start of the current line, from earlier chunks (bounded by maxLineBytes). */
  #carry: Uint8Array[] = [];
  #carryBytes = 0;
  #lineOpen = false;

  constructor(automaton: Automaton, sink: LineSink, maxLineBytes = 64 * 1024) {
    this.#automaton = automaton;
    this.#sink = sink;
    this.#maxLineBytes = maxLineBytes;
    this.#everyLine = sink.wantsEveryLine();
  }

  push(chunk: Uint8Array): void {
    const { table, firstSpecial, newline } = this.#automaton;
    const length = chunk.length;
    let state = this.#state;
    let hit = this.#hit;
    let lineStart = 0;
    for (let i = 0; i < length; i += 1) {
      state = table[(state << 8) | (chunk[i] as number)] as number;
      if (state < firstSpecial) continue;
      if (state !== newline) {
        // A literal: the line is wanted whatever follows, so jump to its end.
        hit = true;
        const end = chunk.indexOf(10, i + 1);
        if (end === -1) {
          state = 0;
          break;
        }
        i = end;
        state = newline;
      }
      this.#lines += 1;
      if (hit || this.#everyLine) {
        this.#emit(chunk.subarray(lineStart, i));
        this.#everyLine = this.#sink.wantsEveryLine();
      }
      this.#carry = [];
      this.#carryBytes = 0;
      hit = false;
      lineStart = i + 1;
    }
    if (length > 0) this.#lineOpen = lineStart < length;
    if (lineStart < length) this.#keep(chunk.subarray(lineStart));
    this.#state = state;
    this.#hit = hit;
  }

  /** Delivers a last line without a newline; returns the number of lines in the input. */
  end(): number {
    if (this.#lineOpen) {
      this.#lines += 1;
      if (this.#hit || this.#everyLine) this.#emit(new Uint8Array(0));
      this.#lineOpen = false;
    }
    return this.#lines;
  }

  #keep(bytes: Uint8Array): void {
    const room = this.#maxLineBytes - this.#carryBytes;
    if (room <= 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#carry.push(kept.slice()); // copy: the caller reuses its buffer
    this.#carryBytes += kept.length;
  }

  #emit(tail: Uint8Array): void {
    let bytes = tail;
    if (this.#carry.length > 0) {
      this.#keep(tail);
      bytes = concat(this.#carry, this.#carryBytes);
      this.#carry = [];
      this.#carryBytes = 0;
    } else if (bytes.length > this.#maxLineBytes) bytes = bytes.subarray(0, this.#maxLineBytes);
    this.#sink.line(this.#decoder.decode(bytes), this.#lines);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
