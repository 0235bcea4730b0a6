import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forecastDisk, type DiskForecastInput } from '../../src/core/disk-forecast.ts';

const GiB = 1024 ** 3;
const base: DiskForecastInput = {
  freeBytes: 100 * GiB,
  checkpointBytes: 2 * GiB,
  totalSteps: 10_000,
  saveIntervalSteps: 500,
  currentStep: 1000,
};

describe('forecastDisk', () => {
  const cases: {
    name: string;
    input: Partial<DiskForecastInput>;
    savesToCome: number | null;
    savesThatFit: number | null;
    level: string;
  }[] = [
    { name: 'plenty of room', input: {}, savesToCome: 18, savesThatFit: 50, level: 'ok' },
    { name: 'exactly enough', input: { freeBytes: 36 * GiB }, savesToCome: 18, savesThatFit: 18, level: 'ok' },
    { name: 'fills before the end: warned early', input: { freeBytes: 20 * GiB }, savesToCome: 18, savesThatFit: 10, level: 'warn' },
    {
      name: 'one save fits, two to come',
      input: { freeBytes: 3 * GiB, currentStep: 9000 },
      savesToCome: 2,
      savesThatFit: 1,
      level: 'warn',
    },
    { name: 'not even one fits: refuse', input: { freeBytes: 1 * GiB }, savesToCome: 18, savesThatFit: 0, level: 'fail' },
    { name: 'no saves to come: never refused', input: { freeBytes: 0, currentStep: 10_000 }, savesToCome: 0, savesThatFit: 0, level: 'ok' },
    {
      name: 'a step between saves counts the next one',
      input: { currentStep: 9_999, freeBytes: 1 * GiB },
      savesToCome: 1,
      savesThatFit: 0,
      level: 'fail',
    },
    { name: 'end unknown, room for many', input: { totalSteps: null }, savesToCome: null, savesThatFit: 50, level: 'ok' },
    {
      name: 'end unknown, one save of room: warn',
      input: { totalSteps: null, freeBytes: 3 * GiB },
      savesToCome: null,
      savesThatFit: 1,
      level: 'warn',
    },
    {
      name: 'interval unknown, no room: refuse',
      input: { saveIntervalSteps: null, freeBytes: GiB },
      savesToCome: null,
      savesThatFit: 0,
      level: 'fail',
    },
    {
      name: 'no checkpoint seen yet: nothing to say',
      input: { checkpointBytes: null, freeBytes: 0 },
      savesToCome: 18,
      savesThatFit: null,
      level: 'ok',
    },
    {
      name: 'retention bounds what accumulates',
      input: { freeBytes: 8 * GiB, accumulateAtMost: 3 },
      savesToCome: 18,
      savesThatFit: 4,
      level: 'ok',
    },
    {
      name: 'retention does not make a full disk fit',
      input: { freeBytes: GiB, accumulateAtMost: 3 },
      savesToCome: 18,
      savesThatFit: 0,
      level: 'fail',
    },
  ];
  for (const { name, input, savesToCome, savesThatFit, level } of cases)
    test(name, () => {
      const forecast = forecastDisk({ ...base, ...input });
      assert.deepEqual(
        { savesToCome: forecast.savesToCome, savesThatFit: forecast.savesThatFit, level: forecast.level },
        { savesToCome, savesThatFit, level },
      );
    });

  test('the messages give the room, the checkpoint size and the saves to come', () => {
    assert.equal(
      forecastDisk({ ...base, freeBytes: 1 * GiB }).message,
      'disk too full for the next checkpoint: 1.0 GiB free holds 0 more checkpoints of 2.0 GiB; 18 saves to come after step 1000',
    );
    assert.equal(
      forecastDisk({ ...base, freeBytes: 3 * GiB, totalSteps: null }).message,
      'the disk will fill before the run ends: 3.0 GiB free holds 1 more checkpoint of 2.0 GiB; the end of the run is unknown',
    );
  });
});
