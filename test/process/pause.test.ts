/**
 * `vigil pause` / `vigil resume` on a real PyTorch trainer with two DataLoader workers, run with
 * `--progress-timeout 2s` and paused for 5 s: with a cgroup (frozen) and without (SIGSTOP to
 * each process). While paused no step reaches the log, every process stays stopped, no stall is
 * reported and `vigil ps` says paused; resumed, it trains on and succeeds. A paused run can
 * still be stopped: it is continued after the stop signal, so it acts on it at once.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { torchPython } from '../helpers/python.ts';
import { collect, JOBS, psJson, showJson, startVigil, taggedPids, tempHome, vigil, waitForLog } from '../helpers/vigil.ts';

const TRAINER = join(JOBS, 'pause', 'train_loader.py');
const STEPS = 120; // 6 s: vigil pause must land before the end on a loaded machine too
/** Longer than --progress-timeout (2s): a watchdog that counted it would report a hang. */
const PAUSE_MS = 5000;

const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0];
const frozen = (cgroup: string) => /^frozen 1$/m.test(readFileSync(join(cgroup, 'cgroup.events'), 'latin1'));

/** Watches for `ms` (the pause under test is the stimulus: it must last), running `check` every 250 ms. */
async function holdFor(ms: number, check: () => void): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    check();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  check();
}

function eventsOf(home: string, runId: string, kinds: string[]): { kind: string; data: any }[] {
  const db = new Database(join(home, 'vigil.db'), { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT kind, data FROM events WHERE run_id = ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY at, id`)
      .all(runId, ...kinds) as { kind: string; data: string | null }[];
    return rows.map((row) => ({ kind: row.kind, data: row.data === null ? null : JSON.parse(row.data) }));
  } finally {
    db.close();
  }
}

const MODES = [
  { mode: 'cgroup', options: [] as string[], method: 'cgroup' },
  { mode: 'no cgroup', options: ['--no-cgroup'], method: 'signals' },
];

describe('vigil pause / resume', () => {
  for (const { mode, options, method } of MODES) {
    test(`${mode}: paused for 5 s under --progress-timeout 2s, nothing moves, no stall; resumed, it succeeds`, async () => {
      const home = tempHome();
      const supervisor = startVigil(home, ['run', '--progress-timeout', '2s', ...options, '--', torchPython(), TRAINER, String(STEPS)]);
      const done = collect(supervisor);
      const runId = await waitForLog(home, `step 5/${STEPS}`);
      const run = showJson(home, runId);
      assert.equal(run.cgroup !== null, method === 'cgroup');

      const pause = await vigil(home, ['pause', runId]);
      assert.equal(pause.code, 0, pause.stderr);
      assert.match(
        pause.stdout,
        new RegExp(`^paused run ${runId} \\(3 processes, ${method === 'cgroup' ? 'cgroup frozen' : 'SIGSTOP'}\\)`),
      );
      const pids = taggedPids(runId);
      assert.equal(pids.length, 3, 'the trainer and its two DataLoader workers');
      const logAtPause = readFileSync(run.log_path);
      const lastStep = Number(/step (\d+)\/\d+[^\n]*\n$/.exec(logAtPause.toString())?.[1]);
      assert.ok(lastStep >= 5 && lastStep < STEPS, `paused at step ${lastStep}`);

      await holdFor(PAUSE_MS, () => {
        if (method === 'cgroup') assert.ok(frozen(run.cgroup), 'the cgroup stays frozen');
        else for (const pid of pids) assert.equal(processState(pid), 'T', `pid ${pid} stays stopped`);
        assert.deepEqual(readFileSync(run.log_path), logAtPause, 'no step reaches the log while paused');
      });
      const listed = psJson(home, false).find((row) => row.id === runId);
      assert.equal(listed?.status, 'running');
      assert.equal(listed?.paused, true);
      const table = await vigil(home, ['ps']);
      assert.match(table.stdout, new RegExp(`^${runId}\\s+-\\s+paused\\s`, 'm'));
      assert.equal(showJson(home, runId).paused, true);

      const again = await vigil(home, ['pause', runId]);
      assert.equal(again.code, 15);
      assert.equal(again.stderr, `vigil: run ${runId} is already paused (vigil resume ${runId} continues it)\n`);

      const resume = await vigil(home, ['resume', runId]);
      assert.equal(resume.code, 0, resume.stderr);
      assert.match(resume.stdout, new RegExp(`^resumed run ${runId} \\(paused for \\d+(\\.\\d)?s\\)`));
      const result = await done;
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /no progress/);

      const ended = showJson(home, runId);
      assert.equal(ended.status, 'succeeded');
      assert.equal(ended.paused, false);
      assert.deepEqual(ended.flags, []);
      assert.equal(eventsOf(home, runId, ['hang', 'startup_stall']).length, 0, 'no stall reported');
      assert.ok(!existsSync(join(ended.run_dir, 'attempt-1.stacks')), 'no stacks taken');
      const [paused, resumed] = eventsOf(home, runId, ['paused', 'resumed']);
      assert.deepEqual(paused, { kind: 'paused', data: { method, pids: 3 } });
      assert.equal(resumed?.kind, 'resumed');
      assert.ok(resumed.data.paused_ms >= PAUSE_MS, `paused_ms ${resumed.data.paused_ms}`);
      assert.match(
        readFileSync(ended.log_path, 'utf8'),
        new RegExp(`step ${lastStep + 1}/${STEPS}[^]*step ${STEPS}/${STEPS}[^]*\\ndone\\n$`),
      );

      const late = await vigil(home, ['resume', runId]);
      assert.equal(late.code, 14);
      assert.equal(late.stderr, `vigil: run ${runId} is not running (succeeded): nothing to resume\n`);
    });
  }

  test('a paused run is stopped by vigil stop at once: continued after the signal, it acts on it', async () => {
    const home = tempHome();
    // Long enough to outlast three vigil commands on a loaded machine: it is stopped, not run to its end.
    const steps = STEPS * 10;
    const supervisor = startVigil(home, ['run', '--stop-timeout', '60s', '--', torchPython(), TRAINER, String(steps)]);
    const done = collect(supervisor);
    const runId = await waitForLog(home, `step 5/${steps}`);
    const notPaused = await vigil(home, ['resume', runId]);
    assert.equal(notPaused.code, 15);
    assert.equal(notPaused.stderr, `vigil: run ${runId} is not paused\n`);
    const pause = await vigil(home, ['pause', runId]);
    assert.equal(pause.code, 0, pause.stderr);

    const started = Date.now();
    const stop = await vigil(home, ['stop', runId]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.ok(Date.now() - started < 20_000, `stopped after ${Date.now() - started} ms: not the 60 s grace`);
    await done;
    assert.deepEqual(taggedPids(runId), []);
    const run = showJson(home, runId);
    assert.equal(run.status, 'stopped');
    assert.equal(run.paused, false);
    assert.equal(run.attempts[0].stop_reason, 'vigil stop');
    assert.notEqual(run.attempts[0].signal, 'SIGKILL');
    assert.match(readFileSync(run.log_path, 'utf8'), /\ngot SIGTERM\n$/);
  });
});
