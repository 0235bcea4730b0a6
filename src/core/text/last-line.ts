/**
 * The last line a stream showed that is not blank, from its last few kilobytes: where a log that
 * ends without an error stopped. Bounded: it keeps `maxBytes` of the stream, whatever its size.
 * Pure: the caller reads the bytes.
 */

const DEFAULT_MAX_BYTES = 4096;

/** The line, and how many lines (blank ones) came after it. */
export type LastLine = { text: string; linesAfter: number };

export class LastLineTracker {
  #maxBytes: number;
  #tail = new Uint8Array(0);

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.#maxBytes = maxBytes;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length >= this.#maxBytes) {
      this.#tail = bytes.slice(bytes.length - this.#maxBytes); // copy: the caller reuses its buffer
      return;
    }
    const kept = Math.min(this.#tail.length, this.#maxBytes - bytes.length);
    const tail = new Uint8Array(kept + bytes.length);
    tail.set(this.#tail.subarray(this.#tail.length - kept));
    tail.set(bytes, kept);
    this.#tail = tail;
  }

  /** Null when every line kept is blank. `visible` turns a raw line into what a terminal shows. */
  last(visible: (raw: string) => string): LastLine | null {
    const lines = new TextDecoder('utf-8').decode(this.#tail).split('\n');
    if (lines.at(-1) === '') lines.pop(); // the stream's final newline ends the last line; no line follows it
    for (let i = lines.length - 1, after = 0; i >= 0; i -= 1, after += 1) {
      const text = visible(lines[i] as string).trim();
      // The first line kept may be the end of a longer one (or a cut character): still where it stopped.
      if (text !== '') return { text: text.replace(/^\uFFFD+/, ''), linesAfter: after };
    }
    return null;
  }
}
