/**
 * The attempt's lifecycle with a real process and a real store: a stop asked for before the job
 * exists is acted on once it does, a hangup is noted (once) and not a stop, and a stop asked for
 * after the job exited changes nothing.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { signalDisposition } from '../../src/platform/proc.ts';
import { RunProcesses } from '../../src/platform/run-processes.ts';
import { openDatabase } from '../../src/store/database.ts';
import { RunStore } from '../../src/store/runs.ts';
import { AttemptLifecycle } from '../../src/supervisor/attempt-lifecycle.ts';
import { StoreWriter } from '../../src/supervisor/store-writer.ts';
import { tempHome } from '../helpers/vigil.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

function setUp(options: { listensForStop?: boolean; stopRequested?: boolean } = {}) {
  const home = tempHome();
  const store = new RunStore(openDatabase(join(home, 'vigil.db')));
  const runId = `lc${Date.now().toString(16).slice(-10)}`;
  const now = Date.now();
  const run = runRecord(home, {
    id: runId,
    command: ['sleep', '30'],
    status: 'running',
    createdAt: now,
    endedAt: null,
    supervisorPid: process.pid,
    exitCode: null,
  });
  store.insertRun(run);
  store.insertAttempt(attemptRecord(run));
  const warnings: string[] = [];
  const writer = new StoreWriter(store, { home, warn: (message) => warnings.push(message) });
  const hangups: number[] = [];
  const lifecycle = new AttemptLifecycle({
    runId,
    n: 1,
    processes: new RunProcesses(runId, null),
    writer,
    stopTimeoutMs: 5000,
    onHangup: 'ignore',
    saveGraceMs: 400,
    stopFile: join(home, 'attempt-1.stop'),
    listensForStop: () => options.listensForStop === true,
    readStopRequest: () => (options.stopRequested ? { timeoutMs: 5000, force: false } : null),
    onHangupIgnored: () => hangups.push(Date.now()),
  });
  const job = (command: string[] = ['sleep', '30']) => {
    const child = spawn(command[0] as string, command.slice(1), {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, VIGIL_RUN_ID: runId },
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, exited };
  };
  return { store, runId, lifecycle, job, hangups, warnings, stopFile: join(home, 'attempt-1.stop') };
}

test('a Ctrl-C while the job is being launched is kept and stops it the moment it exists', async () => {
  const { store, runId, lifecycle, job } = setUp();
  lifecycle.onSignal('SIGINT');
  assert.equal(lifecycle.state, 'starting');
  const { child, exited } = job();
  lifecycle.launched(child.pid as number);
  assert.equal(lifecycle.state, 'stopping');
  const end = await exited;
  assert.deepEqual(end, { code: null, signal: 'SIGINT' });
  assert.deepEqual(lifecycle.exited(end), { kind: 'signal', signal: 'SIGINT' });
  assert.equal(store.attempts(runId)[0]?.stopReason, 'SIGINT', 'why, recorded before the signal');
  lifecycle.dispose();
});

test('a hangup is noted once and does not stop the job', async () => {
  const { store, runId, lifecycle, job, hangups } = setUp();
  const { child, exited } = job();
  lifecycle.launched(child.pid as number);
  lifecycle.onSignal('SIGHUP');
  lifecycle.onSignal('SIGHUP');
  assert.equal(lifecycle.state, 'running');
  assert.equal(hangups.length, 1);
  assert.equal(store.events(runId, 'hangup').length, 1);
  child.kill('SIGKILL');
  await exited;
  lifecycle.dispose();
});

test('a stop asked for after the job exited on its own changes nothing', async () => {
  const { store, runId, lifecycle } = setUp();
  const child = spawn('true', [], { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  lifecycle.launched(child.pid as number);
  await exited;
  // Exited but not yet seen by the supervisor: the request must find the process gone.
  lifecycle.onSignal('SIGTERM');
  assert.equal(lifecycle.exited({ code: 0, signal: null }), null);
  assert.equal(store.attempts(runId)[0]?.stopReason, null);
  lifecycle.dispose();
});

test('vigil stop asks a job that listens first, and signals it only after the save grace', async () => {
  const { store, runId, lifecycle, job, stopFile } = setUp({ listensForStop: true, stopRequested: true });
  const { child, exited } = job();
  lifecycle.launched(child.pid as number);
  const asked = Date.now();
  lifecycle.onSignal('SIGTERM');
  assert.ok(existsSync(stopFile), 'asked through the stop file');
  assert.equal(store.attempts(runId)[0]?.stopReason, 'vigil stop');
  assert.equal(store.events(runId, 'stop_asked').length, 1);
  const end = await exited;
  assert.deepEqual(end, { code: null, signal: 'SIGTERM' });
  assert.ok(Date.now() - asked >= 350, 'not signalled before the save grace');
  lifecycle.exited(end);
  lifecycle.dispose();
});

test('vigil stop signals a job that never listened at once', async () => {
  const { lifecycle, job, stopFile } = setUp({ stopRequested: true });
  const { child, exited } = job();
  lifecycle.launched(child.pid as number);
  const asked = Date.now();
  lifecycle.onSignal('SIGTERM');
  const end = await exited;
  assert.deepEqual(end, { code: null, signal: 'SIGTERM' });
  assert.ok(Date.now() - asked < 350, 'no save grace for a job that cannot hear the request');
  assert.ok(!existsSync(stopFile));
  lifecycle.exited(end);
  lifecycle.dispose();
});

test('a job that exits with a code although the stop signal would have killed it ended on its own (it finished as the stop arrived)', async () => {
  const { store, runId, lifecycle, job } = setUp();
  const { child, exited } = job();
  lifecycle.launched(child.pid as number);
  lifecycle.onSignal('SIGTERM');
  assert.equal(store.attempts(runId)[0]?.stopReason, 'SIGTERM');
  await exited;
  // What the race leaves: the main process, which leaves SIGTERM to its default action, seen exiting 0 (it exited
  // between the check that it was alive and the signal). The signal would have killed it: the exit is its own.
  assert.equal(lifecycle.exited({ code: 0, signal: null }), null);
  assert.equal(store.attempts(runId)[0]?.stopReason, null, 'the recorded reason is withdrawn');
  lifecycle.dispose();
});

test('a job that catches the stop signal and exits 0 was stopped: its exit is the stop it handled', async () => {
  const { store, runId, lifecycle, job } = setUp();
  const { child, exited } = job([
    '/usr/bin/python3',
    '-c',
    'import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\nprint(flush=True)\ntime.sleep(30)',
  ]);
  lifecycle.launched(child.pid as number);
  // The handler is installed once Python runs the script: wait until /proc says so.
  const deadline = Date.now() + 10_000;
  while (signalDisposition(child.pid as number, 'SIGTERM') !== 'caught') {
    assert.ok(Date.now() < deadline, 'the job never installed its handler');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  lifecycle.onSignal('SIGTERM');
  const end = await exited;
  assert.deepEqual(end, { code: 0, signal: null });
  assert.deepEqual(lifecycle.exited(end), { kind: 'signal', signal: 'SIGTERM' });
  assert.equal(store.attempts(runId)[0]?.stopReason, 'SIGTERM');
  lifecycle.dispose();
});
