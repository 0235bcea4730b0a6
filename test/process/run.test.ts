/** `vigil run`: exit codes, environment, byte-exact capture, summary, size warning. */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { elapsedMs } from '../helpers/elapsed.ts';
import { torchPython } from '../helpers/python.ts';
import { JOBS, readLog, showJson, tempHome, vigil } from '../helpers/vigil.ts';

describe('vigil run', () => {
  test('passes the exit code through and records the attempt', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(result.code, 3);
    assert.equal(result.stdout, 'out\nerr\n');
    assert.match(result.stderr, /failed after .*exit code 3/);
    assert.match(result.stderr, /logs: .*attempt-1\.log/);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.command, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(run.cwd, process.cwd());
    const [attempt] = run.attempts;
    assert.equal(attempt.n, 1);
    assert.equal(attempt.exit_code, 3);
    assert.equal(attempt.signal, null);
    assert.ok(attempt.pid > 0);
    assert.ok(Date.parse(attempt.ended_at) >= Date.parse(attempt.started_at));
  });

  test('a job killed by signal N exits 128+N and records the signal', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', 'sh', '-c', 'kill -SEGV $$']);
    assert.equal(result.code, 139);
    const [attempt] = showJson(home).attempts;
    assert.equal(attempt.signal, 'SIGSEGV');
    assert.equal(attempt.exit_code, null);
  });

  test('succeeds with exit 0 and tags the job environment', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', torchPython(), join(JOBS, 'env.py')]);
    assert.equal(result.code, 0);
    const run = showJson(home);
    assert.equal(run.status, 'succeeded');
    assert.match(result.stdout, new RegExp(`VIGIL_RUN_ID=${run.id}\n`));
    assert.match(result.stdout, /VIGIL_ATTEMPT=1\n/);
    assert.match(result.stdout, /PYTHONUNBUFFERED=1\n/);
  });

  test('keeps a PYTHONUNBUFFERED the user set', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', torchPython(), join(JOBS, 'env.py')], { env: { PYTHONUNBUFFERED: '' } });
    assert.match(result.stdout, /PYTHONUNBUFFERED=\n/);
  });

  test('the log and the echo are byte-exact: binary, invalid UTF-8, \\r, a 20 MB line without newline', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', torchPython(), join(JOBS, 'binary.py'), String(20 << 20)]);
    assert.equal(result.code, 0);
    const log = readLog(home);
    const expected = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from('\n\xff\xfe invalid \xc3\x28 utf-8\n', 'latin1'),
      Buffer.from([0, 1, 2, 3, 4].map((i) => `\rprogress ${i}/5`).join('') + '\n'),
      Buffer.from('to stderr\n'),
    ]);
    assert.deepEqual(log.subarray(0, expected.length), expected);
    assert.equal(log.length, expected.length + (20 << 20));
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(sha(result.stdoutBytes), sha(log), 'what vigil echoed equals what it logged');
  });

  test('records when output arrived', async () => {
    const home = tempHome();
    // A second apart: on a loaded machine (a browser test beside it) vigil may read a few hundred ms late.
    await vigil(home, ['run', '--', 'sh', '-c', 'echo a; sleep 1; echo b']);
    const run = showJson(home);
    const times = readFileSync(join(run.run_dir, 'attempt-1.times'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t').map(Number));
    assert.ok(times.length >= 2, 'two separate arrivals');
    assert.equal(times[0]?.[0], 0);
    assert.equal(times.at(-1)?.[0], 2);
    assert.ok(elapsedMs({ what: 'the first arrival', at: times[0]?.[1] }, { what: 'the last arrival', at: times.at(-1)?.[1] }) >= 500);
  });

  test('warns once when the log passes --log-warn-size', async () => {
    const home = tempHome();
    const result = await vigil(home, [
      'run',
      '-q',
      '--log-warn-size',
      '4K',
      '--',
      'sh',
      '-c',
      'i=0; while [ $i -lt 400 ]; do echo "the same warning again"; i=$((i+1)); done',
    ]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr.match(/warning: the log of run/g)?.length, 1);
  });

  describe('bad input: one line on stderr, a distinct exit code', () => {
    const cases: [string, string[], number, RegExp][] = [
      ['no command', ['run', '--'], 2, /no command given/],
      ['unknown option', ['run', '--bogus', '--', 'true'], 2, /unknown option '--bogus'/],
      ['command not found', ['run', '--', 'no-such-command-xyz'], 127, /command not found: no-such-command-xyz/],
      ['missing path', ['run', '--', './no/such/file'], 127, /command not found/],
      ['bad duration', ['run', '--stop-timeout', 'soon', '--', 'true'], 2, /expected a duration/],
    ];
    for (const [what, args, code, message] of cases) {
      test(what, async () => {
        const home = tempHome();
        const result = await vigil(home, args);
        assert.equal(result.code, code);
        assert.match(result.stderr, message);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      });
    }

    test('not executable', async () => {
      const home = tempHome();
      const script = join(home, 'script.sh');
      writeFileSync(script, '#!/bin/sh\necho hi\n');
      chmodSync(script, 0o644);
      const result = await vigil(home, ['run', '--', script]);
      assert.equal(result.code, 126);
      assert.match(result.stderr, /not executable/);
    });
  });
});
