import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadRunConfig, parseRunConfig } from '../../../src/cli/config/load-run-config.ts';
import { VigilError } from '../../../src/errors.ts';

/** The one-line message (and exit 2) a bad vigil.yaml gives. */
function errorOf(yaml: string): string {
  try {
    parseRunConfig(yaml, 'vigil.yaml');
  } catch (error) {
    assert.ok(error instanceof VigilError, String(error));
    assert.equal(error.exitCode, 2);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail('no error');
}

describe('vigil.yaml: a valid file', () => {
  test('every kind of value, under commander’s option names, parsed as on the command line', () => {
    const config = parseRunConfig(
      `# nightly fine-tune
command: [python, train.py, --resume, "{checkpoint}"]
name: nightly
stop-timeout: 45s
log-warn-size: 4G
cgroup: false
quiet: true
startup-timeout: off
progress-timeout: auto
on-hang: kill
on-nan: stop
stage-timeout: 90        # bare seconds, as on the command line
python-hooks: true
dump-signal: usr1
on-hangup: stop
restart: on-failure
max-restarts: 5
restart-window: 2h
backoff: 10s..10m
min-uptime: 3m
retry-on: [cuda_oom, hang]
param: {BATCH: 32, ACCUM: 1}
on:
  cuda_oom: {halve: BATCH, double: ACCUM}
  host_oom: {halve: BATCH}
save-grace: 90s
checkpoints: out
checkpoint-glob: "ckpt-*.pt"
settle: 5s
fingerprint: [data/train.jsonl, configs/]
on-fingerprint-change: fresh
keep-last: 3
keep-best: 2
best-metric: eval_loss
best-mode: min
keep-every: 1000
`,
      'vigil.yaml',
    );
    assert.deepEqual(config, {
      command: ['python', 'train.py', '--resume', '{checkpoint}'],
      options: {
        name: 'nightly',
        stopTimeout: 45_000,
        logWarnSize: 4 * 1024 ** 3,
        cgroup: false,
        quiet: true,
        startupTimeout: Number.POSITIVE_INFINITY,
        progressTimeout: 'auto',
        onHang: 'kill',
        onNan: 'stop',
        stageTimeout: 90_000,
        pythonHooks: true,
        dumpSignal: 'SIGUSR1',
        onHangup: 'stop',
        restart: 'on-failure',
        maxRestarts: 5,
        restartWindow: 7_200_000,
        backoff: { minMs: 10_000, maxMs: 600_000 },
        minUptime: 180_000,
        retryOn: ['cuda_oom', 'hang'],
        param: { BATCH: '32', ACCUM: '1' },
        on: [
          { category: 'cuda_oom', halve: 'BATCH', double: 'ACCUM' },
          { category: 'host_oom', halve: 'BATCH', double: null },
        ],
        saveGrace: 90_000,
        checkpoints: ['out'],
        checkpointGlob: 'ckpt-*.pt',
        settle: 5000,
        fingerprint: ['data/train.jsonl', 'configs/'],
        onFingerprintChange: 'fresh',
        keepLast: 3,
        keepBest: 2,
        bestMetric: 'eval_loss',
        bestMode: 'min',
        keepEvery: 1000,
      },
    });
  });

  test('an empty file or one of comments sets nothing', () => {
    assert.deepEqual(parseRunConfig('', 'vigil.yaml'), { options: {}, command: null });
    assert.deepEqual(parseRunConfig('# nothing yet\n', 'vigil.yaml'), { options: {}, command: null });
  });
});

describe('vigil.yaml: errors name the file, the line, the key, what was expected and what was found', () => {
  const cases: [string, string, string][] = [
    ['a bad type', 'name: x\nmax-restarts: three\n', 'vigil.yaml:2: max-restarts: expected a whole number (0 or more), found "three"'],
    ['a fraction', 'keep-last: 2.5\n', 'vigil.yaml:1: keep-last: expected a whole number above 0, found 2.5'],
    [
      'a bad duration',
      'restart: always\n\nstop-timeout: 5 minutes\n',
      'vigil.yaml:3: stop-timeout: expected a duration: a number with a unit (250ms, 30s, 5m, 1h30m, 2d), or bare seconds up to 999, found "5 minutes"',
    ],
    [
      'a duration that would surprise',
      'stop-timeout: 30000\n',
      'vigil.yaml:1: stop-timeout: a bare number is seconds, so 30000 would be 8h20m: write 8h20m, or 30000ms if milliseconds were meant, found 30000',
    ],
    ['a choice outside the list', 'restart: sometimes\n', 'vigil.yaml:1: restart: expected no, on-failure or always, found "sometimes"'],
    [
      'an unknown key, with the nearest known one',
      'name: x\nmax-restart: 3\n',
      'vigil.yaml:2: unknown key max-restart (did you mean max-restarts?)',
    ],
    ['an unknown key, nothing near', 'colour: blue\n', 'vigil.yaml:1: unknown key colour'],
    [
      'snake_case',
      'stop_timeout: 30s\n',
      'vigil.yaml:1: unknown key stop_timeout: write stop-timeout (keys are spelled as the options are)',
    ],
    ['a negated flag', 'no-cgroup: true\n', 'vigil.yaml:1: unknown key no-cgroup: write cgroup: false'],
    [
      'a command as a string',
      'command: python train.py\n',
      'vigil.yaml:1: command: expected the command as a list of words, e.g. [python, train.py, --lr, "3e-4"], found "python train.py"',
    ],
    ['a bad list item', 'checkpoints:\n  - out\n  - 7\n', 'vigil.yaml:3: checkpoints[1]: expected a list of directories, found 7'],
    [
      'a bad category in a list',
      'retry-on: [hang, cuda_om]\n',
      'vigil.yaml:1: retry-on[1]: unknown category "cuda_om" (did you mean cuda_oom?), found "cuda_om"',
    ],
    ['a bad backoff', 'backoff: 5m..5s\n', 'vigil.yaml:1: backoff: MIN (5m) is above MAX (5s), found "5m..5s"'],
    [
      'an on rule of an unknown category',
      'on:\n  cuda_om: {halve: BATCH}\n',
      'vigil.yaml:2: on.cuda_om: unknown category "cuda_om" (did you mean cuda_oom?)',
    ],
    [
      'an on rule with a typo in its key',
      'on:\n  cuda_oom:\n    halv: BATCH\n',
      'vigil.yaml:3: on.cuda_oom: unknown key halv (did you mean halve?)',
    ],
    [
      'an on rule without halve',
      'on:\n  cuda_oom: {double: ACCUM}\n',
      'vigil.yaml:2: on.cuda_oom: expected halve=NAME for cuda_oom: the rule exists to shrink what ran out',
    ],
    [
      'a bad parameter name',
      'param:\n  BAT-CH: 3\n',
      'vigil.yaml:2: param.BAT-CH: expected a mapping of NAME: VALUE, e.g. {BATCH: 32, ACCUM: 1}, found 3',
    ],
    ['a key given twice', 'name: a\nname: b\n', 'vigil.yaml:2: not valid YAML: Map keys must be unique'],
    [
      'not YAML',
      'name: [a\n',
      'vigil.yaml:2: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['not a mapping', '- restart\n', 'vigil.yaml:1: expected a mapping of vigil run options (e.g. restart: on-failure), found a list'],
    [
      'the first problem by line',
      'restart: sometimes\nname: 5\n',
      'vigil.yaml:1: restart: expected no, on-failure or always, found "sometimes"',
    ],
  ];
  for (const [name, yaml, message] of cases) test(name, () => assert.equal(errorOf(yaml), message));
});

describe('loadRunConfig', () => {
  const directory = () => mkdtempSync(join(tmpdir(), 'vigil-config-'));

  test('vigil.yaml in the working directory', () => {
    const cwd = directory();
    writeFileSync(join(cwd, 'vigil.yaml'), 'restart: always\n');
    assert.deepEqual(loadRunConfig(cwd), { options: { restart: 'always' }, command: null, source: join(cwd, 'vigil.yaml') });
  });

  test('no vigil.yaml and no -c: none', () => assert.equal(loadRunConfig(directory()), null));

  test('-c names another file, relative to the working directory, and errors name it as given', () => {
    const cwd = directory();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'night.yaml'), 'max-restarts: -1\n');
    assert.throws(() => loadRunConfig(cwd, 'conf/night.yaml'), {
      message: 'conf/night.yaml:1: max-restarts: expected a whole number (0 or more), found -1',
    });
  });

  test('-c of a missing file is a usage error', () => {
    assert.throws(
      () => loadRunConfig(directory(), 'missing.yaml'),
      (error: unknown) => error instanceof VigilError && error.exitCode === 2 && error.message === '-c missing.yaml: no such file',
    );
  });

  test('a vigil.yaml that is a directory is a usage error', () => {
    const cwd = directory();
    mkdirSync(join(cwd, 'vigil.yaml'));
    assert.throws(() => loadRunConfig(cwd), { message: 'vigil.yaml: a directory, not a file' });
  });
});
