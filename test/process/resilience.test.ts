/**
 * Whatever happens to the store or to vigil's own wrap-up, the job is watched to its end and
 * its exit status is recorded as it happened: a full VIGIL_HOME disk, another process holding
 * the write lock for longer than any busy timeout, a run directory deleted mid-run, `vigil stop`
 * racing the job's own exit, a stuck supervisor, a hangup.
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { smallDisk } from '../helpers/disk.ts';
import { collect, JOBS, psJson, showJson, startVigil, taggedPids, tempHome, vigil, waitForLog, waitUntil } from '../helpers/vigil.ts';

const STEADY = join(JOBS, 'resilience', 'steady.py');

/** The steady trainer's command: `steps` step lines every `every` s; with `pauseAt`, it waits there until the file `go` exists. */
function steadyJob(options: { steps: number; every: number; exit?: number; pauseAt?: number; go?: string }): string[] {
  const { steps, every, exit = 0, pauseAt, go } = options;
  const pause = pauseAt !== undefined && go ? ['--pause-at', String(pauseAt), '--wait-for', go] : [];
  return [PYTHON, STEADY, '--steps', String(steps), '--every', String(every), '--exit', String(exit), ...pause];
}
const PYTHON = '/usr/bin/python3';

/** Writes zeros until the disk is full. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  return filler;
}

describe('the store fails, supervision goes on', () => {
  /**
   * A steady job under a VIGIL_HOME on a small disk: it logs a few steps, the disk is filled, and
   * only then does the job go on and end (its log lines past that point are lost, as they would be).
   */
  async function runIntoFullDisk(steps: number, exitCode: number) {
    const disk = smallDisk(6);
    const home = join(disk, 'home');
    const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
    const job = steadyJob({ steps, every: 0.05, exit: exitCode, pauseAt: 2, go });
    const supervisor = startVigil(home, ['run', '-q', '--', ...job]);
    const output = { stderr: '' };
    supervisor.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    const done = collect(supervisor);
    const runId = await waitForLog(home, `step 2/${steps}`);
    const filler = fillDisk(disk);
    writeFileSync(go, '');
    await waitUntil(
      'the full-disk warning',
      () => /cannot write to the database \(ENOSPC: the disk of VIGIL_HOME \(.*\) is full\)/.test(output.stderr),
      30_000,
    );
    return { home, runId, supervisor, done, filler };
  }

  test('a full VIGIL_HOME disk: the job finishes, its exit status is recorded once space returns, one clear warning', async () => {
    const { home, runId, done, filler } = await runIntoFullDisk(12, 3);
    rmSync(filler);
    const result = await done;
    assert.equal(result.code, 3, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error|at .*\.ts:\d+/);
    assert.equal((result.stderr.match(/cannot write to the database/g) ?? []).length, 1, result.stderr);
    const run = showJson(home, runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.exit_code, 3);
    assert.equal(run.attempts[0].exit_code, 3);
  });

  test('a full disk that stays full: the outcome is kept in the run directory and recorded by the next command', async () => {
    const { home, runId, supervisor, done, filler } = await runIntoFullDisk(6, 0);
    const slot = join(home, 'runs', runId, 'outcome');
    // vigil is killed while it waits for the disk: the outcome must not die with it.
    await waitUntil('the outcome kept in its slot', () => existsSync(slot) && readFileSync(slot, 'utf8').trim() !== '', 30_000);
    supervisor.kill('SIGKILL');
    await done;
    // Still full: `vigil ps` reads the outcome from the slot, and cannot write it yet.
    assert.equal(psJson(home).find((row) => row.id === runId)?.status, 'succeeded');
    rmSync(filler);
    const run = psJson(home).find((row) => row.id === runId);
    assert.equal(run?.status, 'succeeded', `recorded from the slot, not unknown: ${JSON.stringify(run)}`);
    assert.equal(showJson(home, runId).exit_code, 0);
    assert.equal(readFileSync(slot, 'utf8').trim(), '', 'the slot is cleared once recorded');
  });

  test('a full VIGIL_HOME disk and no vigil running: ps, show and queue still read it; a submit says the disk may be full (exit 3)', async () => {
    const home = join(smallDisk(4), 'home');
    const env = { VIGIL_NO_AUTOSTART: '1' };
    assert.equal((await vigil(home, ['run', '-q', '--no-python-hooks', '--', 'true'])).code, 0);
    assert.equal((await vigil(home, ['submit', '--', 'true'], { env })).code, 0);
    fillDisk(join(home, '..')); // every connection closed: SQLite must make -wal and -shm again, and cannot
    assert.equal(psJson(home).length, 1);
    assert.equal(showJson(home).status, 'succeeded');
    const queue = await vigil(home, ['queue', '--json']);
    assert.equal(queue.code, 0, queue.stderr);
    assert.equal(JSON.parse(queue.stdout).jobs.length, 1);
    const refused = await vigil(home, ['submit', '--allow-duplicate', '--', 'true'], { env });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /^vigil: cannot use database .*vigil\.db: .*\(is its disk full\? df -h on it\)\n$/);
  });

  test('a foreign write lock held for 16 s: echo and watchdog keep going, no hang, the exit status is recorded', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'true']); // the database exists
    const supervisor = startVigil(home, ['run', '--progress-timeout', '3s', '--', ...steadyJob({ steps: 40, every: 0.1 })]);
    const arrivals: number[] = [];
    supervisor.stdout?.on('data', (chunk: Buffer) => {
      const steps = chunk.toString().match(/^step /gm)?.length ?? 0;
      for (let i = 0; i < steps; i += 1) arrivals.push(Date.now());
    });
    const done = collect(supervisor, 90_000);
    await waitForLog(home, 'step 2/40');
    const locker = spawn(PYTHON, [join(JOBS, 'resilience', 'hold_lock.py'), join(home, 'vigil.db'), '16'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const released = new Promise((resolve) => locker.on('exit', resolve));
    const result = await done;
    await released;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /hang|stalled|internal error/);
    assert.match(result.stderr, /SQLITE_BUSY: another process holds the database's write lock/);
    // The echo was never frozen: no gap of seconds between step lines (a 10 s busy wait made one).
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number));
    assert.equal(arrivals.length, 40);
    assert.ok(Math.max(...gaps) < 2000, `largest gap between echoed steps ${Math.max(...gaps)} ms`);
    const run = showJson(home);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.exit_code, 0);
    assert.ok(run.flags.includes('store_degraded'), 'the run says its history may be incomplete');
  });
});

