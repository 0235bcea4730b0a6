import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunRecord, AttemptRecord } from '../../../src/store/runs.ts';
import { runDurationMs, runListRow, runView } from '../../../src/core/runs/views.ts';

const run: RunRecord = {
  id: 'abc123def456',
  name: 'demo',
  command: ['python3', 'train.py'],
  cwd: '/work',
  runDir: '/home/runs/abc123def456',
  status: 'succeeded',
  createdAt: Date.UTC(2024, 0, 1, 0, 0, 0),
  endedAt: Date.UTC(2024, 0, 1, 0, 0, 10),
  supervisorPid: 10,
  supervisorStart: '1',
  cgroupPath: null,
  stopTimeoutMs: 30_000,
  exitCode: 0,
  signal: null,
  progress: { step: 300, total: 300, epoch: 3, rate: 9.5, metrics: { loss: 0.01 }, updated_at: 1 },
  flags: [],
  stages: [],
};
const attempt: AttemptRecord = {
  runId: run.id,
  n: 1,
  pid: 42,
  pgid: 42,
  startedAt: run.createdAt + 50,
  endedAt: Date.UTC(2024, 0, 1, 0, 0, 9, 950),
  exitCode: 0,
  signal: null,
  peakRssBytes: 1024,
  logPath: '/home/runs/abc123def456/attempt-1.log',
  stopReason: null,
  diagnosis: null,
};

test('runView: the keys of `vigil show --json`, from the store records as they are', () => {
  const view = runView({
    run,
    status: 'succeeded',
    livePids: [],
    attempts: [attempt],
    exceptions: [
      { attempt: 1, at: run.createdAt, data: { pid: 42, process: 'main', thread: 'MainThread', type: 'KeyError', message: '8' } },
    ],
  });
  assert.deepEqual(Object.keys(view), [
    'id', 'name', 'status', 'paused', 'paused_at', 'command', 'cwd', 'run_dir', 'log_path', 'created_at', 'ended_at', 'duration_ms',
    'exit_code', 'signal', 'cgroup', 'live_pids', 'progress', 'flags', 'stages', 'exceptions', 'attempts',
  ]); // prettier-ignore
  assert.equal(view.created_at, '2024-01-01T00:00:00.000Z');
  assert.equal(view.log_path, attempt.logPath);
  assert.equal(view.duration_ms, 9900);
  assert.deepEqual(view.exceptions, [
    { attempt: 1, at: '2024-01-01T00:00:00.000Z', pid: 42, process: 'main', thread: 'MainThread', type: 'KeyError', message: '8' },
  ]);
  assert.deepEqual(view.attempts, [
    {
      n: 1,
      pid: 42,
      pgid: 42,
      exit_code: 0,
      signal: null,
      started_at: '2024-01-01T00:00:00.050Z',
      ended_at: '2024-01-01T00:00:09.950Z',
      duration_ms: 9900,
      peak_rss_bytes: 1024,
      peak_memory_measure: 'rss',
      log_path: attempt.logPath,
      stop_reason: null,
      diagnosis: null,
      params: null,
      fingerprints: null,
      restart_reason: null,
      restart_delay_ms: null,
      resumed_from: null,
      lost_steps: null,
      lost_seconds: null,
    },
  ]);
});

test('runView of a run with no attempt: no log, no duration', () => {
  const view = runView({ run: { ...run, progress: null }, status: 'unknown', livePids: [], attempts: [], exceptions: [] });
  assert.equal(view.log_path, null);
  assert.equal(view.duration_ms, null);
  assert.equal(view.progress, null);
  assert.deepEqual(view.attempts, []);
});

test('runDurationMs: first attempt start to last attempt end; null while running', () => {
  assert.equal(runDurationMs([]), null);
  assert.equal(runDurationMs([{ startedAt: 100, endedAt: 400 }]), 300);
  assert.equal(
    runDurationMs([
      { startedAt: 100, endedAt: 400 },
      { startedAt: 500, endedAt: 900 },
    ]),
    800,
  );
  assert.equal(runDurationMs([{ startedAt: 100, endedAt: null }]), null);
});

test('runListRow: the keys of `vigil ps --json`', () => {
  const row = runListRow({ run, status: 'succeeded', attempts: [attempt], now: run.createdAt + 5000 });
  assert.deepEqual(row, {
    id: run.id,
    name: 'demo',
    status: 'succeeded',
    paused: false,
    pid: 42,
    created_at: '2024-01-01T00:00:00.000Z',
    ended_at: '2024-01-01T00:00:10.000Z',
    age_ms: 5000,
    attempts: 1,
    flags: [],
    step: 300,
    total: 300,
    group: null,
    command: ['python3', 'train.py'],
  });
  const member = { id: 'exp-1', source: 'option' as const, node: 'left', nodeRank: 0, nodes: 2, addresses: [] };
  assert.deepEqual(runListRow({ run: { ...run, group: member }, status: 'running', attempts: [], now: run.createdAt }).group, {
    id: 'exp-1',
    node: 'left',
    node_rank: 0,
  });
  assert.equal(runListRow({ run: { ...run, progress: null }, status: 'running', attempts: [], now: run.createdAt }).pid, null);
});

test("paused (vigil pause) is a live run's state beside its status, which stays running; an ended run is never paused", () => {
  const at = run.createdAt + 1000;
  const live = { run, attempts: [attempt], livePids: [], exceptions: [], pausedAt: at };
  assert.deepEqual(pick(runView({ ...live, status: 'running' })), {
    status: 'running',
    paused: true,
    paused_at: '2024-01-01T00:00:01.000Z',
  });
  assert.deepEqual(pick(runView({ ...live, status: 'orphaned' })), {
    status: 'orphaned',
    paused: true,
    paused_at: '2024-01-01T00:00:01.000Z',
  });
  assert.deepEqual(pick(runView({ ...live, status: 'stopped' })), { status: 'stopped', paused: false, paused_at: null });
  assert.deepEqual(pick(runView({ ...live, status: 'running', pausedAt: null })), { status: 'running', paused: false, paused_at: null });
  assert.equal(runListRow({ run, status: 'running', attempts: [attempt], now: at, pausedAt: at }).paused, true);
  assert.equal(runListRow({ run, status: 'succeeded', attempts: [attempt], now: at, pausedAt: at }).paused, false);
});

function pick(view: { status: string; paused: boolean; paused_at: string | null }) {
  return { status: view.status, paused: view.paused, paused_at: view.paused_at };
}
