import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from '../../../src/core/alerts/alert.ts';
import {
  alertsFor,
  dueAlerts,
  INITIAL_RULE_STATE,
  type ObservedWrite,
  type RuleOptions,
  runHealth,
  STALL_END_GRACE_MS,
} from '../../../src/core/alerts/rules.ts';

const RUN = 'r1';
const OPTIONS: RuleOptions = { name: 'seed-3', notifyFinished: false };

/** Folds the writes; returns every alert fired and the final state. */
function play(writes: ObservedWrite[], options = OPTIONS) {
  let state = INITIAL_RULE_STATE;
  const alerts: Alert[] = [];
  for (const write of writes) {
    const next = alertsFor(state, write, options);
    state = next.state;
    alerts.push(...next.alerts);
  }
  return { state, alerts };
}

const started = (n: number, at = n * 1000): ObservedWrite => ({ type: 'attempt_started', runId: RUN, n, at });
const event = (kind: string, data: unknown, at: number, attempt = 1): ObservedWrite => ({
  type: 'event',
  runId: RUN,
  attempt,
  at,
  kind,
  data,
});
const attempt = (n: number, fields: Extract<ObservedWrite, { type: 'attempt' }>['fields'], at = 0): ObservedWrite => ({
  type: 'attempt',
  runId: RUN,
  n,
  at,
  fields,
});
const runEnd = (status: string, flags: string[] = [], at = 99_000): ObservedWrite => ({
  type: 'run',
  runId: RUN,
  at,
  fields: { status, endedAt: at, flags },
});
const progress = (step: number, at: number, updatedAt = at, attemptN = 1) =>
  event('progress', { step, updated_at: updatedAt }, at, attemptN);
const OOM = {
  category: 'cuda_oom',
  summary: 'CUDA out of memory',
  fixes: ['lower the batch size'],
  where: { file: 'train.py', line: 42, function: 'step' },
};