describe("vigil's own wrap-up", () => {
  test('Ctrl-C while a new run waits for a locked database: nothing started, nothing left behind', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'true']);
    const locker = spawn(PYTHON, [join(JOBS, 'resilience', 'hold_lock.py'), join(home, 'vigil.db'), '30'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => locker.stdout?.once('data', resolve));
    const child = startVigil(home, ['run', '-q', '--', 'touch', join(home, 'started')]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = collect(child);
    await waitUntil('vigil waiting for the lock', () => /cannot record the run yet \(SQLITE_BUSY/.test(stderr));
    child.kill('SIGINT');
    const result = await done;
    locker.kill('SIGKILL');
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /interrupted before the job started: nothing was started/);
    assert.equal(existsSync(join(home, 'started')), false);
    assert.equal(readdirSync(join(home, 'runs')).length, 1, 'only the earlier run has a directory');
  });

  test('the run directory deleted mid-run: the exit status is still recorded, no internal error', async () => {
    const home = tempHome();
    const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
    const done = collect(startVigil(home, ['run', '-q', '--', ...steadyJob({ steps: 4, every: 0.05, exit: 5, pauseAt: 2, go })]));
    const runId = await waitForLog(home, 'step 2/4');
    rmSync(join(home, 'runs', runId), { recursive: true, force: true });
    writeFileSync(go, '');
    const result = await done;
    assert.equal(result.code, 5, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/);
    const run = showJson(home, runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.exit_code, 5);
  });

  test('a refused --name leaves no run directory and no cgroup behind (20 racing runs)', async () => {
    const home = tempHome();
    const runs = Array.from({ length: 20 }, () => vigil(home, ['run', '-q', '--name', 'solo', '--', 'sleep', '2']));
    const results = await Promise.all(runs);
    const accepted = results.filter((r) => r.code === 0).length;
    const refused = results.filter((r) => r.code === 8).length;
    assert.ok(accepted >= 1 && accepted + refused === 20, results.map((r) => `${r.code} ${r.stderr}`).join('\n'));
    const recorded = psJson(home).length;
    assert.equal(recorded, accepted);
    assert.equal(readdirSync(join(home, 'runs')).length, recorded, 'one directory per recorded run');
    const cgroupRoot = findVigilCgroupDir();
    if (cgroupRoot) {
      const ids = new Set(psJson(home).map((row) => row.id));
      const leaked = readdirSync(cgroupRoot).filter((name) => /^[0-9a-f]{12}$/.test(name) && !ids.has(name));
      assert.deepEqual(
        leaked.filter((id) => existsSync(join(home, 'runs', id))),
        [],
      );
    }
  });

  test('140 stop/exit races: every recorded outcome is what happened', async () => {
    const trials = Number(process.env.VIGIL_RACE_TRIALS ?? 140);
    const parallel = 7;
    const problems: string[] = [];
    let stopped = 0;
    let succeeded = 0;
    for (let batch = 0; batch < trials; batch += parallel) {
      await Promise.all(
        Array.from({ length: Math.min(parallel, trials - batch) }, async (_, i) => {
          const home = tempHome();
          const child = startVigil(home, ['run', '-q', '--', 'sleep', '1.5']);
          const done = collect(child);
          // Polled from the file system: a `vigil show` per poll would block this loop for all the trials.
          const runId = await waitUntil(
            'the attempt started',
            () =>
              (existsSync(join(home, 'runs')) || null) &&
              readdirSync(join(home, 'runs')).find((id) => existsSync(join(home, 'runs', id, 'attempt-1.log'))),
            20_000,
            10,
          );
          // Aim the stop around the job's own exit.
          await new Promise((resolve) => setTimeout(resolve, ((batch + i) % 12) * 150));
          const stop = await vigil(home, ['stop', runId]);
          const result = await done;
          const { run, attempt } = recordedOutcome(home, runId);
          const what = `${run.status} exit=${run.exit_code} signal=${run.signal} reason=${attempt.stop_reason} vigil=${result.code ?? result.signal} stop=${stop.code} (stop said: ${(stop.stdout + stop.stderr).trim()}; vigil said: ${result.stderr.trim()})`;
          if (run.status === 'succeeded' && run.exit_code === 0 && run.signal === null && result.code === 0) succeeded += 1;
          else if (run.status === 'stopped' && run.signal === 'SIGTERM' && attempt.stop_reason === 'vigil stop' && result.code === 143)
            stopped += 1;
          else problems.push(what);
          if (result.code === 143 && /succeeded/.test(result.stderr)) problems.push(`printed succeeded, exited 143: ${what}`);
        }),
      );
    }
    console.log(`# races: ${succeeded} ended on their own, ${stopped} stopped, ${problems.length} wrong`);
    assert.deepEqual(problems, []);
    assert.ok(succeeded > 0 && stopped > 0, 'the stops landed on both sides of the exit');
  });
});

