/**
 * The values of the restart and checkpoint options as users type them, on the command line and
 * in vigil.yaml alike: `--backoff 5s..5m`, `--param BATCH=32`, `--on cuda_oom:halve=BATCH,double=ACCUM`,
 * `--retry-on nccl_timeout,hang`, `--dump-signal USR2`.
 */

import { CATEGORIES, type Category } from '../diagnosis/categories.ts';
import { parseDuration } from '../duration.ts';
import { nearestName } from '../text/nearest-name.ts';

export type Parsed<T> = { value: T } | { error: string };

export type BackoffRange = { minMs: number; maxMs: number };
export type Param = { name: string; value: string };
/** `--on CATEGORY:halve=NAME[,double=OTHER]`: after a failure of that category, the next attempt gets NAME halved (and OTHER doubled). */
export type OnRule = { category: Category; halve: string; double: string | null };

/** A parameter name: it becomes `{NAME}` in the command and `VIGIL_PARAM_NAME` in the environment. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "5s..5m": the first and the longest delay before a restart. */
export function parseBackoffRange(text: string): Parsed<BackoffRange> {
  const parts = text.split('..');
  if (parts.length !== 2) return { error: 'expected MIN..MAX, two durations such as 5s..5m' };
  const [min, max] = parts.map((part) => parseDuration(part)) as [ReturnType<typeof parseDuration>, ReturnType<typeof parseDuration>];
  if ('error' in min) return { error: `MIN of MIN..MAX: ${min.error}` };
  if ('error' in max) return { error: `MAX of MIN..MAX: ${max.error}` };
  if (max.ms === 0) return { error: 'MAX of MIN..MAX must be above 0' };
  if (min.ms > max.ms) return { error: `MIN (${parts[0]?.trim()}) is above MAX (${parts[1]?.trim()})` };
  return { value: { minMs: min.ms, maxMs: max.ms } };
}

/** "BATCH=32". */
export function parseParam(text: string): Parsed<Param> {
  const equals = text.indexOf('=');
  const name = equals < 0 ? text : text.slice(0, equals);
  if (equals < 0 || !PARAM_NAME.test(name) || equals === text.length - 1)
    return { error: 'expected NAME=VALUE, NAME made of letters, digits and _ (e.g. BATCH=32)' };
  return { value: { name, value: text.slice(equals + 1) } };
}

/** "cuda_oom:halve=BATCH,double=ACCUM". */
export function parseOnRule(text: string): Parsed<OnRule> {
  const colon = text.indexOf(':');
  if (colon < 0) return { error: 'expected CATEGORY:halve=NAME[,double=OTHER] (e.g. cuda_oom:halve=BATCH,double=ACCUM)' };
  const category = parseCategory(text.slice(0, colon));
  if ('error' in category) return category;
  const actions = new Map<string, string>();
  for (const action of text.slice(colon + 1).split(',')) {
    const match = /^(halve|double)=(.+)$/.exec(action.trim());
    if (!match || !PARAM_NAME.test(match[2] as string) || actions.has(match[1] as string))
      return { error: `expected halve=NAME[,double=OTHER] after "${category.value}:", found "${action.trim()}"` };
    actions.set(match[1] as string, match[2] as string);
  }
  return onRule(category.value, actions.get('halve'), actions.get('double'));
}

/** An on-rule from its parts (vigil.yaml gives them as a mapping): halve is required, and differs from double. */
export function onRule(category: Category, halve: string | undefined, double: string | undefined): Parsed<OnRule> {
  if (halve === undefined) return { error: `expected halve=NAME for ${category}: the rule exists to shrink what ran out` };
  if (halve === double) return { error: `${halve} cannot be both halved and doubled` };
  return { value: { category, halve, double: double ?? null } };
}

/** One category of the crash taxonomy, with the nearest one suggested for a typo. */
export function parseCategory(text: string): Parsed<Category> {
  const name = text.trim();
  if (Object.hasOwn(CATEGORIES, name)) return { value: name as Category };
  const near = nearestName(name, Object.keys(CATEGORIES));
  return { error: `unknown category "${name}"${near ? ` (did you mean ${near}?)` : ''}` };
}

/** "nccl_timeout,hang". */
export function parseCategoryList(text: string): Parsed<Category[]> {
  const categories: Category[] = [];
  for (const part of text.split(',')) {
    const category = parseCategory(part);
    if ('error' in category) return category;
    categories.push(category.value);
  }
  return { value: categories };
}

/** `--dump-signal`: only signals Python's default handlers leave alone, as their SIG name. */
export function parseDumpSignal(text: string): Parsed<string> {
  const name = text.toUpperCase().replace(/^(?!SIG)/, 'SIG');
  if (!/^SIG(?:USR1|USR2|RTMIN(?:\+\d+)?|WINCH|PWR|URG)$/.test(name))
    return { error: 'expected SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR or SIGURG' };
  return { value: name };
}
