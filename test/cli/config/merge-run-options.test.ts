import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { mergeRunOptions, typedOptionKeys } from '../../../src/cli/config/merge-run-options.ts';

describe('mergeRunOptions', () => {
  const commandLine = { name: undefined as string | undefined, stopTimeout: 30_000, cgroup: true, restart: 'no' };

  test('the file fills what the user did not type; defaults stay where neither says', () => {
    assert.deepEqual(mergeRunOptions({ stopTimeout: 10_000, name: 'nightly' }, commandLine, new Set()), {
      name: 'nightly',
      stopTimeout: 10_000,
      cgroup: true,
      restart: 'no',
    });
  });

  test('the command line wins, even when it types the default value', () => {
    const typed = { ...commandLine, stopTimeout: 30_000, restart: 'always' };
    assert.deepEqual(
      mergeRunOptions({ stopTimeout: 10_000, restart: 'on-failure', cgroup: false }, typed, new Set(['stopTimeout', 'restart'])),
      {
        name: undefined,
        stopTimeout: 30_000,
        cgroup: false,
        restart: 'always',
      },
    );
  });
});

describe('typedOptionKeys', () => {
  const program = () =>
    new Command('run')
      .exitOverride()
      .option('--stop-timeout <ms>', '', Number, 30_000)
      .option('--no-cgroup', '')
      .option('-q, --quiet', '')
      .option('--checkpoints <dir>', '', (value: string, previous: string[]) => [...previous, value], []);

  test('only what was typed, not commander’s defaults', () => {
    const command = program().parse(['--stop-timeout', '30000', '--no-cgroup', '--checkpoints', 'a'], { from: 'user' });
    assert.deepEqual([...typedOptionKeys(command)].sort(), ['cgroup', 'checkpoints', 'stopTimeout']);
    assert.deepEqual([...typedOptionKeys(program().parse([], { from: 'user' }))], []);
  });
});
