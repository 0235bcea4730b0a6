/** The memory of a failure for people, in one line: "seen 3 times before …, in runs …; went away in run … after --param BATCH 64 → 16". */

import { describeFixedBy } from '../core/memory/fixed-by.ts';
import { MAX_RUNS, type SeenBefore } from '../core/memory/seen-before.ts';
import { printable } from '../core/text/printable.ts';
import type { Colours } from './colours.ts';

const times = (count: number) => (count === 1 ? 'once' : `${count} times`);

/** `attempt`: named when the run failed more than once. */
export function renderSeenBefore(seen: SeenBefore, c: Colours, attempt?: number): string {
  const runs = `${seen.runs.length === MAX_RUNS ? 'the latest in ' : ''}run${seen.runs.length > 1 ? 's' : ''} ${seen.runs.join(', ')}`;
  const head = `${attempt === undefined ? '' : `attempt ${attempt}: `}${times(seen.count)} before (signature ${seen.signature}), first ${seen.first_seen ?? '?'}, in ${runs}`;
  const fixed = seen.fixed_by;
  const tail = fixed
    ? `; went away in run ${fixed.run}${fixed.run_name ? ` (${fixed.run_name})` : ''} after ${describeFixedBy(fixed)}`
    : '; no run of this job has succeeded since';
  return `${c.bold(c.yellow('seen'))}      ${printable(head + tail)}\n`;
}
