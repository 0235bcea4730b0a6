/** The drills' verdicts, pure: what counts as recovering, and the reason when it does not. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeCrash, judgeHang, judgeWorker, parseKinds, type RestartObservation } from '../../../src/core/drill/judge.ts';

const restart: RestartObservation = {
  killedAt: 1_000,
  checkpointStep: 40,
  saveInterval: 20,
  restartedAt: 2_500,
  resumedFrom: '/ckpt/epoch=0-step=40.ckpt',
  lostSteps: 7,
  refusedBecause: null,
  quarantined: [],
};

test('crash: a restart that resumes and loses no more than the save interval passes, with its figures', () => {
  const passed = judgeCrash('r1', restart);
  assert.equal(passed.status, 'pass');
  assert.deepEqual(passed.figures, { restart_ms: 1_500, lost_steps: 7 });
  assert.match(judgeCrash('r1', { ...restart, resumedFrom: null }).detail, /from scratch/);
  assert.match(judgeCrash('r1', { ...restart, lostSteps: 25 }).detail, /25 steps were lost: more than the save interval \(20\)/);
  assert.equal(judgeCrash('r1', { ...restart, restartedAt: null }).status, 'fail');
});

test('hang: reported within the timeout (plus the watchdog’s slack) and restarted', () => {
  const seen = { stoppedAt: 0, timeoutMs: 6_000, detectedAt: 7_000, stacks: 2, restartedAt: 8_000 };
  assert.equal(judgeHang('r', seen).status, 'pass');
  assert.match(judgeHang('r', { ...seen, detectedAt: 20_000 }).detail, /later than the timeout/);
  assert.match(judgeHang('r', { ...seen, restartedAt: null }).detail, /not restarted/);
});

test('worker: the diagnosis must name the dead worker (its pid in a decisive line), not merely mention workers', () => {
  const diagnosis = { category: 'host_oom', process: 'main', summary: 'the kernel killed the job (or a worker)' };
  assert.equal(judgeWorker('r', { workerPid: 4242, diagnosis }).status, 'fail');
  const named = { ...diagnosis, evidence: [{ text: 'RuntimeError: DataLoader worker (pid 4242) is killed by signal: Killed.' }] };
  assert.equal(judgeWorker('r', { workerPid: 4242, diagnosis: named }).status, 'pass');
});

test('--only: kinds in their canonical order; an unknown one is named', () => {
  assert.deepEqual(parseKinds('hang,crash'), ['crash', 'hang']);
  assert.match(parseKinds('crash,flood') as string, /unknown drill flood/);
});
