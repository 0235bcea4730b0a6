/** The watchdog's pure decisions: when a job has stalled, which pipeline edge is stuck, what flags an exit 0. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeFlags } from '../../../src/core/watchdog/outcome-flags.ts';
import type { StageSnapshot } from '../../../src/core/watchdog/stage-counters.ts';
import { NonFiniteMetrics } from '../../../src/core/watchdog/non-finite.ts';
import { StageCounters } from '../../../src/core/watchdog/stage-counters.ts';
import { PauseDetector, StallClock } from '../../../src/core/watchdog/stall-clock.ts';

const config = { startupTimeoutMs: 10_000, progressTimeoutMs: null, autoFloorMs: 3000, autoMultiple: 10, exitGraceMs: 60_000 };

test('stall clock: start-up silence, then auto progress timeout from the slowest recent interval', () => {
  const clock = new StallClock(config, 0);
  assert.equal(clock.check(9_999), null);
  assert.equal(clock.check(10_000)?.kind, 'startup');
  clock.output(5_000); // output before the first step restarts the start-up allowance
  assert.equal(clock.check(14_999), null);
  for (const t of [20_000, 20_100, 20_300]) clock.progress(t); // intervals 100, 200 → 10 × 200 = 2 s, floor 3 s
  assert.equal(clock.deadline(), 23_300);
  clock.output(23_000); // output is not progress
  assert.equal(clock.check(23_299), null);
  assert.deepEqual(clock.check(23_300), { kind: 'progress', silentForMs: 3000, timeoutMs: 3000, phase: null });
  clock.phase('eval', 21_000); // another phase gets at least the start-up allowance
  assert.equal(clock.check(23_300), null);
  assert.equal(clock.deadline(), 31_000);
});

test('stall clock: a fixed progress timeout applies from the first step', () => {
  const clock = new StallClock({ ...config, progressTimeoutMs: 2000 }, 0);
  clock.progress(100);
  assert.equal(clock.check(2099), null);
  assert.equal(clock.check(2100)?.kind, 'progress');
});

test('stall clock: time vigil was not running is not counted; what it reads after the pause is credited once', () => {
  const clock = new StallClock({ ...config, progressTimeoutMs: 3000 }, 0);
  clock.progress(1000);
  clock.progress(1300); // steps every 300 ms
  clock.resumed(5000, 6500); // stopped from 1500 to 6500
  assert.equal(clock.check(6500), null, 'the last step is 200 ms old in running time');
  assert.equal(clock.deadline(), 6300 + 3000);
  assert.equal(clock.check(9300)?.kind, 'progress', 'a job silent since, in running time, still hangs');

  // What was written while vigil was stopped is stamped when read: after the shift, not shifted again.
  const reading = new StallClock({ ...config, progressTimeoutMs: 3000 }, 0);
  reading.progress(1300);
  reading.resumed(5000, 6500);
  reading.progress(6500);
  assert.equal(reading.deadline(), 9500);

  // A shift never moves a time past now (the wall clock may have been stepped meanwhile).
  const capped = new StallClock({ ...config, progressTimeoutMs: 3000 }, 0);
  capped.progress(1000);
  capped.resumed(60_000, 2000);
  assert.equal(capped.deadline(), 5000);
});

test('stall clock: a pause does not stretch the auto timeout calibrated from step intervals', () => {
  const clock = new StallClock(config, 0); // auto: 10 × the slowest interval, floor 3 s
  for (const t of [1000, 1200, 1400]) clock.progress(t);
  clock.resumed(60_000, 61_500);
  clock.progress(61_600); // 200 ms after the last step, in running time
  assert.equal(clock.deadline(), 61_600 + 3000, 'still the floor: no 60 s interval was learned');
  assert.equal(clock.check(64_600)?.kind, 'progress');
});

test('stall clock: once the main thread raised, the job may stay silent only the exit grace, timed from its last output', () => {
  const clock = new StallClock({ ...config, progressTimeoutMs: 600_000, exitGraceMs: 2000 }, 0);
  clock.progress(1000);
  clock.progress(1100);
  assert.equal(clock.check(5000), null, 'before the exception the progress timeout (10 min) applies');
  clock.exiting(5000);
  assert.equal(clock.check(6999), null);
  assert.deepEqual(clock.check(7000), { kind: 'exit', silentForMs: 2000, timeoutMs: 2000, phase: null });
  clock.output(6500); // its output on the way out (a logger flushing, an upload's progress) restarts the grace
  assert.equal(clock.check(8499), null);
  assert.equal(clock.check(8500)?.kind, 'exit');
  // An exit grace of Infinity (--exit-grace off) leaves the progress timeout alone.
  const patient = new StallClock({ ...config, progressTimeoutMs: 600_000, exitGraceMs: Number.POSITIVE_INFINITY }, 0);
  patient.progress(1000);
  patient.exiting(5000);
  assert.equal(patient.check(60_000), null);
  assert.equal(patient.check(601_000)?.kind, 'progress');
});

test('pause detector: a gap between looks longer than the tolerance, on either clock, is a pause', () => {
  const pauses = new PauseDetector(200, 1000);
  assert.equal(pauses.observe(10_000, 500), 0, 'the first look');
  assert.equal(pauses.observe(10_200, 700), 0);
  assert.equal(pauses.observe(11_100, 1600), 0, 'a busy event loop');
  assert.equal(pauses.observe(16_300, 6800), 5000, 'SIGSTOP: both clocks moved 5.2 s, one tick of it expected');
  assert.equal(pauses.observe(76_500, 7000), 60_000, 'the machine slept: only the wall clock moved');
  assert.equal(pauses.observe(76_700, 12_000), 4800, 'the wall clock stepped back meanwhile: the monotonic gap');
  assert.equal(pauses.observe(76_900, 12_200), 0);
});

test('stage counters: a flat downstream edge while upstream advances is reported once', () => {
  const stages = new StageCounters();
  stages.declare(['crop', 'bridge']);
  for (let t = 0; t <= 5000; t += 500) stages.add({ crop: 1 }, t);
  const stalls = stages.stalls(5000, 4000, 0);
  assert.equal(stalls.length, 1);
  assert.equal(stalls[0]?.message, 'bridge=0 while crop=11 for 5s');
  assert.deepEqual(stages.stalls(5500, 4000, 0), [], 'once per episode');
  stages.add({ bridge: 1 }, 6000);
  assert.deepEqual(stages.stalls(6500, 4000, 0), [], 'it moved again');
});

test('stall clock: a start-up timeout of Infinity (--startup-timeout off) never fires; a progress timeout still does', () => {
  const clock = new StallClock({ ...config, startupTimeoutMs: Number.POSITIVE_INFINITY, progressTimeoutMs: 1000 }, 0);
  assert.equal(clock.check(1e12), null);
  clock.progress(5_000);
  assert.equal(clock.check(5_999), null);
  assert.equal(clock.check(6_000)?.kind, 'progress');
});

test('outcome flags: exit 0 with no progress, far short of the total, or a pipeline stage that got nothing', () => {
  const progress = { step: null, total: null, epoch: null, rate: null, metrics: {}, updated_at: null };
  const torch = [{ module: 'torch' }];
  const flags = (
    p: typeof progress | Record<string, unknown>,
    advances: number,
    succeeded = true,
    stages: StageSnapshot[] = [],
    imports: { module: string }[] = [],
  ) => outcomeFlags({ progress: { ...progress, ...p }, advances, stages, succeeded, imports });
  const stage = (name: string, total: number): StageSnapshot => ({ name, total, rate: null, updated_at: null });
  assert.deepEqual(flags(progress, 0, true, [], torch), ['no_progress'], 'a job that imported torch and never stepped');
  assert.deepEqual(flags(progress, 0), [], '`echo hi` is no trainer: nothing to flag');
  assert.deepEqual(flags(progress, 0, true, [], [{ module: 'requests' }]), [], 'nor is a download script');
  assert.deepEqual(flags({ step: 5000 }, 1), ['no_progress'], 'a resume message is not training');
  assert.deepEqual(flags({ step: 10, total: 1000 }, 10), ['incomplete']);
  assert.deepEqual(flags({ step: 1000, total: 1000 }, 100), []);
  assert.deepEqual(flags(progress, 0, false), [], 'a failure is already red');
  assert.deepEqual(flags(progress, 0, true, [stage('decode', 50), stage('write', 50)]), [], 'a pipeline that counted items made progress');
  assert.deepEqual(flags(progress, 0, true, [stage('decode', 50), stage('crop', 0), stage('write', 0)]), ['empty_stage']);
  assert.deepEqual(flags(progress, 0, true, [stage('decode', 0)]), ['no_progress']);
});

test('non-finite metrics: each reported when it turns NaN/Inf, again only after it was finite, with its episode count', () => {
  const watch = new NonFiniteMetrics();
  const names = (metrics: Record<string, unknown>) => watch.newly(metrics).map((t) => `${t.metric}#${t.episode}`);
  assert.deepEqual(names({ loss: 0.5, grad_norm: 1.2 }), []);
  assert.deepEqual(names({ loss: 'NaN', grad_norm: 'Infinity' }), ['loss#1', 'grad_norm#1']);
  assert.deepEqual(names({ loss: 'NaN', grad_norm: 'Infinity' }), [], 'the same episode');
  assert.deepEqual(names({ loss: 0.4, grad_norm: 'Infinity' }), []);
  assert.deepEqual(names({ loss: Number.NaN, grad_norm: 3 }), ['loss#2'], 'a new episode; a raw NaN number counts too');
  assert.deepEqual(names({ loss: 1, grad_norm: '-Infinity' }), ['grad_norm#2']);
});
