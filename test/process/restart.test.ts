/**
 * Restarts with judgement, on real processes: a transient failure is retried in the same run
 * (same id, attempt 2 with its own log and VIGIL_ATTEMPT=2), a cause a retry cannot help fails
 * fast, a crash loop and the restart budget stop the loop with the reason, an adaptive rule
 * halves the batch after an OOM, and a run the user stops is never restarted.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { collect, JOBS, showJson, startVigil, tempHome, vigil, waitForLog } from '../helpers/vigil.ts';

const FLAKY = join(JOBS, 'restart', 'flaky.py');
const PYTHON = '/usr/bin/python3';
const FAST = ['--restart', 'on-failure', '--backoff', '10ms..50ms'];

/** `vigil run -q --restart on-failure --backoff 10ms..50ms OPTIONS -- python flaky.py ARGS` */
const runFlaky = (home: string, options: string[], args: string[]) =>
  vigil(home, ['run', '-q', ...FAST, ...options, '--', PYTHON, FLAKY, ...args]);

describe('restarts', () => {
  test('a transient failure is retried in the same run: attempt 2 succeeds, each attempt has its log and record', async () => {
    const home = tempHome();
    const result = await runFlaky(home, [], ['--fail-until', '1', '--fail-step', '2', '--error', 'nccl']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /attempt 2 in [\d.]+m?s: starting fresh \(lost 2 steps, [\d.]+m?s\) — cause nccl_timeout/);
    const run = showJson(home);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.attempts.length, 2);
    assert.equal(run.attempts[0].exit_code, 1);
    assert.equal(run.attempts[0].diagnosis.category, 'nccl_timeout');
    assert.equal(run.attempts[0].restart_reason, 'cause nccl_timeout');
    assert.equal(run.attempts[0].lost_steps, 2);
    assert.equal(run.attempts[1].exit_code, 0);
    assert.match((await vigil(home, ['logs', 'last', '--attempt', '1'])).stdout, /Watchdog caught collective operation timeout/);
    assert.match((await vigil(home, ['logs', 'last'])).stdout, /^done$/m);
  });

  test('a cause a retry cannot help fails fast: exactly one attempt, and the reason', async () => {
    const home = tempHome();
    const result = await runFlaky(home, [], ['--fail-until', '9', '--error', 'import']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not restarting: import_error is not retryable/);
    const run = showJson(home);
    assert.equal(run.attempts.length, 1);
    assert.match(run.attempts[0].restart_reason, /import_error is not retryable/);
  });

  test('the same cause at the same step twice is a crash loop: stopped before --max-restarts', async () => {
    const home = tempHome();
    const result = await runFlaky(home, ['--max-restarts', '5'], ['--fail-until', '9', '--fail-step', '2']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not restarting: crash loop: attempts 1 and 2 both failed with nccl_timeout at step 2/);
    assert.equal(showJson(home).attempts.length, 2);
  });

  test('failures that get further each time stop at --max-restarts', async () => {
    const home = tempHome();
    // An unrecognised crash at a step that differs by attempt, so the crash-loop rule (same step twice) does not apply.
    const result = await vigil(home, [
      'run',
      '-q',
      ...FAST,
      '--max-restarts',
      '2',
      '--',
      'sh',
      '-c',
      'echo "step $VIGIL_ATTEMPT/9"; exit 7',
    ]);
    assert.equal(result.code, 7);
    assert.match(result.stderr, /not restarting: gave up: 2 restarts within 1h \(--max-restarts 2\)/);
    assert.equal(showJson(home).attempts.length, 3);
  });

  test('--on cuda_oom:halve=BATCH: each attempt gets half the batch until it fits', async () => {
    const home = tempHome();
    const record = join(mkdtempSync(join(tmpdir(), 'vigil-params-')), 'attempts');
    const result = await runFlaky(
      home,
      ['--param', 'BATCH=32', '--on', 'cuda_oom:halve=BATCH'],
      ['--steps', '10', '--batch', '{BATCH}', '--oom-above', '8', '--record', record],
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /cause cuda_oom; BATCH 32→16/);
    assert.equal(readFileSync(record, 'utf8'), '1 32 32\n2 16 16\n3 8 8\n', 'the command and VIGIL_PARAM_BATCH both carry it');
    const run = showJson(home);
    assert.deepEqual(
      run.attempts.map((a: { params: unknown }) => a.params),
      [{ BATCH: 32 }, { BATCH: 16 }, { BATCH: 8 }],
    );
  });

  test('a stall killed by the watchdog is a failure like any other: restarted by policy', async () => {
    const home = tempHome();
    const result = await runFlaky(home, ['--progress-timeout', '2s'], ['--steps', '5', '--hang-until', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /attempt 2 in [\d.]+m?s: starting fresh \(lost 5 steps, [\d.]+m?s\) — cause hang/);
    const run = showJson(home);
    assert.equal(run.attempts[0].stop_reason, 'hang');
    assert.equal(run.attempts[1].exit_code, 0);
  });

  test('a run the user stops is never restarted', async () => {
    const home = tempHome();
    const child = startVigil(home, ['run', '-q', '--restart', 'always', '--', PYTHON, FLAKY, '--steps', '100000']);
    const done = collect(child);
    await waitForLog(home, 'step 3/');
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130);
    const run = showJson(home);
    assert.equal(run.status, 'stopped');
    assert.equal(run.attempts.length, 1);
  });
});
