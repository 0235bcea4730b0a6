/** `vigil adopt RUN`: see src/supervisor/adopt.ts. */

import { adoptRun } from '../../supervisor/adopt.ts';
import { findRun, openContext } from '../context.ts';

export async function adoptCommand(query: string, options: { force?: boolean } = {}): Promise<void> {
  const context = openContext({ write: true });
  const run = findRun(context, query);
  process.stderr.write(`vigil: watching run ${run.id} until its processes end\n`);
  const warn = (message: string) => process.stderr.write(`vigil: ${message}\n`);
  const { status, diagnosis } = await adoptRun(context.store, run.id, context.home, warn, { force: options.force === true });
  const how = diagnosis ? `${status}: ${diagnosis.summary}` : `${status}: its exit status was its lost supervisor's to see`;
  process.stderr.write(`vigil: run ${run.id} ended (${how})\n`);
}
