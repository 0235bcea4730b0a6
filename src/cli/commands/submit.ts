/**
 * `vigil submit [options] -- CMD`: the job is written to the queue in one transaction and its id
 * printed at once; the daemon is nudged (or started, unless VIGIL_NO_AUTOSTART=1) to plan again.
 * Kept lean: it is on the user's critical path and imports nothing of the supervisor.
 */

import type { JobRequest, SupervisorLossPolicy } from '../../core/queue/job.ts';
import { resolveRun } from '../../core/resolve-run.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { openDatabase } from '../../store/database.ts';
import { openHome, vigilHome } from '../../store/paths.ts';
import { SqliteQueue } from '../../store/queue.ts';
import { nudgeOrStartDaemon } from '../daemon-autostart.ts';

export type SubmitOptions = {
  name?: string;
  priority: number;
  gpus: number;
  shareGpus?: boolean;
  after: string[];
  env: Record<string, string>;
  allowDuplicate?: boolean;
  onSupervisorLoss: SupervisorLossPolicy;
};

export type SubmittedJob = Omit<JobRequest, 'after' | 'allowDuplicate' | 'onSupervisorLoss' | 'env'> & { after: string[] };

export async function submitCommand(jobs: SubmittedJob[], options: SubmitOptions): Promise<void> {
  const home = vigilHome();
  const layout = openHome(home, { write: true });
  const queue = new SqliteQueue(openDatabase(layout.databasePath, { readonly: false }));
  const submitted = new Map<string, string>(); // names of this submission's jobs → their ids (for vigil.yaml's `after`)
  for (const job of jobs) {
    const after = job.after.map((query) => submitted.get(query) ?? resolveJob(queue, query));
    const result = queue.submitNow(
      {
        ...job,
        after,
        env: { ...stringEnv(process.env), ...job.declaredEnv },
        allowDuplicate: options.allowDuplicate === true,
        onSupervisorLoss: options.onSupervisorLoss,
      },
      Date.now(),
    );
    if (result.kind === 'duplicate') {
      const state = result.of.state === 'queued' ? 'queued' : 'running';
      throw new VigilError(
        `the same job is already ${state} as ${result.of.id} (same command, directory, env and name; --allow-duplicate submits it anyway)`,
        ExitCode.duplicateJob,
      );
    }
    if (job.name !== null) submitted.set(job.name, result.job.id);
    process.stdout.write(`${result.job.id}\n`);
  }
  await nudgeOrStartDaemon(home);
}

/** A job named by id, id prefix or name (its newest), for --after. */
export function resolveJob(queue: SqliteQueue, query: string): string {
  const jobs = queue.listNow().map((job) => ({ id: job.id, name: job.name, createdAt: job.submittedAt }));
  const resolution = resolveRun(query, jobs);
  if (resolution.kind === 'found') return resolution.id;
  if (resolution.kind === 'ambiguous')
    throw new VigilError(`job "${query}" is ambiguous: it matches ${resolution.candidates.slice(0, 5).join(', ')}`, ExitCode.runAmbiguous);
  throw new VigilError(`no job matches "${query}" (see vigil queue --all)`, ExitCode.runNotFound);
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
