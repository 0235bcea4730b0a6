/**
 * Bytes → lines, in bounded memory: a line longer than `maxLineBytes` keeps its first
 * `maxLineBytes` bytes and the rest is skipped up to the next newline. Invalid UTF-8 becomes
 * U+FFFD, never an error. Pure: the caller reads the bytes.
 */

export class LineSplitter {
  #decoder = new TextDecoder('utf-8');
  #partial: Uint8Array[] = [];
  #partialBytes = 0;
  #maxLineBytes: number;
  #emit: (line: string) => void;

  constructor(emit: (line: string) => void, maxLineBytes = 64 * 1024) {
    this.#emit = emit;
    this.#maxLineBytes = maxLineBytes;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.#keep(chunk.subarray(start, newline));
      this.#flushLine();
      start = newline + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
  }

  /** Emits the last line if the input did not end with a newline. */
  end(): void {
    if (this.#partial.length > 0) this.#flushLine();
  }

  #keep(bytes: Uint8Array): void {
    const room = this.#maxLineBytes - this.#partialBytes;
    if (room <= 0 || bytes.length === 0) {
      if (this.#partial.length === 0) this.#partial.push(new Uint8Array(0)); // remember that a line is open
      return;
    }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#partial.push(kept.slice()); // copy: the caller reuses its buffer
    this.#partialBytes += kept.length;
  }

  #flushLine(): void {
    const bytes = this.#partial.length === 1 ? (this.#partial[0] as Uint8Array) : concat(this.#partial, this.#partialBytes);
    this.#partial = [];
    this.#partialBytes = 0;
    this.#emit(this.#decoder.decode(bytes));
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
