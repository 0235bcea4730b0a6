/**
 * Line numbers pasted in front of a log (`123: …`, `  123 | …`, `123\t…`): read as counters they
 * would be the fastest-advancing field of all. They are told from a counter the job prints
 * (catboost's `20:`, darknet's `4:`) by running on across lines of different shapes: once two
 * consecutive lines are numbered n, n+1 and say different kinds of things, the numbers are
 * stripped for as long as they keep counting up by one. A number that two lines in a row share is
 * no line number: the job prefixes its own counter (`25000: saving model`, `25000: total loss 4.8`),
 * and its lines are never read as numbered again.
 */

const NUMBERED = /^\s*(\d+)(?:\s*[:|]\s?|\t| )(.*)$/s;
/**
 * What a line says, without its numbers: a duration printed in one unit or two (`12m`, `11m 59s`, `1m:1s`, `733ms`) is one number,
 * and so is a negative one, NaN or Inf (a table's loss column going from `nan` to `-4.05`).
 */
const shapeOf = (text: string) =>
  text
    .replace(/-?\d+(?:\.\d+)?(?:[a-zµ]{1,3}\b)?|(?<![\w.])-?(?:nan|inf(?:inity)?)\b/gi, '#')
    .replace(/#(?:(?:\s+|:)#)+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Two shapes of one kind of line: the same; opening on the same key and its value, whatever free text follows (`0 loss:
 * 2.35 Prediction: uuu`, `1 loss: 2.21 Prediction: yy you`: a job's own counted report); or one word apart (a table's
 * `Best` column going from `yes` to `no` under a counted `Epoch` column is still its row).
 */
function sameKind(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [a.split(' '), b.split(' ')];
  if (x[1] === '#' && y[1] === '#' && x[0] === y[0] && /^[A-Za-z_]\w*[:=]?$/.test(x[0] as string)) return true;
  if (x.length !== y.length) return false;
  let apart = 0;
  for (let i = 0; i < x.length && apart < 2; i += 1)
    if (x[i] !== y[i]) apart += /^[A-Za-z]+$/.test(x[i] as string) && /^[A-Za-z]+$/.test(y[i] as string) ? 1 : 2;
  return apart === 1;
}

export class PastedLineNumbers {
  #last: { number: number; shape: string } | null = null;
  #on = false;
  #previous: number | null = null;
  /** Two lines in a row had the same number: the job's own counter. */
  #counterOfTheJob = false;

  /** Whether numbering is recognised now: the lines read before it counted line numbers, not steps. */
  get recognised(): boolean {
    return this.#on;
  }

  /** The number pasted in front of the line before the last one read (a step read from it was a line number), or null. */
  get previousNumber(): number | null {
    return this.#previous;
  }

  /** The line without its pasted number, once numbering is recognised. */
  strip(line: string): string {
    const match = NUMBERED.exec(line);
    if (!match) {
      this.#last = null;
      this.#on = false;
      return line;
    }
    const number = Number(match[1]);
    const rest = match[2] as string;
    const shape = shapeOf(rest);
    if (this.#last !== null && number === this.#last.number) this.#counterOfTheJob = true;
    const follows = this.#last !== null && number === this.#last.number + 1 && !this.#counterOfTheJob;
    this.#on = follows && (this.#on || !sameKind(shape, (this.#last as { shape: string }).shape));
    this.#previous = this.#last?.number ?? null;
    this.#last = { number, shape };
    return this.#on ? rest : line;
  }
}
