/**
 * The lines of a Python traceback printed into the output (a crash, a caught exception logged):
 * its frames and source listings hold numbers (`File "x.py", line 625`, IPython's `---> 17 loss =
 * step(**batch)`) that are no progress. From its header to the first line that is none of its own.
 */

const HEADER = /Traceback \(most recent call last\)/;
/** Frames, source lines, IPython's `Cell In[12], line 17` and `----> 17` arrows, the carets under an expression, rules. */
const OWN_LINE = /^(?:\s|$|Cell In\[|File [~"/\\\w]|-+>|[\^~]+$|-{5,}$)/;
/** A progress bar's line (`  45%|████▌ | 450/1000 [01:23<01:40, 5.42it/s]`, indented like a source line): never a traceback's. */
const BAR = /\d%\||\dit\/s|\ds\/it/;
/** However a traceback looks, this many lines ends it (a log that never leaves it still gets read). */
const MAX_LINES = 400;

export class TracebackLines {
  #lines: number | null = null;

  /** Whether the line belongs to a traceback (and is to be skipped); `unnumbered`: the line without a number pasted in front. */
  skip(line: string, unnumbered = line): boolean {
    const header = line.includes('Traceback') ? HEADER.exec(line) : null;
    if (header) {
      this.#lines = 0;
      // A progress bar the header was glued to (`33/781 [>…] - loss: 0.79Traceback (most recent call last):`) is still read.
      return !/\d/.test(line.slice(0, header.index));
    }
    if (this.#lines === null) return false;
    this.#lines += 1;
    if (this.#lines <= MAX_LINES && (OWN_LINE.test(line) || OWN_LINE.test(unnumbered)) && !BAR.test(line)) return true;
    this.#lines = null;
    return false;
  }
}
