/** `vigil report RUN [-o FILE] [--format html|md]`: one self-contained file about a run, to attach to an issue. */

import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { formatSize } from '../../core/size.ts';
import { printable } from '../../core/text/printable.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { type ReportFormat, renderRunReport } from '../../report/render-report.ts';
import { findRun, openContext } from '../context.ts';

type ReportOptions = { output?: string; format?: ReportFormat };

/** The format asked for, else the one the output's extension names, else HTML. */
function formatOf(options: ReportOptions): ReportFormat {
  if (options.format) return options.format;
  return options.output && ['.md', '.markdown'].includes(extname(options.output).toLowerCase()) ? 'md' : 'html';
}

export async function reportCommand(query: string, options: ReportOptions): Promise<void> {
  const context = openContext();
  const run = findRun(context, query);
  const format = formatOf(options);
  const text = await renderRunReport(context.store, { ...run, status: run.observedStatus }, format, Date.now());
  const output = options.output ?? `vigil-report-${run.id}.${format}`;
  if (output === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text, { mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new VigilError(`cannot write the report to ${printable(output)}: ${code}`, ExitCode.failure, { cause: error });
  }
  process.stdout.write(`report of run ${run.id} written to ${printable(output)} (${formatSize(Buffer.byteLength(text))})\n`);
}
