/**
 * `vigil checkpoints RUN|DIR [--verify] [--json]`: the checkpoints of a directory, or of a run's
 * `--checkpoints` directories (with those it quarantined), newest first, with their status.
 */

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatDuration } from '../../core/duration.ts';
import type { CheckpointRecord } from '../../core/checkpoints/record.ts';
import { formatSize } from '../../core/size.ts';
import { printable } from '../../core/text/printable.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { listCheckpoints } from '../../supervisor/checkpoints.ts';
import { out } from '../colours.ts';
import { findRun, openContext } from '../context.ts';
import { table } from '../format.ts';

type Options = { verify?: boolean; json?: boolean; glob?: string };

/** Where a run's checkpoints are: its --checkpoints directories (relative ones from its cwd) and its quarantine. */
type Sources = { dirs: string[]; quarantineDirs: string[]; glob?: string };

function sourcesOf(target: string, options: Options): Sources {
  if (existsSync(target) && statSync(target).isDirectory()) return { dirs: [resolve(target)], quarantineDirs: [], glob: options.glob };
  const run = findRun(openContext(), target);
  if (!run.checkpointDirs || run.checkpointDirs.length === 0)
    throw new VigilError(`run ${target} watches no checkpoint directory (vigil run --checkpoints DIR); give a DIR instead`, ExitCode.usage);
  return {
    dirs: run.checkpointDirs.map((dir) => resolve(run.cwd, dir)),
    quarantineDirs: [join(run.runDir, 'quarantine')],
    glob: options.glob ?? run.checkpointGlob ?? undefined,
  };
}

export async function checkpointsCommand(target: string, options: Options): Promise<void> {
  const sources = sourcesOf(target, options);
  const records = await listCheckpoints(sources.dirs, {
    glob: sources.glob,
    verify: options.verify,
    quarantineDirs: sources.quarantineDirs,
  });
  // A broken checkpoint fails the command, so `vigil checkpoints DIR --verify` can gate a script.
  if (records.some((r) => r.status === 'corrupt')) process.exitCode = ExitCode.failure;
  if (options.json) {
    const view = records.map(({ path, step, status, bytes, verified_at, reason }) => ({ path, step, status, bytes, verified_at, reason }));
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return;
  }
  if (records.length === 0) {
    process.stdout.write(`no checkpoints in ${printable(sources.dirs.join(', '))}\n`);
    return;
  }
  const now = Date.now();
  const rows = records.map((r) => [
    r.step === null ? '-' : String(r.step),
    formatSize(r.bytes),
    formatDuration(Math.max(0, now - r.modified_at)),
    colourOf(r),
    printable(r.path) + (r.reason ? out.dim(`  (${printable(r.reason)})`) : ''),
  ]);
  process.stdout.write(`${table([['STEP', 'SIZE', 'AGE', 'STATUS', 'PATH'], ...rows])}\n`);
}

function colourOf(record: CheckpointRecord): string {
  if (record.status === 'verified') return out.green(record.status);
  if (record.status === 'pending') return out.yellow(record.status);
  return out.red(record.status);
}
