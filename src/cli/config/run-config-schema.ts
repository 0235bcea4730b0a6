/**
 * vigil.yaml: every `vigil run` option, under the option's own name (kebab-case, as typed on the
 * command line and shown by --help), plus `command:`. Each key gives its schema and what it
 * expects, in the words an error message uses. Values are parsed by the same functions as the
 * command line's, so a value means the same thing in both places.
 *
 * Besides, for `vigil submit`: `gpus:` (the GPUs this machine offers the daemon) and `jobs:`,
 * named jobs, each with its command, where and how it queues, and any `vigil run` option (those
 * of the top level are every job's defaults). Keys are kebab-case there too (`share-gpus`).
 */

import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import { afterCycle } from '../../core/queue/after-graph.ts';
import { nearestName } from '../../core/text/nearest-name.ts';
import {
  PARAM_NAME,
  onRule,
  parseBackoffRange,
  parseCategory,
  parseDumpSignal,
  type OnRule,
  type Parsed,
} from '../../core/run-options/restart-values.ts';
import { parseSize } from '../../core/size.ts';
import { parseGroupId } from '../../core/group/identity.ts';
import { checkTargetSpec, parseHeartbeatUrl, TARGET_SYNTAX } from '../../core/alerts/target-spec.ts';

/** A scalar as text: YAML reads `stop-timeout: 30` as a number, meant as the "30" one would type. */
const scalarText = z.union([z.string(), z.number()]).transform(String);

/** A value parsed by a command-line parser; its error becomes the issue's message. */
function parsedBy<T>(parse: (text: string) => Parsed<T>) {
  return scalarText.transform((text, context) => {
    const parsed = parse(text);
    if ('value' in parsed) return parsed.value;
    context.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  });
}

const durationValue = (text: string): Parsed<number> => {
  const parsed = parseDuration(text);
  return 'ms' in parsed ? { value: parsed.ms } : parsed;
};
const duration = parsedBy(durationValue);
/** `0` or `off`: never fires (as --startup-timeout on the command line). */
const optionalTimeout = parsedBy((text) => {
  if (text.trim().toLowerCase() === 'off') return { value: Number.POSITIVE_INFINITY };
  const parsed = durationValue(text);
  return 'value' in parsed && parsed.value === 0 ? { value: Number.POSITIVE_INFINITY } : parsed;
});
const size = parsedBy((text) => {
  const bytes = parseSize(text);
  return bytes === null ? { error: 'expected a size such as 500M or 2G' } : { value: bytes };
});
const count = (least: number) => z.number().int().min(least);
/** A list; one item alone may be written without the brackets (`checkpoints: out`). */
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(item));
const paramName = z.string().regex(PARAM_NAME);

const onRules = z
  .record(z.string(), z.strictObject({ halve: paramName.optional(), double: paramName.optional() }))
  .transform((rules, context) => {
    const parsed: OnRule[] = [];
    for (const [name, actions] of Object.entries(rules)) {
      const category = parseCategory(name);
      const rule = 'error' in category ? category : onRule(category.value, actions.halve, actions.double);
      if ('error' in rule) context.addIssue({ code: 'custom', message: rule.error, path: [name] });
      else parsed.push(rule.value);
    }
    return parsed;
  });

export type Field = { schema: z.ZodType; expected: string };
const field = <S extends z.ZodType>(schema: S, expected: string) => ({ schema, expected });
const DURATION = 'a duration such as 30s, 5m or 1h30m';

