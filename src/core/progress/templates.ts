/**
 * An online log-template miner after Drain (He et al., ICWS 2017): lines a job prints again and
 * again share a template. A line's tokens (whitespace-separated, numbers masked) are routed by a
 * fixed-depth tree, here flattened into one key: the token count and the leading tokens (a token
 * holding a number routes as a wildcard); within that leaf the cluster most similar to the line
 * (share of equal tokens at equal positions, at least SIMILARITY) takes it, and the positions
 * where its lines differ become wildcards. Memory is bounded: the least recently used templates
 * beyond `capacity` are forgotten.
 */

export type Template = {
  /** Stable for the template's life: a key for what is learned about its lines. */
  readonly id: number;
  /** Its tokens; null where its lines differ (a wildcard). */
  tokens: (string | null)[];
  /** How many lines it took. */
  lines: number;
};

const SIMILARITY = 0.5;
/** Leading tokens that route a line (Drain's tree depth minus the length level and the leaves). */
const ROUTING_TOKENS = 2;
const HAS_DIGIT = /\d/;
const NUMBER_RUN = /\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/**
 * A line's tokens, numbers masked as `#` (so `loss=0.25` and `loss=0.19` are one token). A table's pipes are tokens of
 * their own: a cell padded to its column's width (`|     5e-05|`) or not (`|5.0113e-05|`) is the same row; a mark of
 * improvement at its end is no token.
 */
export function tokensOf(line: string): string[] {
  const words = (line.includes('|') ? line.replaceAll('|', ' | ') : line).trim().split(/\s+/);
  const last = words.at(-1) as string;
  if (words.length > 1 && last.length <= 3 && IMPROVEMENT_MARK.test(last)) words.pop();
  return words.map((word) => (HAS_DIGIT.test(word) ? word.replace(NUMBER_RUN, '#') : word));
}

/** A mark a loop appends to the lines where something improved (`Time: 0:00:23 *`, `<-`, `!`): the same line otherwise. */
const IMPROVEMENT_MARK = /^(?:[*!+]{1,3}|<-{1,2})$/;

export class TemplateMiner {
  readonly #capacity: number;
  /** Leaf key → its clusters. */
  readonly #leaves = new Map<string, Template[]>();
  /** Every template, least recently used first (a Map keeps insertion order). */
  readonly #recent = new Map<number, { template: Template; leaf: string }>();
  #nextId = 0;

  constructor(capacity = 128) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#recent.size;
  }

  /** The template of a line's tokens, learned or updated. */
  add(tokens: string[]): Template {
    const leaf = leafKey(tokens);
    const clusters = this.#leaves.get(leaf) ?? [];
    let best: Template | null = null;
    let bestScore = -1;
    for (const cluster of clusters) {
      const score = similarity(cluster.tokens, tokens);
      if (score > bestScore) [best, bestScore] = [cluster, score];
    }
    if (best && bestScore >= SIMILARITY) {
      const known = best.tokens;
      for (let i = 0; i < known.length; i += 1) if (known[i] !== null && known[i] !== tokens[i]) known[i] = null;
      best.lines += 1;
      this.#touch(best, leaf);
      return best;
    }
    const template: Template = { id: this.#nextId++, tokens: [...tokens], lines: 1 };
    clusters.push(template);
    this.#leaves.set(leaf, clusters);
    this.#touch(template, leaf);
    this.#evict();
    return template;
  }

  #touch(template: Template, leaf: string): void {
    this.#recent.delete(template.id);
    this.#recent.set(template.id, { template, leaf });
  }

  #evict(): void {
    while (this.#recent.size > this.#capacity) {
      const [id, { leaf }] = this.#recent.entries().next().value as [number, { template: Template; leaf: string }];
      this.#recent.delete(id);
      const clusters = (this.#leaves.get(leaf) ?? []).filter((cluster) => cluster.id !== id);
      if (clusters.length > 0) this.#leaves.set(leaf, clusters);
      else this.#leaves.delete(leaf);
    }
  }
}

function leafKey(tokens: string[]): string {
  let key = String(tokens.length);
  for (let i = 0; i < ROUTING_TOKENS && i < tokens.length; i += 1) {
    const token = tokens[i] as string;
    key += token.includes('#') ? '\u0000*' : `\u0000${token}`;
  }
  return key;
}

/** Drain's simSeq: the share of positions whose tokens are equal (a wildcard matches nothing new). */
function similarity(template: (string | null)[], tokens: string[]): number {
  let same = 0;
  for (let i = 0; i < tokens.length; i += 1) if (template[i] === tokens[i]) same += 1;
  return tokens.length === 0 ? 1 : same / tokens.length;
}
