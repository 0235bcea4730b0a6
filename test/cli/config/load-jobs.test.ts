import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadJobsConfig, selectJobs, type JobDefinition } from '../../../src/cli/config/load-jobs.ts';
import { parseRunConfig } from '../../../src/cli/config/load-run-config.ts';
import { VigilError } from '../../../src/errors.ts';

const EXAMPLE = `# top-level run options still apply to vigil run, and are every job's defaults
restart: on-failure
stop-timeout: 45s
command: [python3, solo.py]
name: solo
gpus: [0, 1]
jobs:
  prepare:
    command: [python3, prep.py]
    cwd: data
    env: {SEED: "1", WORKERS: 4}
  train:
    command: python3 train.py --resume {checkpoint}
    gpus: 2
    share-gpus: true
    priority: 5
    after: [prepare]
    checkpoints: [ckpt, /abs/other]
    fingerprint: data/train.jsonl
    max-restarts: 5
    restart: always
    cgroup: false
    quiet: true
    startup-timeout: off
    retry-on: [cuda_oom, hang]
    param: {BATCH: 32}
    on:
      cuda_oom: {halve: BATCH, double: ACCUM}
`;

/** A directory holding vigil.yaml (this text) and data/. */
function fileDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'vigil.yaml'), yaml);
  return dir;
}

