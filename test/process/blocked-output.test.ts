/**
 * Vigil not reading, or not running, is not the job hanging (issue items 2 and 17): a stdout
 * nobody reads, vigil stopped (Ctrl-Z, SIGSTOP), the machine asleep (vigil and the job stopped
 * together), and a log truncated under a running job. Each job steps steadily, well within its
 * --progress-timeout, so any stall reported is a false one.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { torchPython } from '../helpers/python.ts';
import { collect, envFor, JOBS, showJson, startVigil, tempHome, VIGIL, waitForLog, waitUntil } from '../helpers/vigil.ts';

const python = torchPython();
const STEADY = join(JOBS, 'watchdog', 'steady.py');
const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

/** The run ended as the job did: exit 0, succeeded, no stall of any kind. */
function assertSucceeded(home: string, stderr: string, steps: number): void {
  const run = showJson(home);
  assert.equal(run.status, 'succeeded', stderr);
  assert.equal(run.attempts[0].exit_code, 0);
  assert.equal(run.attempts[0].stop_reason, null);
  assert.deepEqual(run.flags, []);
  assert.equal(run.progress.step, steps);
  assert.doesNotMatch(stderr, /no progress|hang|stall/);
}

// Each test is a scenario of wall-clock time (15 s unread, 5 s stopped) that costs little CPU: they run side by side.
describe('vigil run: vigil not reading is not the job hanging', { concurrency: true }, () => {
  test('stdout not read for 15 s: the job finishes, exit 0 recorded, and its whole output arrives byte-exact', async () => {
    const home = tempHome();
    // 40 steps of 48 KB, one every 0.3 s: far more than a pipe holds, long before the reader wakes.
    const run = [process.execPath, VIGIL, 'run', '--progress-timeout', '3s', '--', python, STEADY, '40', '0.3', '49152'];
    const child = spawn('sh', ['-c', `${run.map(quote).join(' ')} | (sleep 15; cat)`], {
      env: envFor(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child, 90_000);
    assert.equal(result.code, 0, result.stderr);
    assertSucceeded(home, result.stderr, 40);
    const log = readFileSync(showJson(home).log_path);
    assert.match(log.subarray(-5).toString(), /done\n$/);
    assert.ok(result.stdoutBytes.equals(log), `echoed ${result.stdoutBytes.length} bytes of the log's ${log.length}`);
    assert.match(result.stderr, /echo is [\d.]+ MB behind the log \(your terminal or pipe is not reading\); the log is complete/);
    assert.match(result.stderr, /succeeded after/);
  });

  test('a terminal that stops reading (Ctrl-S) for 15 s: progress is still read and recorded meanwhile, the echo complete after', async () => {
    const home = tempHome();
    const stderrFile = join(home, 'stderr');
    const run = [process.execPath, VIGIL, 'run', '--progress-timeout', '3s', '--', python, STEADY, '40', '0.3', '49152'];
    // util-linux `script` gives vigil a pseudo-terminal, whose output nobody reads for 15 s.
    const child = spawn('script', ['-qfec', `${run.map(quote).join(' ')} 2>${quote(stderrFile)}`, '/dev/null'], {
      env: envFor(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = Date.now();
    child.stdout?.pause();
    // Node writes to a terminal synchronously: a vigil blocked in that write would record nothing now.
    try {
      const recorded = () => {
        try {
          return showJson(home).progress?.step >= 20;
        } catch {
          return false; // not recorded yet
        }
      };
      await waitUntil('progress recorded while the terminal is held', recorded, 13_000, 200);
    } catch (error) {
      child.kill(); // the terminal hangs up, and vigil with it
      throw error;
    }
    await sleep(15_000 - (Date.now() - started)); // the scenario itself: the terminal is held for 15 s
    const output = collect(child, 90_000);
    child.stdout?.resume();
    const result = await output;
    const stderr = readFileSync(stderrFile, 'utf8');
    assert.equal(result.code, 0, stderr);
    assertSucceeded(home, stderr, 40);
    const log = readFileSync(showJson(home).log_path, 'latin1');
    assert.ok(result.stdout === log.replaceAll('\n', '\r\n'), `echoed ${result.stdout.length} characters for a log of ${log.length}`);
  });

  test('vigil stopped for 5 s (SIGSTOP, then SIGCONT) while the job runs on: no hang, exit 0 recorded', async () => {
    const home = tempHome();
    const child = startVigil(home, ['run', '--progress-timeout', '3s', '--', python, STEADY, '40', '0.3']);
    const done = collect(child, 90_000);
    await waitForLog(home, 'step 3/40');
    child.kill('SIGSTOP');
    await sleep(5000); // the scenario itself: vigil is not running for 5 s
    child.kill('SIGCONT');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assertSucceeded(home, result.stderr, 40);
    assert.equal(result.stdout, readFileSync(showJson(home).log_path, 'utf8'));
  });

  test('vigil and the job stopped together for 5 s (the machine asleep): no hang, exit 0 recorded', async () => {
    const home = tempHome();
    const child = startVigil(home, ['run', '-q', '--progress-timeout', '3s', '--', python, STEADY, '30', '0.3']);
    const done = collect(child, 90_000);
    await waitForLog(home, 'step 3/30');
    const jobGroup = -showJson(home).attempts[0].pgid;
    process.kill(jobGroup, 'SIGSTOP');
    child.kill('SIGSTOP');
    await sleep(5000); // the scenario itself: nothing runs for 5 s
    // Vigil wakes first: the job's silence is no longer than the sleep, which is not its fault.
    child.kill('SIGCONT');
    await sleep(300);
    process.kill(jobGroup, 'SIGCONT');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assertSucceeded(home, result.stderr, 30);
  });

  test('a log truncated while the job runs: followed again from its start, echo and progress complete, said once', async () => {
    const home = tempHome();
    const go = join(home, 'go');
    const child = startVigil(home, ['run', '--', python, join(JOBS, 'watchdog', 'truncated_log.py'), go]);
    let echoed = '';
    child.stdout?.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
    const done = collect(child, 60_000);
    await waitForLog(home, 'step 5/10');
    const { log_path: logPath, run_dir: runDir } = showJson(home);
    // Vigil has read (and echoed) some of it: its offsets are past all that follows the truncation.
    await waitUntil(
      'vigil reading the log',
      () => echoed.includes('step 1/10') && readFileSync(join(runDir, 'attempt-1.times'), 'utf8') !== '',
    );
    truncateSync(logPath, 0); // `: > attempt-1.log`
    writeFileSync(go, '');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    const after = [6, 7, 8, 9, 10].map((i) => `step ${i}/10\n`).join('');
    assert.equal(readFileSync(logPath, 'utf8'), after);
    assert.ok(result.stdout.endsWith(`x\n${after}`), `echo ends ${JSON.stringify(result.stdout.slice(-120))}`);
    assert.equal(showJson(home).progress.step, 10);
    assert.equal(result.stderr.match(/truncated/g)?.length, 1, result.stderr);
  });
});