export const RUN_CONFIG_FIELDS = {
  command: field(z.array(z.string()).min(1), 'the command as a list of words, e.g. [python, train.py, --lr, "3e-4"]'),
  name: field(z.string().min(1), 'a run name'),
  'stop-timeout': field(duration, DURATION),
  'log-warn-size': field(size, 'a size such as 500M or 2G'),
  cgroup: field(z.boolean(), 'true or false (false: no cgroup of its own, as --no-cgroup)'),
  quiet: field(z.boolean(), 'true or false'),
  'startup-timeout': field(optionalTimeout, `${DURATION}, or off`),
  'progress-timeout': field(z.literal('auto').or(duration), `${DURATION}, or auto`),
  'exit-grace': field(optionalTimeout, `${DURATION}, or off`),
  'on-hang': field(z.enum(['kill', 'wait']), 'kill or wait'),
  'on-nan': field(z.enum(['stop', 'warn']), 'stop or warn'),
  'stage-timeout': field(duration, DURATION),
  'python-hooks': field(z.boolean(), 'true or false (false: as --no-python-hooks)'),
  'dump-signal': field(parsedBy(parseDumpSignal), 'SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR or SIGURG'),
  'slurm-signal': field(parsedBy(parseDumpSignal), 'SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR or SIGURG'),
  requeue: field(z.boolean(), 'true or false (false: as --no-requeue)'),
  'on-hangup': field(z.enum(['ignore', 'stop']), 'ignore or stop'),
  'exit-codes': field(z.enum(['job', 'cause']), 'job or cause'),
  'termination-log': field(z.string(), 'a file path'),
  group: field(parsedBy(parseGroupId), 'a group id: letters, digits and ._:@-'),
  database: field(z.string().regex(/^postgres(?:ql)?:\/\//i), 'a postgresql:// URL (the shared store)'),
  restart: field(z.enum(['no', 'on-failure', 'always']), 'no, on-failure or always'),
  'max-restarts': field(count(0), 'a whole number (0 or more)'),
  'restart-window': field(duration, DURATION),
  backoff: field(parsedBy(parseBackoffRange), 'MIN..MAX, e.g. 5s..5m'),
  'min-uptime': field(duration, DURATION),
  'retry-on': field(listOf(parsedBy(parseCategory)), 'a list of crash categories, e.g. [nccl_timeout, hang]'),
  param: field(z.record(paramName, scalarText), 'a mapping of NAME: VALUE, e.g. {BATCH: 32, ACCUM: 1}'),
  on: field(onRules, 'a mapping of CATEGORY: {halve: NAME, double: OTHER}, e.g. {cuda_oom: {halve: BATCH, double: ACCUM}}'),
  'save-grace': field(duration, DURATION),
  checkpoints: field(listOf(z.string().min(1)), 'a list of directories'),
  'checkpoint-glob': field(z.string().min(1), 'a glob such as "ckpt-*.pt"'),
  settle: field(duration, DURATION),
  fingerprint: field(listOf(z.string().min(1)), 'a list of files or directories'),
  'on-fingerprint-change': field(z.enum(['refuse', 'fresh', 'ignore']), 'refuse, fresh or ignore'),
  'keep-last': field(count(1), 'a whole number above 0'),
  'keep-best': field(count(1), 'a whole number above 0'),
  'best-metric': field(z.string().min(1), 'a metric name such as eval_loss'),
  'best-mode': field(z.enum(['min', 'max']), 'min or max'),
  'keep-every': field(count(1), 'a whole number of steps above 0'),
  notify: field(listOf(parsedBy(checkTargetSpec)), `a list of alert targets: ${TARGET_SYNTAX}`),
  'notify-finished': field(z.boolean(), 'true or false'),
  heartbeat: field(parsedBy(parseHeartbeatUrl), 'an http(s) URL to ping, e.g. https://hc-ping.com/UUID'),
  'heartbeat-every': field(duration, DURATION),
} as const satisfies Record<string, Field>;

export type RunConfigKey = keyof typeof RUN_CONFIG_FIELDS;

/** The keys of vigil.yaml's nested mappings, for "did you mean". */
export const NESTED_KEYS: Partial<Record<RunConfigKey, readonly string[]>> = { on: ['halve', 'double'] };

/** The option's key as commander names it: `stop-timeout` → `stopTimeout`. */
export type OptionKey<K extends string> = K extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<OptionKey<Tail>>}` : K;
export const optionKey = <K extends string>(key: K) => key.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase()) as OptionKey<K>;

/** What a vigil.yaml gives: each key it sets, under commander's name for the option, parsed. */
export type RunConfigOptions = {
  [K in Exclude<RunConfigKey, 'command'> as OptionKey<K>]?: z.output<(typeof RUN_CONFIG_FIELDS)[K]['schema']>;
};

export const runConfigSchema = z.object(
  Object.fromEntries(Object.entries(RUN_CONFIG_FIELDS).map(([key, { schema }]) => [key, schema.optional()])) as {
    [K in RunConfigKey]: z.ZodOptional<(typeof RUN_CONFIG_FIELDS)[K]['schema']>;
  },
);

/**
 * The `vigil run` options a job may set: all but `command` (a job has its own) and `name` (its key
 * under `jobs:` names it). A job inherits the top level's, not its `command` nor its `name`.
 */
const JOB_RUN_OPTION_FIELDS = Object.fromEntries(
  Object.entries(RUN_CONFIG_FIELDS).filter(([key]) => key !== 'command' && key !== 'name'),
) as Omit<typeof RUN_CONFIG_FIELDS, 'command' | 'name'>;
export type JobRunOptionKey = keyof typeof JOB_RUN_OPTION_FIELDS;
export const JOB_RUN_OPTION_KEYS = Object.keys(JOB_RUN_OPTION_FIELDS) as JobRunOptionKey[];

/** A string is a shell command line, as a Procfile's or a Makefile's: `/bin/sh -c` runs it. */
const jobCommand = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .transform((command) => (typeof command === 'string' ? ['/bin/sh', '-c', command] : command));

export const JOB_FIELDS = {
  command: field(jobCommand, 'the command as a list of words, or a string run by /bin/sh -c'),
  cwd: field(z.string().min(1), "a directory (relative to the file's)"),
  env: field(z.record(paramName, scalarText), 'a mapping of NAME: VALUE, e.g. {SEED: 1}'),
  gpus: field(count(0), 'a whole number of GPUs (0 or more)'),
  'share-gpus': field(z.boolean(), 'true or false'),
  priority: field(z.number().int(), 'a whole number (higher runs first)'),
  after: field(listOf(z.string().min(1)), 'a list of names of jobs of this file'),
  ...JOB_RUN_OPTION_FIELDS,
} as const satisfies Record<string, Field>;
export type JobKey = keyof typeof JOB_FIELDS;

/** A job's name is typed on the command line (`vigil submit -f vigil.yaml train`): no spaces, no leading dash. */
export const JOB_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const jobSchema = z.strictObject({
  ...(Object.fromEntries(Object.entries(JOB_FIELDS).map(([key, { schema }]) => [key, schema.optional()])) as {
    [K in JobKey]: z.ZodOptional<(typeof JOB_FIELDS)[K]['schema']>;
  }),
  command: JOB_FIELDS.command.schema,
});

/** Every `after` names a job of the file, and no job waits on itself, however indirectly. */
const jobsSchema = z.record(z.string().regex(JOB_NAME), jobSchema).superRefine((jobs, context) => {
  const names = Object.keys(jobs);
  for (const [name, job] of Object.entries(jobs))
    (job.after ?? []).forEach((before, index) => {
      if (Object.hasOwn(jobs, before)) return;
      const near = nearestName(before, names);
      context.addIssue({
        code: 'custom',
        path: [name, 'after', index],
        message: `no job ${before} in this file${near ? ` (did you mean ${near}?)` : ''}; its jobs: ${names.join(', ')}`,
        params: { complete: true },
      });
    });
  const cycle = afterCycle(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.after ?? []])));
  if (!cycle) return;
  const [first, second] = cycle as [string, string];
  const how =
    cycle.length === 2
      ? `${first} runs after itself`
      : `${first} runs after ${second}${cycle
          .slice(2)
          .map((name) => `, which runs after ${name}`)
          .join('')}`;
  context.addIssue({
    code: 'custom',
    path: [first, 'after', (jobs[first]?.after ?? []).indexOf(second)],
    message: `a cycle: ${how}`,
    params: { complete: true },
  });
});

/** Every key of vigil.yaml's top level. */
export const CONFIG_FILE_FIELDS = {
  ...RUN_CONFIG_FIELDS,
  // A list even for one GPU: `gpus: 2` would read as "two GPUs", as a job's gpus: means.
  gpus: field(z.array(count(0)), 'a list of GPU indices, e.g. [0, 1]'),
  jobs: field(jobsSchema, 'a mapping of job names to jobs, e.g. {train: {command: [python, train.py]}}'),
} as const satisfies Record<string, Field>;
export type ConfigFileKey = keyof typeof CONFIG_FILE_FIELDS;

export const configFileSchema = z.object(
  Object.fromEntries(Object.entries(CONFIG_FILE_FIELDS).map(([key, { schema }]) => [key, schema.optional()])) as {
    [K in ConfigFileKey]: z.ZodOptional<(typeof CONFIG_FILE_FIELDS)[K]['schema']>;
  },
);
export type ConfigFileData = z.output<typeof configFileSchema>;

const JOB_ENTRY = field(jobSchema, 'a job: a mapping with its command and options, e.g. {command: [python, train.py]}');

/**
 * The field a path into the file reaches (`['jobs', 'train', 'max-restarts']`: a job's
 * max-restarts), and the keys known where it points, for "did you mean". Null: the whole file.
 */
export function fieldAt(path: readonly PropertyKey[]): { field: Field | null; knownKeys: readonly string[] } {
  if (path.length === 0) return { field: null, knownKeys: Object.keys(CONFIG_FILE_FIELDS) };
  if (path[0] === 'jobs' && path.length === 2) return { field: JOB_ENTRY, knownKeys: Object.keys(JOB_FIELDS) };
  const [key, fields] = path[0] === 'jobs' && path.length > 2 ? [String(path[2]), JOB_FIELDS] : [String(path[0]), CONFIG_FILE_FIELDS];
  return { field: (fields as Record<string, Field>)[key] ?? null, knownKeys: NESTED_KEYS[key as RunConfigKey] ?? [] };
}
