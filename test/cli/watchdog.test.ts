/**
 * The watchdog on real processes: a trainer hung on a lock, a real PyTorch DataLoader worker
 * asleep in __getitem__, an import that never returns, a segfaulting worker, a stalled
 * pipeline edge, a NaN loss, an exit 0 after zero steps, real tqdm output, and the helper
 * without a supervisor. Detection times are measured from the last progress the job printed.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import Database from 'better-sqlite3';
import { collect, JOBS, psJson, REPO, showJson, startVigil, tempHome, vigil } from '../helpers/vigil.ts';

const WATCHDOG = join(JOBS, 'watchdog');
const python = torchPython();

/** Runs a hanging job; returns the run and how long after its last progress line the stall was reported. */
async function runUntilStall(script: string, options: string[], lastProgressLine: RegExp) {
  const home = tempHome();
  const child = startVigil(home, ['run', ...options, '--', python, join(WATCHDOG, script)]);
  let lastProgressAt = 0;
  let reportedAt = 0;
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (lastProgressLine.test(stdout) && lastProgressAt === 0) lastProgressAt = Date.now();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (/no progress/.test(chunk.toString()) && reportedAt === 0) reportedAt = Date.now();
  });
  const result = await collect(child, 60_000);
  return { home, result, detectionMs: reportedAt - lastProgressAt, lastProgressAt, reportedAt };
}

describe('vigil run: hangs and stalls', () => {
  test('a trainer hung on a lock after step 10: detected within timeout + 2 s, stacks name the blocking frame', async () => {
    const { home, result, detectionMs, lastProgressAt } = await runUntilStall(
      'hang_on_lock.py',
      ['--progress-timeout', '2s'],
      /step 10\/100/,
    );
    assert.ok(lastProgressAt > 0, result.stderr);
    assert.ok(detectionMs <= 2000 + 2000, `detected ${detectionMs} ms after the last step`);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.flags, ['hang']);
    assert.equal(run.progress.step, 10);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.equal(diagnosis.where.function, 'wait_for_batch');
    assert.match(diagnosis.summary, /after step 10: main .*hang_on_lock\.py:15 wait_for_batch/);
    assert.ok(diagnosis.stacks.length >= 1);
    assert.equal(diagnosis.stacks[0].process, 'main');
    assert.match(diagnosis.stacks[0].text, /in wait_for_batch/);
    assert.equal(run.attempts[0].stop_reason, 'hang');
  });

  test('a real DataLoader whose worker sleeps forever: detected within timeout + 2 s, the report names the worker frame', async () => {
    const { home, result, detectionMs } = await runUntilStall('worker_sleeps.py', ['--progress-timeout', '3s'], /step \d+ loss/);
    const run = showJson(home);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis?.category, 'hang', result.stderr);
    assert.ok(detectionMs <= 3000 + 2000 + 1000, `detected ${detectionMs} ms after the first step line`);
    assert.equal(diagnosis.process, 'DataLoader worker 1');
    assert.equal(diagnosis.where.function, '__getitem__');
    assert.match(diagnosis.summary, /main waits in __next__ .*; DataLoader worker 1 in worker_sleeps\.py:15 __getitem__/);
    assert.deepEqual(diagnosis.stacks.map((s: { process: string }) => s.process).sort(), [
      'DataLoader worker 0',
      'DataLoader worker 1',
      'main',
    ]);
  });

  test('an import that blocks: a start-up stall naming the module', async () => {
    const home = tempHome();
    const started = Date.now();
    const result = await vigil(home, ['run', '-q', '--startup-timeout', '2s', '--', python, join(WATCHDOG, 'slow_import.py')]);
    assert.ok(Date.now() - started < 2000 + 2000 + 3000, 'detected and ended promptly');
    const run = showJson(home);
    assert.deepEqual(run.flags, ['startup_stall'], result.stderr);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.match(diagnosis.summary, /main has been importing slowmod for \d/);
    assert.equal(diagnosis.where.function, '<module>');
    assert.match(diagnosis.where.file, /slowmod\.py$/);
  });

  test('output without progress is not progress: warnings in a loop still hang', async () => {
    const home = tempHome();
    const script =
      'import time\nprint("step 1", flush=True)\nwhile True:\n    print("UserWarning: something", flush=True)\n    time.sleep(0.1)\n';
    const result = await vigil(home, ['run', '-q', '--progress-timeout', '1500ms', '--', python, '-c', script]);
    assert.equal(showJson(home).attempts[0].diagnosis?.category, 'hang', result.stderr);
  });
});

