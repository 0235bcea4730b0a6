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
import type { QueueRepository } from '../../core/queue/repository.ts';
import { openQueue } from '../../store/open-queue.ts';
import { nudgeOrStartDaemon } from '../daemon-autostart.ts';
import { runOptionWords } from '../submit-words.ts';
import { currentDirectory } from '../../platform/cwd.ts';

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

export async function submitCommand(jobs: SubmittedJob[], options: SubmitOptions, daemonArgs: string[]): Promise<void> {
  const home = vigilHome();
  const layout = openHome(home, { write: true });
  const { queue, close } = await openQueue(() => openDatabase(layout.databasePath, { readonly: false }));
  try {
    const submitted = new Map<string, string>(); // names of this submission's jobs → their ids (for vigil.yaml's `after`)
    for (const job of jobs) {
      const after: string[] = [];
      for (const query of job.after) after.push(submitted.get(query) ?? (await resolveJob(queue, query)));
      const result = await queue.submit(
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
  } finally {
    await close();
  }
  await nudgeOrStartDaemon(home, { start: true, daemonArgs });
}

/** A job named by id, id prefix or name (its newest), for --after. */
export async function resolveJob(queue: QueueRepository, query: string): Promise<string> {
  const jobs = (await queue.list()).map((job) => ({ id: job.id, name: job.name, createdAt: job.submittedAt }));
  const resolution = resolveRun(query, jobs);
  if (resolution.kind === 'found') return resolution.id;
  if (resolution.kind === 'ambiguous')
    throw new VigilError(`job "${query}" is ambiguous: it matches ${resolution.candidates.slice(0, 5).join(', ')}`, ExitCode.runAmbiguous);
  throw new VigilError(`no job matches "${query}" (see vigil queue --all)`, ExitCode.runNotFound);
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export type SubmitCliOptions = SubmitOptions & { file?: string };

/**
 * From the command line: one job (`-- CMD`, with the run options typed before it), or the jobs of
 * a vigil.yaml (`-f FILE [JOB...]`), each with the file's run options and its own.
 */
export async function submitFromCli(words: string[], options: SubmitCliOptions, argv: readonly string[]): Promise<void> {
  const cwd = currentDirectory().path;
  if (options.file !== undefined) {
    const { loadJobsConfig, selectJobs } = await import('../config/load-jobs.ts'); // yaml and zod: only for -f
    const config = loadJobsConfig(options.file, cwd);
    const jobs = selectJobs(config.jobs, words).map((job): SubmittedJob => ({
      name: job.name,
      priority: job.priority,
      gpus: job.gpus,
      shareGpus: job.shareGpus,
      after: job.after,
      command: job.command,
      cwd: job.cwd,
      declaredEnv: job.env,
      // The file itself too: its top-level options, then the job's own (the command line's) over them.
      runOptions: ['-c', config.source, ...job.runOptions],
    }));
    const daemonArgs = config.gpus ? ['--gpus-available', config.gpus.join(',')] : [];
    return submitCommand(jobs, options, daemonArgs);
  }
  if (words.length === 0)
    throw new VigilError('no command given: vigil submit [options] -- CMD [ARGS...], or vigil submit -f vigil.yaml', ExitCode.usage);
  const typed = argv.slice(argv.indexOf('submit', 2) + 1);
  const job: SubmittedJob = {
    name: options.name ?? null,
    priority: options.priority,
    gpus: options.gpus,
    shareGpus: options.shareGpus === true,
    after: options.after,
    command: words,
    cwd,
    declaredEnv: options.env,
    runOptions: runOptionWords(typed, words),
  };
  return submitCommand([job], options, []);
}