describe('alert rules', () => {
  test('a crash without restarts: one failed alert with the cause, where and fix', () => {
    const { alerts } = play([
      started(1),
      progress(3, 1500),
      attempt(1, { endedAt: 2000, exitCode: 1 }),
      attempt(1, { diagnosis: OOM }),
      runEnd('failed'),
    ]);
    assert.deepEqual(
      alerts.map((alert) => [alert.kind, alert.level, alert.title]),
      [['failed', 'error', 'failed: CUDA out of memory']],
    );
    const [alert] = alerts as [Alert];
    assert.deepEqual(alert.run, { id: RUN, name: 'seed-3' });
    assert.equal(alert.figures.cause, 'cuda_oom');
    assert.equal(alert.figures.where, 'train.py:42 step');
    assert.equal(alert.figures.fix, 'lower the batch size');
    assert.equal(alert.figures.step, 3);
    assert.equal(alert.command, `vigil show ${RUN}`);
  });

  test('a stall that clears and comes back is two episodes; stored progress older than the stall does not clear it', () => {
    const { alerts, state } = play([
      started(1),
      progress(5, 1000),
      event('hang', { summary: 'stalled after step 5', stacks: 1 }, 3000),
      progress(5, 4000, 1000), // the watchdog's periodic store of the same old step
      progress(6, 9000, 8500),
      event('hang', { summary: 'stalled after step 6', stacks: 1 }, 12_000),
    ]);
    assert.deepEqual(
      alerts.map((alert) => [alert.kind, alert.episode, alert.title]),
      [
        ['hang', 1, 'stalled after step 5'],
        ['hang', 2, 'stalled after step 6'],
      ],
    );
    assert.equal(runHealth(state).stalled, true);
  });

  test('a stall the watchdog ends by killing the attempt is one alert: the failure, carrying the stall', () => {
    const HANG = { category: 'hang', summary: 'stalled after step 5: main thread in all_reduce', fixes: ['look at rank 1'] };
    const { alerts, state } = play([
      started(1),
      progress(5, 1000),
      event('hang', { summary: 'stalled after step 5: main thread in all_reduce', stacks: 2, ends_attempt: true }, 3000),
      attempt(1, { endedAt: 4000, signal: 'SIGTERM' }),
      attempt(1, { diagnosis: HANG }),
      runEnd('failed', ['hang'], 4100),
    ]);
    assert.deepEqual(
      alerts.map((alert) => [alert.kind, alert.title]),
      [['failed', 'failed: stalled after step 5: main thread in all_reduce']],
    );
    assert.equal(dueAlerts(state, 3000 + STALL_END_GRACE_MS * 2, OPTIONS).alerts.length, 0, 'nothing left to say late');
  });

  test('a stall the watchdog is ending whose attempt never ends is said after the grace, once', () => {
    const { alerts, state } = play([started(1), event('hang', { summary: 'stalled after step 5', stacks: 1, ends_attempt: true }, 3000)]);
    assert.equal(alerts.length, 0);
    assert.equal(dueAlerts(state, 3000 + STALL_END_GRACE_MS - 1, OPTIONS).alerts.length, 0, 'not before the grace');
    const due = dueAlerts(state, 3000 + STALL_END_GRACE_MS, OPTIONS);
    assert.deepEqual(
      due.alerts.map((alert) => [alert.kind, alert.episode, alert.title, alert.run.name]),
      [['hang', 1, 'stalled after step 5', 'seed-3']],
    );
    assert.equal(dueAlerts(due.state, 3000 + STALL_END_GRACE_MS * 2, OPTIONS).alerts.length, 0, 'once');
  });

  test('a restart, then its recovery: "back at step N after Ts"; giving up at the end names the reason', () => {
    const { alerts } = play([
      started(1),
      progress(4200, 5000),
      attempt(1, { endedAt: 10_000, exitCode: 1 }),
      attempt(1, { diagnosis: { category: 'nccl_timeout', summary: 'NCCL timeout' } }),
      attempt(1, { restartReason: 'nccl_timeout is retryable', restartDelayMs: 7000 }),
      attempt(1, { resumedFrom: '/ck/checkpoint-4000', lostSteps: 200 }),
      started(2, 17_000),
      progress(4000, 51_000, 51_000, 2),
      attempt(2, { endedAt: 60_000, exitCode: 1 }),
      attempt(2, { diagnosis: { category: 'nccl_timeout', summary: 'NCCL timeout' } }),
      attempt(2, { restartReason: 'gave up: 2 restarts within 1h (--max-restarts 1)' }),
      runEnd('failed'),
    ]);
    assert.deepEqual(
      alerts.map((alert) => [alert.kind, alert.level, alert.title]),
      [
        ['restarting', 'warn', 'attempt 1 failed (nccl_timeout); attempt 2 in 7.0s'],
        ['recovered', 'info', 'back at step 4,000 after 41.0s'],
        ['gave_up', 'error', 'gave up after 2 attempts: 2 restarts within 1h (--max-restarts 1)'],
      ],
    );
    assert.equal(alerts[1]?.figures.resumed_from, '/ck/checkpoint-4000');
    assert.equal(alerts[1]?.figures.lost_steps, 200);
  });

  test('NaN in the loss alerts, an inf grad norm does not; disk forecasts once per level', () => {
    const { alerts } = play([
      started(1),
      event('nan_loss', { step: 10, metric: 'grad_norm', value: 'inf', episode: 1 }, 1000),
      event('nan_loss', { step: 12, metric: 'loss', value: 'nan', episode: 1 }, 1100),
      event('disk_forecast', { level: 'warn', message: 'room for 2 more checkpoints' }, 2000),
      event('disk_forecast', { level: 'warn', message: 'room for 1 more checkpoint' }, 3000),
      event('disk_forecast', { level: 'fail', message: 'no room for the next checkpoint' }, 4000),
    ]);
    assert.deepEqual(
      alerts.map((alert) => [alert.kind, alert.level, alert.title]),
      [
        ['nan_loss', 'error', 'loss is nan at step 12'],
        ['disk_forecast', 'warn', 'disk: room for 2 more checkpoints'],
        ['disk_forecast', 'error', 'disk: no room for the next checkpoint'],
      ],
    );
  });

  test('a suspicious success alerts; a plain one only with --notify-finished', () => {
    const suspicious = play([started(1), attempt(1, { endedAt: 5000, exitCode: 0 }), runEnd('succeeded', ['no_progress'])]);
    assert.deepEqual(
      suspicious.alerts.map((alert) => [alert.kind, alert.title]),
      [['suspicious_success', 'suspicious success: exited 0 without any progress']],
    );
    const plain = [started(1), attempt(1, { endedAt: 5000, exitCode: 0 }), runEnd('succeeded')];
    assert.deepEqual(play(plain).alerts, []);
    assert.deepEqual(
      play(plain, { ...OPTIONS, notifyFinished: true }).alerts.map((alert) => [alert.kind, alert.level]),
      [['finished', 'info']],
    );
  });

  test('a run refused before its first attempt fails with the refusal; progress-only run updates fire nothing', () => {
    const { alerts } = play([
      { type: 'run', runId: RUN, at: 1, fields: { status: 'running' } },
      event('resume_refused', { reason: 'the dataset changed since checkpoint-300' }, 2, 0),
      runEnd('failed'),
      runEnd('failed'),
    ]);
    assert.deepEqual(
      alerts.map((alert) => alert.title),
      ['did not start: the dataset changed since checkpoint-300'],
    );
  });
});