/**
 * What the database holds of a run and its first attempt, read straight from the SQLite file: the
 * races ask it 140 times, and a `vigil show` process each time took a core from the races themselves.
 */
function recordedOutcome(home: string, runId: string) {
  const db = new Database(join(home, 'vigil.db'), { readonly: true });
  try {
    return {
      run: db.prepare('SELECT status, exit_code, signal FROM runs WHERE id = ?').get(runId) as Record<string, any>,
      attempt: db.prepare('SELECT stop_reason FROM attempts WHERE run_id = ? AND n = 1').get(runId) as Record<string, any>,
    };
  } finally {
    db.close();
  }
}

describe('a stuck supervisor, a hangup', () => {
  test('vigil stop --force ends the tree of a run whose supervisor is stopped (SIGSTOP)', async () => {
    const home = tempHome();
    const child = startVigil(home, ['run', '-q', '--', 'sh', '-c', 'sleep 300 & sleep 300; wait']);
    const done = collect(child);
    const runId = await waitUntil('the job', () => {
      try {
        const id = showJson(home).id as string;
        return taggedPids(id).length >= 2 ? id : null;
      } catch {
        return null;
      }
    });
    process.kill(child.pid as number, 'SIGSTOP');
    const started = Date.now();
    const stop = await vigil(home, ['stop', '--force', runId]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.ok(Date.now() - started < 8000, 'no wait on the stuck supervisor');
    assert.deepEqual(taggedPids(runId), []);
    await done;
    const run = showJson(home, runId);
    assert.equal(run.status, 'stopped');
    assert.equal(run.attempts[0].stop_reason, 'vigil stop --force');
  });

  test('a hangup does not stop the job; --on-hangup stop does', async () => {
    const home = tempHome();
    // Long enough that the hangup lands while it runs, on a loaded machine too: with 3 s of job, a full suite beside
    // helpers once saw the log's first step only after the job had ended, and the hangup met vigil on its way out.
    const child = startVigil(home, ['run', '-q', '--', ...steadyJob({ steps: 100, every: 0.1 })]);
    const done = collect(child);
    await waitForLog(home, 'step 1/100');
    child.kill('SIGHUP');
    const result = await done;
    assert.equal(result.code, 0, `${result.stderr} (signal ${result.signal})`);
    assert.match(result.stderr, /hangup .*the job goes on/);
    assert.equal(showJson(home).status, 'succeeded');

    const stopping = startVigil(home, ['run', '-q', '--on-hangup', 'stop', '--', 'sleep', '30']);
    const stoppedDone = collect(stopping);
    await waitUntil('the run', () => psJson(home, false).length === 1);
    stopping.kill('SIGHUP');
    const stopped = await stoppedDone;
    assert.equal(stopped.code, 128 + 1, 'the hangup is passed on to the job');
    assert.equal(showJson(home).attempts[0].stop_reason, 'SIGHUP');
  });
});

describe('a job left without its supervisor', () => {
  test('it hangs after its supervisor was SIGKILLed: vigil adopt finds the stall, keeps the stacks and ends it as the watchdog would have', async () => {
    const home = tempHome();
    const never = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'never'); // never created: the job waits at step 3 for good
    const job = steadyJob({ steps: 50, every: 0.05, pauseAt: 3, go: never });
    const supervisor = startVigil(home, ['run', '-q', '--progress-timeout', '4s', '--', ...job]);
    const supervised = collect(supervisor);
    const runId = await waitForLog(home, 'step 3/50');
    supervisor.kill('SIGKILL');
    await supervised;
    assert.ok(taggedPids(runId).length > 0, 'the job lives on without its supervisor');

    const adopted = await vigil(home, ['adopt', runId], { timeoutMs: 45_000 });
    assert.equal(adopted.code, 0, adopted.stderr);
    assert.match(adopted.stderr, /ended \(failed: .*no progress/, adopted.stderr);
    const run = showJson(home, runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.attempts[0].stop_reason, 'hang');
    assert.equal(run.attempts[0].diagnosis?.category, 'hang');
    assert.ok(run.flags.includes('hang'), JSON.stringify(run.flags));
    assert.deepEqual(taggedPids(runId), [], 'nothing of the job is left');
    // The stack shows where it waits: the pause loop of the trainer.
    assert.match(readFileSync(join(home, 'runs', runId, 'attempt-1.stacks'), 'utf8'), /steady\.py/);
  });

  test("its log deleted before the adoption: the watchdog cannot follow it, the job's end is still watched and recorded", async () => {
    const home = tempHome();
    const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
    const supervisor = startVigil(home, ['run', '-q', '--', ...steadyJob({ steps: 6, every: 0.05, exit: 3, pauseAt: 3, go })]);
    const supervised = collect(supervisor);
    const runId = await waitForLog(home, 'step 3/6');
    supervisor.kill('SIGKILL');
    await supervised;
    rmSync(join(home, 'runs', runId, 'attempt-1.log'));
    const adopter = startVigil(home, ['adopt', runId]);
    let said = '';
    adopter.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const adopted = collect(adopter);
    // The job goes on once the adopter has said what it can watch (or has failed: then the job is left unwatched).
    await waitUntil('the adopter watching', () => /cannot follow|ended/.test(said));
    writeFileSync(go, '');
    const result = await adopted;
    assert.equal(result.code, 0, result.stderr);
    assert.match(said, /cannot follow/, said);
    assert.equal(showJson(home, runId).status, 'unknown');
    assert.deepEqual(taggedPids(runId), []);
  });
});

describe('the adopter itself killed', () => {
  test('SIGKILL of vigil adopt: the job is an orphan again, and a second vigil adopt watches it to its end', async () => {
    const home = tempHome();
    const { runId, go } = await orphanAtStep3(home);

    const first = startVigil(home, ['adopt', runId]);
    const firstDone = collect(first);
    await waitUntil('the first adopter holding the run', () => adoptionsOf(home, runId).includes(first.pid as number));
    first.kill('SIGKILL');
    await firstDone;
    assert.ok(taggedPids(runId).length > 0, 'the job lives on without its adopter');
    assert.equal(showJson(home, runId).status, 'orphaned', 'shown as the orphan it is again');

    const second = startVigil(home, ['adopt', runId]);
    let said = '';
    second.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const secondDone = collect(second);
    await waitUntil('the second adopter holding the run', () => adoptionsOf(home, runId).includes(second.pid as number));
    writeFileSync(go, '');
    const result = await secondDone;
    assert.equal(result.code, 0, result.stderr);
    assert.match(said, /ended \(unknown/, said);
    assert.equal(showJson(home, runId).status, 'unknown');
    assert.deepEqual(taggedPids(runId), []);
  });
});

describe('the adopter and a locked database', () => {
  test('a foreign write lock held as the adopted job ends: the adopter waits it out and records the end, no internal error', async () => {
    const home = tempHome();
    const { runId, go } = await orphanAtStep3(home);

    const adopter = startVigil(home, ['adopt', runId]);
    const adopted = collect(adopter, 90_000);
    await waitUntil('the adopter holding the run', () => adoptionsOf(home, runId).includes(adopter.pid as number));
    const { released } = await holdWriteLock(home, 12);
    writeFileSync(go, ''); // the job ends while the lock is held
    const result = await adopted;
    await released;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.match(result.stderr, /ended \(unknown/, result.stderr);
    const run = showJson(home, runId);
    assert.equal(run.status, 'unknown');
    assert.ok(run.ended_at, 'its end is recorded');
    assert.deepEqual(taggedPids(runId), []);
  });
});

describe('the adopter and a full disk', () => {
  test("VIGIL_HOME's disk fills before the adopted job ends: the end is kept in the run's outcome slot, and recorded once space returns", async () => {
    const disk = smallDisk(6);
    const home = join(disk, 'home');
    const { runId, go } = await orphanAtStep3(home);
    const adopter = startVigil(home, ['adopt', runId]);
    const adopted = collect(adopter, 90_000);
    await waitUntil('the adopter holding the run', () => adoptionsOf(home, runId).includes(adopter.pid as number));
    const filler = fillDisk(disk);
    writeFileSync(go, '');
    const result = await adopted;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/);
    const slot = join(home, 'runs', runId, 'outcome');
    assert.match(result.stderr, /the outcome is kept in .*outcome and the next vigil command records it/, result.stderr);
    assert.match(readFileSync(slot, 'utf8'), /"status":"unknown"/);
    rmSync(filler);
    assert.equal(psJson(home).find((row) => row.id === runId)?.status, 'unknown');
    assert.ok(showJson(home, runId).ended_at, 'its end is recorded');
    assert.equal(readFileSync(slot, 'utf8').trim(), '', 'the slot is cleared once recorded');
    assert.deepEqual(taggedPids(runId), []);
  });
});

describe('a command and a database locked past its wait', () => {
  test('vigil adopt while another process holds the write lock for longer than the 10 s busy wait: one line, exit 17, the orphan left to adopt again', async () => {
    const home = tempHome();
    const { runId, go } = await orphanAtStep3(home);
    const { released } = await holdWriteLock(home, 14);
    const refused = await vigil(home, ['adopt', runId], { timeoutMs: 30_000 });
    assert.equal(refused.code, 17, refused.stderr);
    assert.match(refused.stderr, /^vigil: database .* is locked by another process .*try again/m);
    assert.doesNotMatch(refused.stderr, /internal error|\n\s+at /);
    await released;
    const adopter = startVigil(home, ['adopt', runId]);
    const adopted = collect(adopter);
    await waitUntil('the adopter holding the run', () => adoptionsOf(home, runId).includes(adopter.pid as number));
    writeFileSync(go, '');
    assert.equal((await adopted).code, 0);
    assert.equal(showJson(home, runId).status, 'unknown');
  });
});

describe('the supervisor stopped with SIGSTOP', () => {
  test('a plain vigil adopt refuses a run whose supervisor lives; --force SIGKILLs the stopped one and watches the job, which goes on, to its end', async () => {
    const home = tempHome();
    const { supervised, runId, go } = await stoppedAtStep3(home);

    const refused = await vigil(home, ['adopt', runId]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /is supervised .*vigil adopt --force/);

    const adopter = startVigil(home, ['adopt', '--force', runId]);
    let said = '';
    adopter.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const adopted = collect(adopter);
    await waitUntil('the forced adopter holding the run', () => adoptionsOf(home, runId).includes(adopter.pid as number));
    const old = await supervised;
    assert.equal(old.signal, 'SIGKILL', 'the stopped supervisor was killed, not woken');
    assert.ok(taggedPids(runId).length > 0, 'the job lives on');
    writeFileSync(go, '');
    const result = await adopted;
    assert.equal(result.code, 0, result.stderr);
    assert.match(said, /ended \(unknown/, said);
    assert.match(readFileSync(join(home, 'runs', runId, 'attempt-1.log'), 'utf8'), /step 6\/6/, 'the job ran to its end');
    assert.equal(showJson(home, runId).status, 'unknown');
    assert.deepEqual(taggedPids(runId), []);
  });

  test('a plain vigil adopt refuses a stopped supervisor at once though the write lock is held (as by one stopped mid-write)', async () => {
    const home = tempHome();
    const { supervisor, supervised, runId, go } = await stoppedAtStep3(home);
    const { released } = await holdWriteLock(home, 14);
    const started = Date.now();
    const refused = await vigil(home, ['adopt', runId], { timeoutMs: 30_000 });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /is supervised .*vigil adopt --force/);
    assert.ok(Date.now() - started < 8_000, `refused after ${Date.now() - started} ms: it waited on the lock`);
    await released;
    supervisor.kill('SIGCONT');
    writeFileSync(go, '');
    assert.equal((await supervised).code, 0);
  });
});

/** A run whose supervisor was SIGSTOPped while its job waits at step 3 of 6 for `go` to exist: supervised, but by one that cannot act. */
async function stoppedAtStep3(home: string) {
  const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
  const supervisor = startVigil(home, ['run', '-q', '--', ...steadyJob({ steps: 6, every: 0.05, pauseAt: 3, go })]);
  const supervised = collect(supervisor);
  const runId = await waitForLog(home, 'step 3/6');
  supervisor.kill('SIGSTOP');
  return { supervisor, supervised, runId, go };
}

/** A run whose supervisor was SIGKILLed while its job waits at step 3 of 6 for `go` to exist: an orphan to adopt. */
async function orphanAtStep3(home: string): Promise<{ runId: string; go: string }> {
  const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
  const supervisor = startVigil(home, ['run', '-q', '--', ...steadyJob({ steps: 6, every: 0.05, pauseAt: 3, go })]);
  const supervised = collect(supervisor);
  const runId = await waitForLog(home, 'step 3/6');
  supervisor.kill('SIGKILL');
  await supervised;
  return { runId, go };
}

/** Another process holds the database's write lock for `seconds` from when this resolves; `released` settles on the release (an object: an async function would wait for a promise it returned). */
async function holdWriteLock(home: string, seconds: number): Promise<{ released: Promise<unknown> }> {
  const locker = spawn(PYTHON, [join(JOBS, 'resilience', 'hold_lock.py'), join(home, 'vigil.db'), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => locker.stdout?.once('data', resolve));
  return { released: new Promise((resolve) => locker.on('exit', resolve)) };
}

/** The pids that adopted the run, in order (its `adopted` events, read straight from the SQLite file). */
function adoptionsOf(home: string, runId: string): number[] {
  const db = new Database(join(home, 'vigil.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT data FROM events WHERE run_id = ? AND kind = 'adopted' ORDER BY id").all(runId) as { data: string }[];
    return rows.map((row) => (JSON.parse(row.data) as { pid: number }).pid);
  } finally {
    db.close();
  }
}

/** Where vigil's per-run cgroups live (null without a writable cgroup v2). */
function findVigilCgroupDir(): string | null {
  const mountinfo = spawnSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' }).stdout;
  const line = mountinfo.split('\n').find((l) => l.includes(' - cgroup2 '));
  const mount = line?.split(' ')[4];
  if (!mount) return null;
  const own = /^0::(.*)$/m.exec(spawnSync('cat', ['/proc/self/cgroup'], { encoding: 'utf8' }).stdout)?.[1] ?? '/';
  const dir = join(mount, own, 'vigil');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}
