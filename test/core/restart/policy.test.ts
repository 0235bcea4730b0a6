import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AttemptSummary,
  backoffDelay,
  decideRestart,
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
} from '../../../src/core/restart/policy.ts';

const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, mode: 'on-failure', backoff: { minMs: 1000, maxMs: 8000 }, minUptimeMs: 60_000 };
const MIN = 60_000;

/** Attempt n, failed with `category` at `step`, ran `minutes`, ended `n` hours after epoch 0 unless said. */
function attempt(n: number, fields: Partial<AttemptSummary> = {}): AttemptSummary {
  const endedAt = fields.endedAt ?? n * 10 * MIN;
  return {
    n,
    startedAt: endedAt - 5 * MIN,
    endedAt,
    outcome: 'failed',
    category: 'nccl_timeout',
    retryable: true,
    step: n * 100,
    checkpointStep: n * 100,
    ...fields,
  };
}

const cases: { name: string; history: AttemptSummary[]; policy?: Partial<RestartPolicy>; expect: RegExp | 'restart' }[] = [
  { name: 'a retryable failure is restarted', history: [attempt(1)], expect: 'restart' },
  { name: 'stopped by the user: never', history: [attempt(1, { outcome: 'stopped' })], expect: /stopped by the user/ },
  {
    name: 'vigil restart: at once, under --restart no and past --max-restarts',
    history: [attempt(1), attempt(2), attempt(3), attempt(4, { outcome: 'stopped', restartAsked: true })],
    policy: { mode: 'no', maxRestarts: 1 },
    expect: 'restart',
  },
  { name: '--restart no', history: [attempt(1)], policy: { mode: 'no' }, expect: /--restart no/ },
  { name: 'a success under on-failure is done', history: [attempt(1, { outcome: 'succeeded', category: null })], expect: /succeeded/ },
  {
    name: 'a success under always is restarted',
    history: [attempt(1, { outcome: 'succeeded', category: null })],
    policy: { mode: 'always' },
    expect: 'restart',
  },
  {
    name: 'not retryable fails fast',
    history: [attempt(1, { category: 'import_error', retryable: false })],
    expect: /import_error is not retryable/,
  },
  {
    name: '--retry-on makes it retryable',
    history: [attempt(1, { category: 'import_error', retryable: false })],
    policy: { retryOn: ['import_error'] },
    expect: 'restart',
  },
  {
    name: 'an --on rule makes its category worth a retry',
    history: [attempt(1, { category: 'cuda_oom', retryable: false })],
    policy: { adaptive: [{ category: 'cuda_oom', halve: ['BATCH'], double: [] }] },
    expect: 'restart',
  },
  { name: 'an unrecognised crash may be transient', history: [attempt(1, { category: 'other', retryable: false })], expect: 'restart' },
  {
    name: 'the same cause at the same step twice: crash loop',
    history: [attempt(1, { step: 300 }), attempt(2, { step: 300 })],
    expect: /crash loop: attempts 1 and 2 both failed with nccl_timeout at step 300/,
  },
  {
    name: 'an OOM after halving, at the same step: crash loop',
    history: [
      attempt(1, { category: 'cuda_oom', retryable: false, step: 0 }),
      attempt(2, { category: 'cuda_oom', retryable: false, step: 0 }),
    ],
    policy: { adaptive: [{ category: 'cuda_oom', halve: ['BATCH'], double: [] }] },
    expect: /crash loop/,
  },
  {
    name: 'no further and no new checkpoint three times (NVRx): crash loop',
    history: [
      attempt(1, { step: 500, checkpointStep: 400 }),
      attempt(2, { step: 450, checkpointStep: 400, category: 'hang' }),
      attempt(3, { step: 420, checkpointStep: 400, category: 'nccl_error' }),
      attempt(4, { step: 410, checkpointStep: 400, category: 'hang' }),
    ],
    policy: { maxRestarts: 10 },
    expect: /3 attempts in a row got no further/,
  },
  {
    name: 'max restarts within the window',
    history: [attempt(1), attempt(2), attempt(3), attempt(4)],
    expect: /gave up: 3 restarts within 1h/,
  },
  {
    name: 'restarts outside the window do not count',
    history: [
      attempt(1, { endedAt: 1 * MIN }),
      attempt(2, { endedAt: 10 * MIN }),
      attempt(3, { endedAt: 20 * MIN }),
      attempt(4, { endedAt: 200 * MIN }),
    ],
    expect: 'restart',
  },
];

for (const { name, history, policy: overrides, expect } of cases) {
  test(`restart decision: ${name}`, () => {
    const decision = decideRestart(history, { ...policy, ...overrides }, () => 0.5);
    if (expect === 'restart') assert.equal(decision.kind, 'restart', JSON.stringify(decision));
    else {
      assert.equal(decision.kind, 'stop');
      assert.match(decision.reason, expect);
    }
  });
}

test('backoff: the ceiling doubles with each short attempt in a row, resets after a stable one, never passes the max', () => {
  const short = (n: number) => attempt(n, { startedAt: n * 10 * MIN - 1000 });
  const stable = (n: number) => attempt(n, { startedAt: n * 10 * MIN - 2 * MIN });
  const ceiling = (history: AttemptSummary[]) => backoffDelay(history, policy, () => 1);
  assert.equal(ceiling([short(1)]), 1000);
  assert.equal(ceiling([short(1), short(2)]), 2000);
  assert.equal(ceiling([short(1), short(2), short(3)]), 4000);
  assert.equal(ceiling([short(1), short(2), short(3), short(4), short(5)]), 8000);
  assert.equal(ceiling([short(1), short(2), stable(3)]), 1000);
  assert.equal(
    backoffDelay([short(1), short(2)], policy, () => 0),
    0,
    'full jitter reaches zero',
  );
});