/** The one-line message (and exit 2) a bad jobs file gives. */
function errorOf(yaml: string): string {
  try {
    loadJobsConfig('vigil.yaml', fileDir(yaml));
  } catch (error) {
    assert.ok(error instanceof VigilError, String(error));
    assert.equal(error.exitCode, 2);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail('no error');
}

describe('loadJobsConfig', () => {
  test('each job: its command, where, how it queues, and its run options (the top level under its own) as words', () => {
    const dir = fileDir(EXAMPLE);
    const config = loadJobsConfig('vigil.yaml', dir);
    assert.deepEqual(config, {
      gpus: [0, 1],
      source: join(dir, 'vigil.yaml'),
      jobs: [
        {
          name: 'prepare',
          command: ['python3', 'prep.py'],
          cwd: join(dir, 'data'),
          env: { SEED: '1', WORKERS: '4' },
          gpus: 0,
          shareGpus: false,
          priority: 0,
          after: [],
          runOptions: ['--stop-timeout=45s', '--restart=on-failure'],
        },
        {
          name: 'train',
          command: ['/bin/sh', '-c', 'python3 train.py --resume {checkpoint}'],
          cwd: dir,
          env: {},
          gpus: 2,
          shareGpus: true,
          priority: 5,
          after: ['prepare'],
          runOptions: [
            '--stop-timeout=45s',
            '--no-cgroup',
            '--quiet',
            '--startup-timeout=off',
            '--restart=always',
            '--max-restarts=5',
            '--retry-on=cuda_oom',
            '--retry-on=hang',
            '--param=BATCH=32',
            '--on=cuda_oom:halve=BATCH,double=ACCUM',
            `--checkpoints=${join(dir, 'ckpt')}`,
            '--checkpoints=/abs/other',
            `--fingerprint=${join(dir, 'data/train.jsonl')}`,
          ],
        },
      ],
    });
  });

  test('the file named relative to the working directory; no gpus: null; no jobs: none', () => {
    const dir = fileDir('restart: always\n');
    assert.deepEqual(loadJobsConfig('../vigil.yaml', join(dir, 'data')), { jobs: [], gpus: null, source: join(dir, 'vigil.yaml') });
  });

  test('a missing file is a usage error naming it', () => {
    assert.throws(
      () => loadJobsConfig('nope.yaml', tmpdir()),
      (error: unknown) => error instanceof VigilError && error.exitCode === 2 && error.message === 'nope.yaml: no such file',
    );
  });

  test('vigil run reads the same file: the top level only; jobs and gpus are checked, not run', () => {
    assert.deepEqual(parseRunConfig(EXAMPLE, 'vigil.yaml'), {
      command: ['python3', 'solo.py'],
      options: { restart: 'on-failure', stopTimeout: 45_000, name: 'solo' },
    });
    assert.throws(() => parseRunConfig('jobs:\n  a: {command: [x], after: [bogus]}\n', 'vigil.yaml'), {
      message: 'vigil.yaml:2: jobs.a.after[0]: no job bogus in this file; its jobs: a',
    });
  });
});

describe('a bad jobs file: one line naming the file, the line and the key', () => {
  const cases: [string, string, string][] = [
    [
      'a bad run option in a job',
      'jobs:\n  train:\n    command: [x]\n    max-restarts: five\n',
      'vigil.yaml:4: jobs.train.max-restarts: expected a whole number (0 or more), found "five"',
    ],
    [
      'an unknown key, with the nearest',
      'jobs:\n  train:\n    command: [x]\n    priorty: 3\n',
      'vigil.yaml:4: jobs.train: unknown key priorty (did you mean priority?)',
    ],
    [
      'snake_case',
      'jobs:\n  train:\n    command: [x]\n    share_gpus: true\n',
      'vigil.yaml:4: jobs.train: unknown key share_gpus: write share-gpus (keys are spelled as the options are)',
    ],
    ['an unknown top-level key', 'job:\n  train: {command: [x]}\n', 'vigil.yaml:1: unknown key job (did you mean jobs?)'],
    [
      'an after naming no job of the file',
      'jobs:\n  prepare: {command: [x]}\n  train:\n    command: [y]\n    after: [prepar]\n',
      'vigil.yaml:5: jobs.train.after[0]: no job prepar in this file (did you mean prepare?); its jobs: prepare, train',
    ],
    [
      'a cycle',
      'jobs:\n  a:\n    command: [x]\n    after: [c]\n  b:\n    command: [x]\n    after: [a]\n  c:\n    command: [x]\n    after: [b]\n',
      'vigil.yaml:4: jobs.a.after[0]: a cycle: a runs after c, which runs after b, which runs after a',
    ],
    ['a job after itself', 'jobs:\n  a:\n    command: [x]\n    after: a\n', 'vigil.yaml:4: jobs.a.after[0]: a cycle: a runs after itself'],
    [
      'no command',
      'jobs:\n  train:\n    gpus: 1\n',
      'vigil.yaml:3: jobs.train.command: missing: expected the command as a list of words, or a string run by /bin/sh -c',
    ],
    [
      'a job that is not a mapping',
      'jobs:\n  train: python train.py\n',
      'vigil.yaml:2: jobs.train: expected a job: a mapping with its command and options, e.g. {command: [python, train.py]}, found "python train.py"',
    ],
    [
      'a job name one cannot type',
      'jobs:\n  -train:\n    command: [x]\n',
      'vigil.yaml:2: jobs.-train: expected a job name: letters, digits, _, . and - (it is typed on the command line), found "-train"',
    ],
    ['gpus of the top level: indices', 'gpus: 2\n', 'vigil.yaml:1: gpus: expected a list of GPU indices, e.g. [0, 1], found 2'],
    [
      'a count of GPUs',
      'jobs:\n  t:\n    command: [x]\n    gpus: [0]\n',
      'vigil.yaml:4: jobs.t.gpus: expected a whole number of GPUs (0 or more), found a list',
    ],
    [
      'a bad env name',
      'jobs:\n  t:\n    command: [x]\n    env:\n      MY-VAR: 1\n',
      'vigil.yaml:5: jobs.t.env.MY-VAR: expected a mapping of NAME: VALUE, e.g. {SEED: 1}, found 1',
    ],
    ['a missing directory', 'jobs:\n  t:\n    command: [x]\n    cwd: nowhere\n', 'vigil.yaml:4: jobs.t.cwd: no such directory: '],
    ['name: is the key', 'jobs:\n  t:\n    command: [x]\n    name: other\n', 'vigil.yaml:4: jobs.t: unknown key name'],
  ];
  for (const [name, yaml, message] of cases)
    test(name, () => {
      const got = errorOf(yaml);
      if (message.endsWith(': ')) assert.ok(got.startsWith(message), got);
      else assert.equal(got, message);
    });
});

describe('selectJobs', () => {
  const job = (name: string, after: string[] = []): JobDefinition => ({
    name,
    after,
    command: ['x'],
    cwd: '/',
    env: {},
    gpus: 0,
    shareGpus: false,
    priority: 0,
    runOptions: [],
  });
  // In the file: eval first, though it runs after train.
  const all = [job('eval', ['train']), job('prepare'), job('tokenize', ['prepare']), job('train', ['tokenize', 'prepare']), job('lint')];
  const names = (jobs: JobDefinition[]) => jobs.map((picked) => picked.name);

  test('a job comes with what it runs after, each before the jobs that need it', () => {
    assert.deepEqual(names(selectJobs(all, ['train'])), ['prepare', 'tokenize', 'train']);
    assert.deepEqual(names(selectJobs(all, ['eval', 'lint'])), ['prepare', 'tokenize', 'train', 'eval', 'lint']);
  });

  test('no names: every job, in an order that respects after', () => {
    assert.deepEqual(names(selectJobs(all, [])), ['prepare', 'tokenize', 'train', 'eval', 'lint']);
  });

  test('an unknown name: one line with the nearest and the names the file has', () => {
    assert.throws(
      () => selectJobs(all, ['trian']),
      (error: unknown) =>
        error instanceof VigilError &&
        error.exitCode === 2 &&
        error.message === 'no job trian in the file (did you mean train?); its jobs: eval, prepare, tokenize, train, lint',
    );
    assert.throws(() => selectJobs([], ['a']), { message: 'no job a in the file; it has no jobs' });
  });
});
