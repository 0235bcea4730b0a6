/**
 * The restart options of `vigil run` as the user types them: `--backoff 5s..5m`, `--param
 * BATCH=32`, `--on cuda_oom:halve=BATCH,double=ACCUM`, `--retry-on nccl_error,hang`. Each parser
 * throws commander's InvalidArgumentError with what was expected.
 */

import { InvalidArgumentError } from 'commander';
import { CATEGORIES } from '../core/diagnosis/categories.ts';
import { parseDuration } from '../core/duration.ts';
import type { AdaptiveRule } from '../core/restart/policy.ts';

const duration = (text: string): number => {
  const parsed = parseDuration(text);
  if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
  return parsed.ms;
};

function category(name: string): string {
  if (name in CATEGORIES) return name;
  throw new InvalidArgumentError(`unknown category "${name}" (one of: ${Object.keys(CATEGORIES).join(', ')})`);
}

export function parseBackoff(text: string): { minMs: number; maxMs: number } {
  const [min, max, ...rest] = text.split('..');
  if (min === undefined || max === undefined || rest.length > 0) throw new InvalidArgumentError('expected MIN..MAX, such as 5s..5m');
  const range = { minMs: duration(min), maxMs: duration(max) };
  if (range.minMs > range.maxMs) throw new InvalidArgumentError(`${min} is longer than ${max}`);
  return range;
}

export function parseCategories(text: string): string[] {
  return text.split(',').map((name) => category(name.trim()));
}

/** `--param NAME=VALUE`, repeatable: a whole number the command uses as {NAME}. */
export function collectParam(text: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError('expected NAME=VALUE with a whole number, such as BATCH=32');
  return { ...previous, [match[1] as string]: Number(match[2]) };
}

/** `--on CATEGORY:halve=NAME[,double=OTHER]`, repeatable. */
export function collectAdaptiveRule(text: string, previous: AdaptiveRule[] = []): AdaptiveRule[] {
  const [name, actions] = text.split(':');
  if (!name || !actions) throw new InvalidArgumentError('expected CATEGORY:halve=NAME[,double=OTHER], such as cuda_oom:halve=BATCH');
  const rule: AdaptiveRule = { category: category(name), halve: [], double: [] };
  for (const action of actions.split(',')) {
    const match = /^(halve|double)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(action.trim());
    if (!match) throw new InvalidArgumentError(`"${action}": expected halve=NAME or double=NAME`);
    rule[match[1] as 'halve' | 'double'].push(match[2] as string);
  }
  return [...previous.filter((r) => r.category !== rule.category), rule];
}
