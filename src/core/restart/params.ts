/**
 * Adaptive restarts: values the command uses as `{NAME}` (and that reach the job as
 * `VIGIL_PARAM_NAME`), changed between attempts by `--on CATEGORY:halve=NAME,double=OTHER` —
 * e.g. halve the batch and double the accumulation after a CUDA OOM, keeping the global batch.
 * Pure: argv and values in, argv and values out.
 */

import type { AdaptiveRule } from './policy.ts';

/** Whole numbers can be adapted; other values (a model name) are only substituted. */
export type Params = Readonly<Record<string, number | string>>;

/** The values for the next attempt under `rule`, and what changed (never below 1). */
export function adaptParams(params: Params, rule: AdaptiveRule): { params: Params; changes: string[] } {
  const next: Record<string, number | string> = { ...params };
  const changes: string[] = [];
  for (const name of rule.halve) {
    const before = next[name];
    if (typeof before !== 'number') continue;
    next[name] = Math.max(1, Math.floor(before / 2));
    if (next[name] !== before) changes.push(`${name} ${before}→${next[name]}`);
  }
  for (const name of rule.double) {
    const before = next[name];
    if (typeof before !== 'number') continue;
    next[name] = before * 2;
    changes.push(`${name} ${before}→${next[name]}`);
  }
  return { params: next, changes };
}

/** `{NAME}` in each word replaced by its value; unknown names are left as they are. */
export function substituteParams(argv: readonly string[], params: Params): string[] {
  return argv.map((word) =>
    word.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)),
  );
}

/** `VIGIL_PARAM_<NAME>` for each value. */
export function paramEnvironment(params: Params): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [`VIGIL_PARAM_${name.toUpperCase()}`, String(value)]));
}
