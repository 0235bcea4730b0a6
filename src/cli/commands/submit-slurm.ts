/**
 * `vigil submit --slurm [--sbatch OPTIONS]... [run options] -- CMD`: the job goes to Slurm, not to
 * vigil's own queue. A batch script that execs `vigil run` (core/slurm/batch-script.ts) is written
 * under VIGIL_HOME/slurm/ and kept; sbatch submits it; the Slurm job id is printed.
 */

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { batchScript } from '../../core/slurm/batch-script.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { currentDirectory } from '../../platform/cwd.ts';
import { vigilItself } from '../../daemon/vigil-process.ts';
import { writeFileSync } from 'node:fs';
import { createRunDir, createRunFile } from '../../store/run-files.ts';
import { openHome, vigilHome } from '../../store/paths.ts';

export function submitToSlurm(command: string[], runOptions: string[], sbatchOptions: string[], signal: string): void {
  if (command.length === 0)
    throw new VigilError('no command given: vigil submit --slurm [--sbatch OPTIONS] [options] -- CMD [ARGS...]', ExitCode.usage);
  const home = vigilHome();
  openHome(home, { write: true });
  const dir = join(home, 'slurm');
  try {
    createRunDir(home, 'slurm');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const script = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.sbatch`);
  createRunFile(script); // owner-only, as every file under VIGIL_HOME
  writeFileSync(
    script,
    batchScript({
      vigil: vigilItself(),
      cwd: currentDirectory().path,
      runOptions,
      command,
      sbatchOptions,
      signal: signal.replace(/^SIG/, ''),
    }),
  );
  const result = spawnSync('sbatch', ['--parsable', script], { encoding: 'utf8' });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new VigilError(
      missing ? "sbatch not found: vigil submit --slurm needs Slurm's client on PATH" : `sbatch failed: ${result.error.message}`,
      missing ? ExitCode.commandNotFound : ExitCode.failure,
    );
  }
  if (result.status !== 0)
    throw new VigilError(`sbatch refused the job: ${(result.stderr || result.stdout).trim()} (script: ${script})`, ExitCode.failure);
  const jobId = result.stdout.trim().split(';')[0] ?? '';
  process.stdout.write(`${jobId}\n`);
  process.stderr.write(`vigil: Slurm job ${jobId} submitted; its batch script: ${script}\n`);
}
