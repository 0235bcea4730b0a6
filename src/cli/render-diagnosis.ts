/** A Diagnosis for people: short, coloured when its stream is a terminal; every text in it came from the job, so it is made printable. */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { mainThreadFrames } from '../core/diagnosis/stack-dump.ts';
import { printable, truncate } from '../core/text/printable.ts';
import type { Colours } from './colours.ts';

/**
 * The diagnoser found nothing in the log (src/core/diagnosis/diagnose.ts noErrorFound): no rule,
 * no exception, no evidence, and no exit status that names a cause (those get their own category).
 */
export function nothingFound(diagnosis: Diagnosis): boolean {
  return diagnosis.category === 'other' && diagnosis.rule === null && diagnosis.exception === null && diagnosis.evidence.length === 0;
}

export function renderDiagnosis(diagnosis: Diagnosis, c: Colours): string {
  // Nothing to blame: say so, and make no claim about retrying.
  if (nothingFound(diagnosis)) return `${c.bold('cause')}     none — ${printable(diagnosis.summary)}\n`;
  const lines = [`${c.bold(c.red('cause'))}     ${c.bold(diagnosis.category)} — ${printable(diagnosis.summary)}`];
  if (diagnosis.where)
    lines.push(`${c.bold('where')}     ${printable(`${diagnosis.where.file}:${diagnosis.where.line} in ${diagnosis.where.function}`)}`);
  if (diagnosis.process) lines.push(`${c.bold('process')}   ${printable(diagnosis.process)}`);
  if (diagnosis.exception)
    lines.push(`${c.bold('exception')} ${truncate(printable(`${diagnosis.exception.type}: ${diagnosis.exception.message}`), 290)}`);
  if (diagnosis.evidence.length > 0) {
    lines.push(c.bold('evidence'));
    for (const item of diagnosis.evidence) lines.push(`  ${c.dim(String(item.line).padStart(6))}  ${truncate(printable(item.text), 200)}`);
  }
  const stacks = diagnosis.stacks ?? [];
  if (stacks.length > 0) {
    lines.push(c.bold('stacks'));
    for (const stack of stacks) {
      lines.push(`  ${printable(stack.process)} (pid ${stack.pid})`);
      for (const frame of mainThreadFrames(stack.text).slice(0, 3))
        lines.push(c.dim(`    ${printable(`${frame.file}:${frame.line} in ${frame.function}`)}`));
    }
  }
  lines.push(
    `${c.bold('retry')}     ${diagnosis.retryable ? c.green('may help') : c.yellow('will not help: fix the cause first')}  ${c.dim(`(confidence ${diagnosis.confidence.toFixed(2)})`)}`,
  );
  for (const fix of diagnosis.fixes) lines.push(`${c.bold('fix')}       ${printable(fix)}`);
  return `${lines.join('\n')}\n`;
}
