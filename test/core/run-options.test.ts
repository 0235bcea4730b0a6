import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runOptionProblem } from '../../src/core/run-options/consistency.ts';
import {
  parseBackoffRange,
  parseCategoryList,
  parseDumpSignal,
  parseOnRule,
  parseParam,
} from '../../src/core/run-options/restart-values.ts';
import { nearestName } from '../../src/core/text/nearest-name.ts';

const valueOf = <T>(parsed: { value: T } | { error: string }): T | string => ('value' in parsed ? parsed.value : `error: ${parsed.error}`);

describe('restart option values', () => {
  const cases: [string, unknown, unknown][] = [
    ['backoff 5s..5m', valueOf(parseBackoffRange('5s..5m')), { minMs: 5000, maxMs: 300_000 }],
    ['backoff 0..10s', valueOf(parseBackoffRange('0..10s')), { minMs: 0, maxMs: 10_000 }],
    ['backoff reversed', valueOf(parseBackoffRange('5m..5s')), 'error: MIN (5m) is above MAX (5s)'],
    ['backoff one value', valueOf(parseBackoffRange('5s')), 'error: expected MIN..MAX, two durations such as 5s..5m'],
    ['backoff bad max', valueOf(parseBackoffRange('5s..soon')), /^error: MAX of MIN\.\.MAX: expected a duration/],
    ['param', valueOf(parseParam('BATCH=32')), { name: 'BATCH', value: '32' }],
    ['param with = in the value', valueOf(parseParam('OPT=a=b')), { name: 'OPT', value: 'a=b' }],
    ['param without a value', valueOf(parseParam('BATCH=')), /^error: expected NAME=VALUE/],
    ['param with a bad name', valueOf(parseParam('BAT-CH=3')), /^error: expected NAME=VALUE/],
    ['on rule', valueOf(parseOnRule('cuda_oom:halve=BATCH,double=ACCUM')), { category: 'cuda_oom', halve: 'BATCH', double: 'ACCUM' }],
    ['on rule, halve only', valueOf(parseOnRule('host_oom:halve=WORKERS')), { category: 'host_oom', halve: 'WORKERS', double: null }],
    ['on rule, double only', valueOf(parseOnRule('cuda_oom:double=ACCUM')), /^error: expected halve=NAME for cuda_oom/],
    ['on rule, same name twice', valueOf(parseOnRule('cuda_oom:halve=B,double=B')), 'error: B cannot be both halved and doubled'],
    [
      'on rule, typo in the category',
      valueOf(parseOnRule('cuda_om:halve=B')),
      'error: unknown category "cuda_om" (did you mean cuda_oom?)',
    ],
    [
      'on rule, bad action',
      valueOf(parseOnRule('cuda_oom:third=B')),
      'error: expected halve=NAME[,double=OTHER] after "cuda_oom:", found "third=B"',
    ],
    ['on rule, no colon', valueOf(parseOnRule('cuda_oom')), /^error: expected CATEGORY:halve=NAME/],
    ['categories', valueOf(parseCategoryList('nccl_timeout, hang')), ['nccl_timeout', 'hang']],
    ['categories, unknown', valueOf(parseCategoryList('hang,nonsense')), 'error: unknown category "nonsense"'],
    ['dump signal', valueOf(parseDumpSignal('usr1')), 'SIGUSR1'],
    ['dump signal, refused', valueOf(parseDumpSignal('TERM')), /^error: expected SIGUSR1/],
  ];
  for (const [name, actual, expected] of cases)
    test(name, () => (expected instanceof RegExp ? assert.match(String(actual), expected) : assert.deepEqual(actual, expected)));
});

describe('nearestName', () => {
  test('a typo or another spelling', () => {
    assert.equal(nearestName('stop_timeout', ['stop-timeout', 'startup-timeout']), 'stop-timeout');
    assert.equal(nearestName('max-restart', ['max-restarts', 'restart']), 'max-restarts');
  });
  test('nothing close', () => assert.equal(nearestName('colour', ['stop-timeout', 'name']), null));
});

describe('runOptionProblem', () => {
  const rule = { category: 'cuda_oom' as const, halve: 'BATCH', double: 'ACCUM' };
  const cases: [string, Parameters<typeof runOptionProblem>[0], string | null][] = [
    ['consistent', { param: { BATCH: '32', ACCUM: '1' }, on: [rule] }, null],
    [
      'halve names no parameter',
      { param: { ACCUM: '1' }, on: [rule] },
      '--on cuda_oom:halve=BATCH: BATCH is not a parameter (add --param BATCH=VALUE)',
    ],
    [
      'double of a fraction',
      { param: { BATCH: '32', ACCUM: '0.5' }, on: [rule] },
      '--on cuda_oom:double=ACCUM: ACCUM=0.5 is not a whole number above 0, which double needs',
    ],
    [
      'keep-best without a metric',
      { param: {}, on: [], keepBest: 2 },
      '--keep-best needs --best-metric NAME (the metric from the progress lines, e.g. eval_loss)',
    ],
    ['keep-best with a metric', { param: {}, on: [], keepBest: 2, bestMetric: 'eval_loss' }, null],
  ];
  for (const [name, options, problem] of cases) test(name, () => assert.equal(runOptionProblem(options), problem));
});
