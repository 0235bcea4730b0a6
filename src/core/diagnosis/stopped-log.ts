/**
 * A log with no error in it, not even a word of one, and nothing said of how its job ended (a log
 * pasted, or copied from a job that may still run): where it stops is the only fact left. A job
 * that stopped making progress leaves such a log; so does the kernel's OOM killer, which ends a job
 * without a word, after an allocator's notice of a large allocation. A last line that says the
 * job finished is no sign of either.
 */

import type { Category } from './categories.ts';
import { CATEGORIES } from './categories.ts';

export type StoppedLogReading = {
  category: Category;
  summary: string;
  evidence: { line: number; text: string }[];
  confidence: number;
  rule: string;
  /** None: the category's usual ones. */
  fixes?: string[];
};

/**
 * Words of a failure, anywhere in a line (`OLMoThreadError`, `dmlc::Error`, rich's `Traceback (most recent call last)` box, glog's
 * fatal `F0909 … file.cpp:117] Check failed: …`, a native assert()'s `Assertion failed: …`):
 * only the diagnoser's prefilter literals, so that a line it skips could not have said one.
 */
export const ERROR_SPOKEN =
  /error|exception|fault|failure|traceback \(most recent call last\)|\] check failed: |assertion failed: |assertion `/i;

/** A last line that tells the job came to its end (`Training finished`, `Done.`, `total time 2:31:07`). */
const SAYS_IT_ENDED =
  /\b(?:finish(?:ed|ing)?|done|complete[ds]?|completed|success(?:ful(?:ly)?)?|succeeded|exit(?:ed|ing)|bye|total (?:\w+ )?time)\b/i;

/** An allocator's notice of a large allocation (tcmalloc's, which Colab and many images preload): memory was running out. */
const LARGE_ALLOCATION = /\btcmalloc: large alloc \d+ bytes\b/;

/** What the log's last visible line says of how the job stopped; null when it says the job finished. */
export function readStoppedLog(last: { line: number; text: string }): StoppedLogReading | null {
  if (SAYS_IT_ENDED.test(last.text)) return null;
  const evidence = [{ line: last.line, text: last.text.slice(0, 500) }];
  if (LARGE_ALLOCATION.test(last.text)) {
    return {
      category: 'host_oom',
      summary: `${CATEGORIES.host_oom.label}: the log ends on a large memory allocation, where the kernel's OOM killer ends a job without a word`,
      evidence,
      confidence: 0.3,
      rule: 'ends-allocating',
    };
  }
  return {
    category: 'hang',
    summary: `${CATEGORIES.hang.label}: the log ends with no error and nothing says how the job ended: it stopped making progress here (hung), unless it is still running`,
    evidence,
    confidence: 0.2,
    rule: 'ends-without-error',
    fixes: [
      'Run it under `vigil run`: its watchdog notices a job that stops making progress and takes its Python stacks',
      'If the job did end, say how: `vigil explain FILE --exit-code N` (or `--signal NAME`)',
    ],
  };
}
