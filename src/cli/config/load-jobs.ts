/**
 * vigil.yaml's named jobs, for `vigil submit -f vigil.yaml [JOB...]`. Each job's `vigil run`
 * options are the top level's with its own over them, an option at a time (a job's `param:`
 * replaces the top level's whole, as a typed --param replaces the file's). Paths are the job's:
 * `cwd:` is relative to the file's directory (default: that directory), and `checkpoints:` and
 * `fingerprint:` are made absolute against `cwd:`.
 */

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { withPrerequisites } from '../../core/queue/after-graph.ts';
import { nearestName } from '../../core/text/nearest-name.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { parseConfigFile, readConfigText } from './read-config-file.ts';
import { runOptionWords } from './run-option-words.ts';
import { JOB_RUN_OPTION_KEYS, type JobRunOptionKey } from './run-config-schema.ts';

export type JobDefinition = {
  /** Its key under `jobs:`. */
  name: string;
  command: string[];
  /** Absolute. */
  cwd: string;
  /** The variables it declares (`env:`). */
  env: Record<string, string>;
  gpus: number;
  shareGpus: boolean;
  priority: number;
  /** Names of jobs of the same file. */
  after: string[];
  /** Its `vigil run` options as command-line words (run-option-words.ts). */
  runOptions: string[];
};

export type JobsConfig = {
  /** In the file's order. */
  jobs: JobDefinition[];
  /** The GPUs the file offers the daemon (`gpus:`); null when it says nothing. */
  gpus: number[] | null;
  /** The file read, absolute. */
  source: string;
};

/** The jobs of `file` (relative to `cwd`); errors name the file as given. */
export function loadJobsConfig(file: string, cwd: string): JobsConfig {
  const source = resolve(cwd, file);
  const { data, raw, fail } = parseConfigFile(readConfigText(source, file, false) as string, file);
  const home = dirname(source);
  const rawJobs = (raw.jobs ?? {}) as Record<string, Record<string, unknown>>;
  const jobs = Object.entries(data.jobs ?? {}).map(([name, job]): JobDefinition => {
    const jobCwd = resolve(home, job.cwd ?? '.');
    if (job.cwd !== undefined && !isDirectory(jobCwd)) fail(['jobs', name, 'cwd'], `no such directory: ${jobCwd}`);
    return {
      name,
      command: job.command,
      cwd: jobCwd,
      env: job.env ?? {},
      gpus: job.gpus ?? 0,
      shareGpus: job['share-gpus'] ?? false,
      priority: job.priority ?? 0,
      after: job.after ?? [],
      runOptions: runOptionWords({ ...runOptionsOf(raw), ...runOptionsOf(rawJobs[name] ?? {}) }, jobCwd),
    };
  });
  return { jobs, gpus: data.gpus ?? null, source };
}

/**
 * The jobs `names` asks for (all of them when none), each with the jobs it runs after, however
 * indirectly, and in an order where every job comes after those it runs after (so a submit can
 * turn each `after` name into the id of a job it already queued).
 *
 * Its prerequisites come along rather than being refused: `after: [prepare]` says train needs
 * what prepare makes, so `vigil submit train` means "get train done", as `make train` builds what
 * train depends on and `docker compose up train` starts its depends_on. Refusing would only make
 * the user type the list the file already holds.
 */
export function selectJobs(all: readonly JobDefinition[], names: readonly string[]): JobDefinition[] {
  const byName = new Map(all.map((job) => [job.name, job]));
  const unknown = names.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    const known = [...byName.keys()];
    const near = unknown.length === 1 ? nearestName(unknown[0] as string, known) : null;
    const has = known.length === 0 ? 'it has no jobs' : `its jobs: ${known.join(', ')}`;
    throw new VigilError(`no job ${unknown.join(', ')} in the file${near ? ` (did you mean ${near}?)` : ''}; ${has}`, ExitCode.usage);
  }
  const graph = Object.fromEntries(all.map((job) => [job.name, job.after]));
  return withPrerequisites(graph, names.length === 0 ? [...byName.keys()] : names).map((name) => byName.get(name) as JobDefinition);
}

function runOptionsOf(keys: Record<string, unknown>): Partial<Record<JobRunOptionKey, unknown>> {
  return Object.fromEntries(JOB_RUN_OPTION_KEYS.filter((key) => Object.hasOwn(keys, key)).map((key) => [key, keys[key]]));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
