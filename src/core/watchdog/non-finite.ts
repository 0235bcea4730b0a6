/**
 * NaN and Inf in a run's loss and metrics: which ones just turned non-finite (each reported once
 * per episode, until it is finite again), and the diagnosis when a NaN loss stops the run. Pure.
 */

import { CATEGORIES } from '../diagnosis/categories.ts';
import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { isNonFinite } from '../progress/parse-line.ts';

export class NonFiniteMetrics {
  #current = new Set<string>();
  #episodes = new Map<string, number>();

  /** The metrics that are NaN/Inf now and were not at the previous look, with how many times that happened to each. */
  newly(metrics: Record<string, unknown>): { metric: string; episode: number }[] {
    const turned: { metric: string; episode: number }[] = [];
    for (const [metric, value] of Object.entries(metrics)) {
      if (!isNonFinite(value)) this.#current.delete(metric);
      else if (!this.#current.has(metric)) {
        this.#current.add(metric);
        const episode = (this.#episodes.get(metric) ?? 0) + 1;
        this.#episodes.set(metric, episode);
        turned.push({ metric, episode });
      }
    }
    return turned;
  }
}

export function nanLossDiagnosis(message: string): Diagnosis {
  return {
    category: 'nan_loss',
    retryable: CATEGORIES.nan_loss.retryable,
    summary: `${CATEGORIES.nan_loss.label}: ${message}`,
    evidence: [],
    where: null,
    process: null,
    exception: null,
    confidence: 0.9,
    rule: 'on-nan',
    fixes: [
      'Lower the learning rate or add gradient clipping; check the inputs of the first NaN step; with fp16 prefer bf16 or a loss scaler',
    ],
  };
}