describe('vigil run: Python instrumentation and the helper', () => {
  test('a segfaulting DataLoader worker leaves its Python stack', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', python, join(JOBS, 'crashes', 'worker_segfault.py')]);
    const run = showJson(home);
    const pyDir = join(run.run_dir, 'attempt-1.py');
    const dumps = readdirSync(pyDir).map((file) => readFileSync(join(pyDir, file), 'utf8'));
    const worker = dumps.find((text) => /Fatal Python error: Segmentation fault/.test(text));
    assert.ok(worker, `no fault file holds the segfault: ${readdirSync(pyDir).join(', ')}`);
    assert.match(worker, /File ".*worker_segfault\.py", line 12 in __getitem__/);
  });

  test('helper calls with no supervisor are no-ops', () => {
    const env = { ...process.env, PYTHONPATH: join(REPO, 'python') };
    delete env.VIGIL_EVENTS;
    const result = spawnSync(python, [join(WATCHDOG, 'helper_noop.py')], { env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    assert.equal(result.stderr, '');
  });

  test('a stalled pipeline edge is reported with both stages', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--stage-timeout', '1500ms', '--', python, join(WATCHDOG, 'stage_stall.py')]);
    assert.match(result.stderr, /pipeline edge stalled: bridge=0 while crop=\d+ for \ds/);
    assert.ok(showJson(home).flags.includes('stage_stall'));
  });

  test('a NaN loss: event, flag, and with --on-nan stop the run fails as nan_loss', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--on-nan', 'stop', '--', python, join(WATCHDOG, 'nan_loss.py')]);
    const run = showJson(home);
    assert.equal(run.status, 'failed', result.stderr);
    assert.equal(run.attempts[0].diagnosis.category, 'nan_loss');
    assert.ok(run.flags.includes('nan_loss'));
    assert.equal(run.progress.metrics.loss, 'NaN');
    assert.ok(run.progress.step >= 5 && run.progress.step < 49);
  });

  test('exit 0 after zero steps is flagged in show and ps', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'zero_steps.py')]);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /flags: no_progress/);
    assert.deepEqual(showJson(home).flags, ['no_progress']);
    assert.deepEqual(psJson(home)[0]?.flags, ['no_progress']);
  });

  test('real tqdm output: progress step, total and rate', async () => {
    const home = tempHome();
    const script = 'import time\nfrom tqdm import tqdm\nfor i in tqdm(range(40)):\n    time.sleep(0.02)\n';
    const result = await vigil(home, ['run', '-q', '--', '/usr/bin/python3', '-c', script]);
    assert.equal(result.code, 0, result.stderr);
    const run = showJson(home);
    assert.equal(run.progress.step, 40);
    assert.equal(run.progress.total, 40);
    assert.ok(run.progress.rate > 5, `rate ${run.progress.rate}`);
    assert.deepEqual(run.flags, []);
  });

  test('the progress events are rate-limited, not one per bar redraw', async () => {
    const home = tempHome();
    const script = 'import sys\nfor i in range(1, 20001):\n    sys.stdout.write(f"\\r{i}/20000 [00:01<00:00, 9999.00it/s]")\nprint()\n';
    await vigil(home, ['run', '-q', '--', python, '-c', script]);
    const run = showJson(home);
    assert.equal(run.progress.step, 20000);
    const db = new Database(join(home, 'vigil.db'), { readonly: true });
    const stored = db.prepare("SELECT COUNT(*) AS n FROM events WHERE kind = 'progress'").get() as { n: number };
    db.close();
    assert.ok(stored.n >= 1 && stored.n <= 5, `${stored.n} progress events for 20000 redraws`);
  });
});
