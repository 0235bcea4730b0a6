/**
 * The literals a regular expression cannot match without: `requiredLiterals(/CUDA out of memory|OutOfMemoryError/)`
 * is ["cuda out of memory", "outofmemoryerror"], meaning every match contains at least one of
 * them. A line that contains none can skip the regex entirely, which is what lets the diagnosis
 * prefilter gigabytes with one byte automaton instead of running every rule on every line (the
 * same idea as RE2's prefilter). Literals are folded (ASCII lower case, `\r` as a space) so that
 * one case-insensitive pass serves case-sensitive and -insensitive patterns alike: a superset,
 * never a miss.
 *
 * Returns null when no literal is required (e.g. `\d+` or `a?`): such a pattern must see every line.
 */

type Literals = Set<string>;
/** `exact`: every string the node can match, when that set is small; `required`: one of these occurs in any match. */
type Info = { exact: Literals | null; required: Literals | null; /** `x+`: one certain copy of x, then anything */ prefix?: Literals };

const MAX_SET = 16;
const MAX_CLASS = 8;
const EMPTY: Info = { exact: new Set(['']), required: null };
const ANYTHING: Info = { exact: null, required: null };

export function requiredLiterals(pattern: RegExp): string[] | null {
  const parser = new Parser(pattern.source, pattern.flags.includes('i'));
  const info = parser.alternation();
  const best = bestOf([info.exact, info.required]);
  return best ? [...best] : null;
}

/** ASCII lower case and `\r` as a space, the fold the byte automaton applies to the text. */
export function foldChar(char: string): string | null {
  const code = char.charCodeAt(0);
  if (char.length !== 1 || code > 0x7f) return null; // non-ASCII: folding is not byte-wise
  if (code === 13) return ' ';
  return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
}

class Parser {
  #at = 0;
  readonly source: string;
  readonly #caseless: boolean;

  constructor(source: string, caseless: boolean) {
    this.source = source;
    this.#caseless = caseless;
  }

