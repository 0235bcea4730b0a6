/** `vigil history [--job NAME] [--json]`: every failure signature seen, how often, when, and what made it go away. */

import { describeFixedBy } from '../../core/memory/fixed-by.ts';
import { printable } from '../../core/text/printable.ts';
import { loadFailureMemory } from '../../store/failure-memory.ts';
import { out } from '../colours.ts';
import { openContext } from '../context.ts';

const day = (iso: string | null) => iso ?? '?';

export function historyCommand(options: { job?: string; json?: boolean }): void {
  const { store } = openContext();
  const signatures = loadFailureMemory(store.db).signatures(options.job === undefined ? {} : { job: options.job });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(signatures, null, 2)}\n`);
    return;
  }
  if (signatures.length === 0) {
    process.stdout.write(options.job === undefined ? 'no failures yet\n' : `no failures of runs named ${printable(options.job)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const s of signatures) {
    lines.push(
      `${out.bold(s.signature)}  ${out.red(s.category)}  ${s.count === 1 ? 'once' : `${s.count} times`}, first ${day(s.first_seen)}, last ${day(s.last_seen)}`,
    );
    if (s.exception) lines.push(`  ${printable(s.exception)}`);
    if (s.frame) lines.push(`  in ${printable(s.frame)}`);
    lines.push(`  runs ${s.runs.join(', ')}${s.jobs.length > 0 ? ` (${printable(s.jobs.join(', '))})` : ''}`);
    if (s.fixed_by)
      lines.push(
        out.green(
          `  went away in run ${s.fixed_by.run}${s.fixed_by.run_name ? ` (${printable(s.fixed_by.run_name)})` : ''} after ${printable(describeFixedBy(s.fixed_by))}`,
        ),
      );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
