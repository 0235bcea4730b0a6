/** What a job declares (its vigil run words), its newest checkpoint and its fingerprinted paths, judged. Pure. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeNewestCheckpoint } from '../../../src/core/doctor/checkpoints.ts';
import { judgeFingerprints } from '../../../src/core/doctor/fingerprints.ts';
import { jobDeclarations } from '../../../src/core/doctor/job-declarations.ts';

test("declarations from a job's run words: both --key=value (vigil.yaml's) and --key value, repeatable", () => {
  assert.deepEqual(
    jobDeclarations([
      '--restart=on-failure',
      '--checkpoints=/w/ckpt',
      '--checkpoints',
      '/w/more',
      '--checkpoint-glob=*.pt',
      '--fingerprint=/w/data',
    ]),
    { checkpointDirs: ['/w/ckpt', '/w/more'], checkpointGlob: '*.pt', fingerprints: ['/w/data'] },
  );
  assert.deepEqual(jobDeclarations([]), { checkpointDirs: [], checkpointGlob: null, fingerprints: [] });
});

test('the newest checkpoint: verified or whole is ok, damaged fails naming it, still written warns, none is a first run', () => {
  const newest = { path: '/w/ckpt/checkpoint-200.pt', step: 200, bytes: 3 * 2 ** 20 };
  assert.equal(judgeNewestCheckpoint(['/w/ckpt'], { ...newest, verdict: { kind: 'verified' } }).status, 'ok');
  assert.match(judgeNewestCheckpoint(['/w/ckpt'], { ...newest, verdict: { kind: 'whole' } }).finding, /\(step 200, 3\.0 MiB\) is whole/);
  const damaged = judgeNewestCheckpoint(['/w/ckpt'], { ...newest, verdict: { kind: 'corrupt', reason: 'torch zip: truncated' } });
  assert.deepEqual(
    [damaged.status, damaged.finding],
    ['fail', 'newest checkpoint /w/ckpt/checkpoint-200.pt (step 200, 3.0 MiB) is damaged: torch zip: truncated'],
  );
  assert.match(damaged.fix ?? '', /vigil checkpoints \/w\/ckpt --verify/);
  assert.equal(
    judgeNewestCheckpoint(['/w/ckpt'], { ...newest, verdict: { kind: 'incomplete', reason: 'changed 5 ms ago' } }).status,
    'warn',
  );
  assert.match(judgeNewestCheckpoint(['/w/ckpt'], null).finding, /no checkpoint in \/w\/ckpt yet/);
});

test('fingerprinted paths: each missing one fails; none declared is a skip', () => {
  assert.deepEqual(
    judgeFingerprints([
      { path: '/w/data', exists: true },
      { path: '/w/gone', exists: false },
    ]).map((r) => [r.status, r.finding]),
    [['fail', 'fingerprinted path /w/gone does not exist']],
  );
  assert.equal(judgeFingerprints([{ path: '/w/data', exists: true }])[0]?.status, 'ok');
  assert.equal(judgeFingerprints([])[0]?.status, 'skip');
});
