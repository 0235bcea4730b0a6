/** A Diagnosis for people: short, coloured on a terminal (plain with NO_COLOR or when piped). */

import pc from 'picocolors';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { mainThreadFrames } from '../core/diagnosis/stack-dump.ts';

export function renderDiagnosis(diagnosis: Diagnosis): string {
  const lines = [`${pc.bold(pc.red('cause'))}     ${pc.bold(diagnosis.category)} — ${diagnosis.summary}`];
  if (diagnosis.where) lines.push(`${pc.bold('where')}     ${diagnosis.where.file}:${diagnosis.where.line} in ${diagnosis.where.function}`);
  if (diagnosis.process) lines.push(`${pc.bold('process')}   ${diagnosis.process}`);
  if (diagnosis.exception) lines.push(`${pc.bold('exception')} ${diagnosis.exception.type}: ${diagnosis.exception.message}`.slice(0, 300));
  if (diagnosis.evidence.length > 0) {
    lines.push(pc.bold('evidence'));
    for (const item of diagnosis.evidence) lines.push(`  ${pc.dim(String(item.line).padStart(6))}  ${item.text.slice(0, 200)}`);
  }
  const stacks = diagnosis.stacks ?? [];
  if (stacks.length > 0) {
    lines.push(pc.bold('stacks'));
    for (const stack of stacks) {
      lines.push(`  ${stack.process} (pid ${stack.pid})`);
      for (const frame of mainThreadFrames(stack.text).slice(0, 3))
        lines.push(pc.dim(`    ${frame.file}:${frame.line} in ${frame.function}`));
    }
  }
  lines.push(
    `${pc.bold('retry')}     ${diagnosis.retryable ? pc.green('may help') : pc.yellow('will not help: fix the cause first')}  ${pc.dim(`(confidence ${diagnosis.confidence.toFixed(2)})`)}`,
  );
  for (const fix of diagnosis.fixes) lines.push(`${pc.bold('fix')}       ${fix}`);
  return `${lines.join('\n')}\n`;
}
