/**
 * Checks across options, once the command line and vigil.yaml are merged: an `--on` rule must name
 * parameters that exist and can be halved, `--keep-best` must know its metric.
 */

import type { OnRule } from './restart-values.ts';

export type CheckedOptions = {
  param: Readonly<Record<string, string>>;
  on: readonly OnRule[];
  keepBest?: number;
  bestMetric?: string;
};

/** The first problem, said for people; null when there is none. */
export function runOptionProblem(options: CheckedOptions): string | null {
  for (const rule of options.on) {
    for (const [verb, name] of [['halve', rule.halve] as const, ['double', rule.double] as const]) {
      if (name === null) continue;
      const value = options.param[name];
      const where = `--on ${rule.category}:${verb}=${name}`;
      if (value === undefined) return `${where}: ${name} is not a parameter (add --param ${name}=VALUE)`;
      if (!/^[1-9]\d*$/.test(value)) return `${where}: ${name}=${value} is not a whole number above 0, which ${verb} needs`;
    }
  }
  if (options.keepBest !== undefined && options.bestMetric === undefined)
    return '--keep-best needs --best-metric NAME (the metric from the progress lines, e.g. eval_loss)';
  return null;
}
