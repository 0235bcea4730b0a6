/**
 * Secrets out of a report before anyone attaches it to an issue: values of variables whose names
 * say TOKEN, KEY, SECRET or PASSWORD (in a command line, a declared environment, a log line),
 * strings shaped like the well-known API tokens, credentials after `Bearer ` and in URLs, and any
 * literal value the caller knows to be secret (the values of such variables in the environment,
 * wherever the job printed them). Each replacement is counted by kind; a value is never kept.
 */

export const REDACTED = '[redacted]';

import { isSecretName } from '../text/secret-names.ts';

export type RedactionKind =
  'secret value from the environment' | 'value of a secret-named variable' | 'API token' | 'bearer credential' | 'password in a URL';

/** A value too plain to be a secret: `max_token=512`, `key: 3`. */
const PLAIN_VALUE = /^(?:\d{1,7}|true|false|none|null|[*x]+)$/i;

// NAME=value, NAME: value, "NAME": "value", --name=value (the value ends at a space, quote or separator).
// The value stops at `(` and `=` too, so that `x = f(api_key=…)` is seen as two assignments.
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)([^\s"',;&(){}=[\]]+)/g;
/** A command-line flag and its value as a program prints its argv: `--api-key VALUE`, `['--api-key', 'VALUE']`. */
const FLAG_THEN_VALUE = /(--?[A-Za-z][\w-]*)(["']?(?:,\s*|\s+)["']?)([^\s"',;&(){}=[\]-][^\s"',;&(){}=[\]]*)/g;
const TOKEN_SHAPES: readonly RegExp[] = [
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bsk-(?:[A-Za-z0-9_-]*[A-Za-z0-9]){20,}/g, // OpenAI, Anthropic (sk-ant-…), Stripe (sk_live is below)
  /\b[sr]k_live_[A-Za-z0-9]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bwandb_v1_[A-Za-z0-9_]{20,}/g,
];
/** `Bearer …`, `token …`: a long run of base64 or hex after it. */
const BEARER = /\b(Bearer|Basic|token)(\s+|=)([A-Za-z0-9+/_~.-]{16,}={0,2})/gi;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi;
/** Literal secret values shorter than this are not searched for: they would match ordinary text. */
const MIN_SECRET_VALUE = 8;

export class Redactor {
  readonly counts = new Map<RedactionKind, number>();
  #values: string[];

  /** `secretValues`: literal values to take out wherever they appear (longest first, so none is left half-redacted). */
  constructor(secretValues: Iterable<string> = []) {
    this.#values = [...new Set(secretValues)].filter((value) => value.length >= MIN_SECRET_VALUE).sort((a, b) => b.length - a.length);
  }

  #count(kind: RedactionKind, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  /** The text with every secret it holds replaced by [redacted]. */
  text(input: string): string {
    let text = input;
    for (const value of this.#values) {
      if (!text.includes(value)) continue;
      const parts = text.split(value);
      this.#count('secret value from the environment', parts.length - 1);
      text = parts.join(REDACTED);
    }
    text = text.replace(URL_PASSWORD, (_all, head: string) => {
      this.#count('password in a URL');
      return `${head}${REDACTED}@`;
    });
    text = text.replace(ASSIGNMENT, (all, name: string, separator: string, value: string) => {
      if (!isSecretName(name) || value.startsWith(REDACTED.slice(0, -1)) || PLAIN_VALUE.test(value)) return all;
      this.#count('value of a secret-named variable');
      return `${name}${separator}${REDACTED}`;
    });
    text = text.replace(FLAG_THEN_VALUE, (all, flag: string, separator: string, value: string) => {
      if (!isSecretName(flag.replace(/^-+/, '')) || value.startsWith(REDACTED.slice(0, -1)) || PLAIN_VALUE.test(value)) return all;
      this.#count('value of a secret-named variable');
      return `${flag}${separator}${REDACTED}`;
    });
    for (const shape of TOKEN_SHAPES)
      text = text.replace(shape, () => {
        this.#count('API token');
        return REDACTED;
      });
    text = text.replace(BEARER, (all, word: string, separator: string, value: string) => {
      // A credential is random: letters and digits both (not `token embedding_projection`).
      if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) return all;
      this.#count('bearer credential');
      return `${word}${separator}${REDACTED}`;
    });
    return text;
  }

  /** A command line: also the word after a secret-named flag (`--api-key VALUE`, `-p` is not guessed at). */
  argv(words: readonly string[]): string[] {
    return words.map((word, index) => {
      const previous = index > 0 ? words[index - 1] : undefined;
      if (previous && /^--?[A-Za-z][\w-]*$/.test(previous) && isSecretName(previous.replace(/^-+/, '')) && !word.startsWith('-')) {
        this.#count('value of a secret-named variable');
        return REDACTED;
      }
      return this.text(word);
    });
  }

  /** Every string in a plain JSON-shaped value, redacted (keys are kept: they name, they do not hold). */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.deep(item)) as T;
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.deep(item)])) as T;
    return value;
  }

  /** An environment (NAME → value): a secret-named variable's value is replaced whatever it looks like. */
  environment(env: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(env).map(([name, value]) => {
        if (!isSecretName(name) || value === '') return [name, this.text(value)];
        this.#count('value of a secret-named variable');
        return [name, REDACTED];
      }),
    );
  }

  summary(): { kind: RedactionKind; count: number }[] {
    return [...this.counts].map(([kind, count]) => ({ kind, count }));
  }
}

/** The values of the secret-named variables of an environment: what to take out wherever a job printed them. */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && isSecretName(name))
    .map(([, value]) => value as string);
}