  alternation(): Info {
    const alternatives = [this.#sequence()];
    while (this.source[this.#at] === '|') {
      this.#at += 1;
      alternatives.push(this.#sequence());
    }
    if (alternatives.length === 1) return alternatives[0] as Info;
    const exact = alternatives.every((a) => a.exact) ? union(alternatives.map((a) => a.exact as Literals)) : null;
    const each = alternatives.map((a) => bestOf([a.exact, a.required]));
    const required = each.every((r) => r !== null) ? union(each as Literals[], Infinity) : null;
    return { exact, required };
  }

  #sequence(): Info {
    let current: Literals | null = new Set(['']);
    let brokeRun = false;
    const candidates: (Literals | null)[] = [];
    while (this.#at < this.source.length && this.source[this.#at] !== '|' && this.source[this.#at] !== ')') {
      const item = this.#quantified(this.#atom());
      if (item.prefix && current) current = cross(current, item.prefix) ?? current;
      const joined: Literals | null = current && item.exact ? cross(current, item.exact) : null;
      if (joined) {
        current = joined;
        continue;
      }
      brokeRun = true;
      candidates.push(current);
      if (item.exact) current = item.exact;
      else {
        candidates.push(item.required);
        current = new Set(['']);
      }
    }
    candidates.push(current);
    return { exact: brokeRun ? null : current, required: bestOf(candidates) };
  }

  #quantified(atom: Info): Info {
    const rest = this.source.slice(this.#at);
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    let min: number;
    let max: number;
    if (rest[0] === '?') [min, max] = [0, 1];
    else if (rest[0] === '*') [min, max] = [0, Infinity];
    else if (rest[0] === '+') [min, max] = [1, Infinity];
    else if (braces) [min, max] = [Number(braces[1]), braces[2] ? (braces[3] ? Number(braces[3]) : Infinity) : Number(braces[1])];
    else return atom;
    this.#at += braces ? braces[0].length : 1;
    if (this.source[this.#at] === '?') this.#at += 1; // lazy
    if (min === 0 && max === 1) return { exact: atom.exact ? union([atom.exact, new Set([''])]) : null, required: null };
    if (min === 0) return ANYTHING;
    if (min === 1 && max === 1) return atom;
    return { exact: null, required: bestOf([atom.exact, atom.required]), ...(atom.exact ? { prefix: atom.exact } : {}) };
  }

  #atom(): Info {
    const char = this.source[this.#at++] as string;
    switch (char) {
      case '^':
      case '$':
        return EMPTY;
      case '.':
        return ANYTHING;
      case '[':
        return this.#characterClass();
      case '(':
        return this.#group();
      case '\\':
        return this.#escape();
      default:
        return this.#literal(char);
    }
  }

  #group(): Info {
    const head = /^\?(?:<[=!]|[=!:]|<\w+>)/.exec(this.source.slice(this.#at))?.[0] ?? '';
    this.#at += head.length;
    const inner = this.alternation();
    this.#at += 1; // ')'
    const lookaround = head === '?=' || head === '?!' || head === '?<=' || head === '?<!';
    return lookaround ? EMPTY : inner;
  }

  #escape(): Info {
    const char = this.source[this.#at++] as string;
    if ('bB'.includes(char)) return EMPTY;
    if ('dDwWsSk'.includes(char) || /\d/.test(char)) {
      if (char === 'k') this.#at = this.source.indexOf('>', this.#at) + 1;
      return ANYTHING;
    }
    const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/.exec(this.source.slice(this.#at - 1));
    if (hex) {
      this.#at += hex[0].length - 1;
      return this.#literal(String.fromCharCode(parseInt((hex[1] ?? hex[2]) as string, 16)));
    }
    const control: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    return this.#literal(control[char] ?? char);
  }

  #characterClass(): Info {
    const chars = new Set<string>();
    let simple = this.source[this.#at] !== '^';
    for (;;) {
      let char = this.source[this.#at++];
      if (char === undefined) return ANYTHING;
      if (char === ']') break;
      if (char === '\\') {
        char = this.source[this.#at++] as string;
        if (/[dDwWsSbBux]/.test(char)) simple = false;
      } else if (this.source[this.#at] === '-' && this.source[this.#at + 1] !== ']') simple = false; // a range
      const folded = foldChar(char);
      if (folded === null) simple = false;
      else chars.add(folded);
    }
    return simple && chars.size > 0 && chars.size <= MAX_CLASS ? { exact: chars, required: null } : ANYTHING;
  }

  /**
   * One character of the pattern. Beyond ASCII, in a pattern that tells case apart (a shell's
   * `已杀死`), its UTF-8 bytes, each one character of the literal: the automaton reads bytes.
   */
  #literal(char: string): Info {
    if (char === '\n') return ANYTHING; // lines never hold one
    const folded = foldChar(char);
    if (folded !== null) return { exact: new Set([folded]), required: null };
    const code = char.charCodeAt(0);
    const surrogate = code >= 0xd800 && code <= 0xdfff;
    return this.#caseless || surrogate ? ANYTHING : { exact: new Set([utf8Bytes(char)]), required: null };
  }
}

/** A character's UTF-8 encoding, one string character (0x80–0xff) per byte. */
function utf8Bytes(char: string): string {
  return String.fromCharCode(...new TextEncoder().encode(char));
}

function cross(left: Literals, right: Literals): Literals | null {
  if (left.size * right.size > MAX_SET) return null;
  const out = new Set<string>();
  for (const a of left) for (const b of right) out.add(a + b);
  return out;
}

function union(sets: Literals[], limit = MAX_SET): Literals | null {
  const out = new Set<string>();
  for (const set of sets) for (const item of set) out.add(item);
  return out.size <= limit ? out : null;
}

/**
 * Words any log says in passing ("download failed, retrying", "the model will be saved"): a
 * literal made of them alone would hand the rules every line of a chatty log.
 */
const PROSE_WORDS = new Set(
  'a an and are as at be been being by can cannot could error errors fail failed failure for found from has have in is it may no not of on or out retrying saved the this time timed to up was were will with'.split(
    ' ',
  ),
);

/** How selective a literal is: its length, less the words of ordinary prose in it. */
function selectivity(literal: string): number {
  return literal.replace(/[a-z]+/g, (word) => (PROSE_WORDS.has(word) ? '' : word)).trim().length;
}

/** The most selective set: the one whose least selective member is most selective. Sets holding "" require nothing. */
function bestOf(sets: (Literals | null)[]): Literals | null {
  let best: Literals | null = null;
  let bestScore = 0;
  for (const set of sets) {
    if (!set || set.size === 0) continue;
    const score = Math.min(...[...set].map(selectivity));
    if (score > bestScore) [best, bestScore] = [set, score];
  }
  return best;
}
