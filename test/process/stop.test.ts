/**
 * Stopping: every process that carries the run's tag is gone afterwards, whether it stayed in
 * the process group, forked grandchildren, called setsid() and ignores SIGTERM, or is a
 * PyTorch DataLoader worker. Each case runs with a cgroup and with the environment-tag
 * fallback forced by VIGIL_CGROUP=0.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { collect, JOBS, showJson, startVigil, taggedPids, tempHome, vigil, waitForLog, waitUntil } from '../helpers/vigil.ts';

const MODES = [
  { mode: 'cgroup', env: {} },
  { mode: 'tag-scan fallback', env: { VIGIL_CGROUP: '0' } },
];

for (const { mode, env } of MODES) {
  describe(`stopping a run (${mode})`, () => {
    test('SIGTERM to vigil ends a tree of children and grandchildren', async () => {
      const home = tempHome();
      const supervisor = startVigil(home, ['run', '--', torchPython(), join(JOBS, 'tree.py')], { env });
      const done = collect(supervisor);
      const runId = await waitForLog(home, 'ready');
      assert.equal(taggedPids(runId).length, 5, 'the main process, 2 children, 2 grandchildren');
      assert.equal(showJson(home).cgroup !== null, mode === 'cgroup');
      supervisor.kill('SIGTERM');
      const result = await done;
      assert.equal(result.code, 128 + 15);
      assert.deepEqual(taggedPids(runId), []);
      const run = showJson(home);
      assert.equal(run.status, 'stopped');
      assert.equal(run.attempts[0].stop_reason, 'SIGTERM');
      assert.equal(run.attempts[0].signal, 'SIGTERM');
    });

    test('vigil stop ends a setsid() child that ignores SIGTERM, after --timeout', async () => {
      const home = tempHome();
      const supervisor = startVigil(home, ['run', '--', torchPython(), join(JOBS, 'escapee.py')], { env });
      const done = collect(supervisor);
      const runId = await waitForLog(home, 'ready');
      assert.equal(taggedPids(runId).length, 2);
      const stop = await vigil(home, ['stop', runId, '--timeout', '1s']);
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, /stopped run/);
      await done;
      assert.deepEqual(taggedPids(runId), []);
      const run = showJson(home);
      assert.equal(run.status, 'stopped');
      assert.equal(run.attempts[0].stop_reason, 'vigil stop');
    });

    test('leftovers of a job that exited are ended too', async () => {
      const home = tempHome();
      // The shell starts a background sleeper that ignores SIGTERM, then exits at once.
      const result = await vigil(
        home,
        ['run', '--stop-timeout', '500ms', '--', 'sh', '-c', 'sh -c \'trap "" TERM; sleep 300\' & echo started'],
        { env },
      );
      assert.equal(result.code, 0);
      assert.deepEqual(taggedPids(showJson(home).id), []);
    });
  });
}

describe('stopping a PyTorch DataLoader with two workers', () => {
  test('Ctrl-C (SIGINT) ends the main process and both workers', async () => {
    const home = tempHome();
    const supervisor = startVigil(home, ['run', '--stop-timeout', '10s', '--', torchPython(), join(JOBS, 'dataloader.py')]);
    const done = collect(supervisor, 120_000);
    const runId = await waitForLog(home, 'ready', 90_000);
    await waitUntil('main + 2 workers', () => taggedPids(runId).length >= 3);
    supervisor.kill('SIGINT');
    await done;
    assert.deepEqual(taggedPids(runId), []);
    assert.equal(showJson(home).status, 'stopped');
  });
});

describe('when the supervisor itself is SIGKILLed', () => {
  test('the job runs to its normal end with its full output; ps shows it orphaned meanwhile', async () => {
    const home = tempHome();
    const supervisor = startVigil(home, ['run', '--', torchPython(), join(JOBS, 'printer.py'), '3']);
    const runId = await waitForLog(home, 'line 20');
    supervisor.kill('SIGKILL');
    await collect(supervisor);
    const listed = await vigil(home, ['ps', '--json']);
    const row = JSON.parse(listed.stdout).find((r: { id: string }) => r.id === runId);
    assert.equal(row?.status, 'orphaned');
    await waitUntil('the job to end on its own', () => taggedPids(runId).length === 0, 30_000);
    const run = showJson(home, runId);
    assert.equal(run.status, 'unknown', 'ended unwatched: the exit status is not invented');
    assert.equal(run.attempts[0].exit_code, null);
    const lines = (await vigil(home, ['logs', runId])).stdout.trim().split('\n');
    const last = lines.at(-1) ?? '';
    assert.match(last, /^done (\d+)$/, 'the job printed to its end: no SIGPIPE, no blocked pipe');
    const printed = Number(/^done (\d+)$/.exec(last)?.[1]);
    assert.equal(lines.length, printed + 1, 'every line is in the log');
    lines.slice(0, -1).forEach((line, i) => assert.equal(line, `line ${i}`));
  });

  test('vigil stop ends an orphaned run', async () => {
    const home = tempHome();
    const supervisor = startVigil(home, ['run', '--', torchPython(), join(JOBS, 'escapee.py')]);
    const runId = await waitForLog(home, 'ready');
    supervisor.kill('SIGKILL');
    await collect(supervisor);
    assert.equal(showJson(home, runId).status, 'orphaned');
    const stop = await vigil(home, ['stop', runId, '--timeout', '500ms']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /stopped orphaned run/);
    assert.deepEqual(taggedPids(runId), []);
    assert.equal(showJson(home, runId).status, 'stopped');
  });
});

describe('--name', () => {
  test('a second live run with the same name is refused, naming the live pid', async () => {
    const home = tempHome();
    const first = startVigil(home, ['run', '--name', 'exp1', '--', 'sh', '-c', 'echo ready; sleep 300']);
    const done = collect(first);
    await waitForLog(home, 'ready');
    const second = await vigil(home, ['run', '--name', 'exp1', '--', 'true']);
    assert.equal(second.code, 8);
    assert.match(second.stderr, new RegExp(`name "exp1" is taken by live run \\w+ \\(supervisor pid ${first.pid}\\)`));
    first.kill('SIGTERM');
    await done;
    const third = await vigil(home, ['run', '--name', 'exp1', '--', 'true']);
    assert.equal(third.code, 0, 'free again once the first run ended');
  });

  test('a stale lock (dead supervisor, no process left) is taken over', async () => {
    const home = tempHome();
    const first = startVigil(home, ['run', '--name', 'exp2', '--', 'sh', '-c', 'echo ready; sleep 300']);
    const runId = await waitForLog(home, 'ready');
    first.kill('SIGKILL');
    await collect(first);
    for (const pid of taggedPids(runId)) process.kill(pid, 'SIGKILL');
    await waitUntil('job gone', () => taggedPids(runId).length === 0);
    const second = await vigil(home, ['run', '--name', 'exp2', '--', 'true']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(showJson(home, runId).status, 'unknown');
    assert.equal(showJson(home, 'exp2').status, 'succeeded');
  });
});
