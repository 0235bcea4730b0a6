import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseResume, newestFirst, type Candidate, type Verdict } from '../../../src/core/checkpoints/choose.ts';
import { globToRegExp } from '../../../src/core/checkpoints/glob.ts';
import { nameCheckpoint } from '../../../src/core/checkpoints/naming.ts';
import { substituteCheckpoint } from '../../../src/core/checkpoints/placeholder.ts';

describe('checkpoint names → steps', () => {
  const cases: [string, boolean, string | undefined, number | null | 'none'][] = [
    ['checkpoint-300', true, undefined, 300],
    ['checkpoint-300', false, undefined, 'none'], // a file of that name is not an HF checkpoint
    ['checkpoint-best', true, undefined, 'none'],
    ['epoch=2-step=1500.ckpt', false, undefined, 1500],
    ['model-step=42-val_loss=0.12.ckpt', false, undefined, 42],
    ['last.ckpt', false, undefined, null],
    ['mystep=7.ckpt', false, undefined, null], // `step=` must start a word
    ['notes.txt', false, undefined, 'none'],
    ['checkpoint-300.vigil-manifest.json', false, undefined, 'none'],
    ['epoch=1-step=10.ckpt.quarantined', false, undefined, 'none'],
    ['ckpt_000120.pt', false, 'ckpt_*.pt', 120],
    ['ckpt_000120.pt.tmp', false, 'ckpt_*.pt', 'none'],
    ['run3/model_500.pt', false, '**/model_*.pt', 500], // step from the name, not the folder
    ['final.pt', false, '*.pt', null],
    ['checkpoint-5', true, 'checkpoint-*', 5],
  ];
  for (const [name, isDir, glob, expected] of cases)
    test(`${name}${isDir ? '/' : ''}${glob ? ` with ${glob}` : ''}`, () => {
      const named = nameCheckpoint(name, isDir, glob);
      if (expected === 'none') assert.equal(named, null);
      else assert.equal(named?.step, expected);
    });

  test('glob: * stays in a segment, ** crosses, {a,b} and [..] work', () => {
    assert.ok(!globToRegExp('*.pt').test('a/b.pt'));
    assert.ok(globToRegExp('**/*.pt').test('a/b/c.pt'));
    assert.ok(globToRegExp('**/*.pt').test('c.pt'));
    assert.ok(globToRegExp('*.{pt,safetensors}').test('m.safetensors'));
    assert.ok(globToRegExp('ckpt[0-9].pt').test('ckpt3.pt'));
    assert.ok(!globToRegExp('ckpt.pt').test('ckptXpt'));
  });
});

describe('{checkpoint} in the command', () => {
  const cases: [string[], string | null, string[]][] = [
    [['python', 'train.py', '--resume', '{checkpoint}'], '/c/checkpoint-300', ['python', 'train.py', '--resume', '/c/checkpoint-300']],
    [['python', 'train.py', '--resume', '{checkpoint}', '--lr', '1'], null, ['python', 'train.py', '--lr', '1']],
    [['python', 'train.py', '--resume={checkpoint}', '--lr=1'], null, ['python', 'train.py', '--lr=1']],
    [['python', 'train.py', '--resume={checkpoint}'], '/c/x.ckpt', ['python', 'train.py', '--resume=/c/x.ckpt']],
    [['python', 'train.py', 'ckpt_path={checkpoint}'], null, ['python', 'train.py']],
    [['python', 'train.py', '-r', '{checkpoint}'], null, ['python', 'train.py']],
    // A positional placeholder: only it goes, the word before is no option.
    [['resume.sh', '{checkpoint}'], null, ['resume.sh']],
    [['python', 'train.py', '--', '{checkpoint}'], null, ['python', 'train.py', '--']],
    [['python', 'train.py', '--x=1', '{checkpoint}'], null, ['python', 'train.py', '--x=1']],
    [['python', 'train.py'], null, ['python', 'train.py']],
    [['sh', '-c', 'train --resume {checkpoint}'], '/p', ['sh', '-c', 'train --resume /p']],
  ];
  for (const [argv, checkpoint, expected] of cases)
    test(`${argv.join(' ')} with ${checkpoint ?? 'none'}`, () => assert.deepEqual(substituteCheckpoint(argv, checkpoint), expected));
});

describe('choosing the checkpoint to resume from', () => {
  const c = (step: number | null, mtimeMs = step ?? 0): Candidate => ({ path: `/c/${step ?? 'last'}-${mtimeMs}`, step, mtimeMs });
  const v = (entries: [Candidate, Verdict][]) => new Map(entries.map(([cand, verdict]) => [cand.path, verdict]));

  test('newest first by step; a step-less one by modification time', () => {
    const [a, b, last] = [c(100, 1), c(200, 5), c(null, 3)];
    assert.deepEqual(newestFirst([a, last, b]), [b, last, a]);
    assert.deepEqual(newestFirst([a, c(null, 9), b])[0]?.step, null);
  });

  test('asks for the newest verdict first, and no more once it verifies', () => {
    const [older, newer] = [c(100), c(200)];
    assert.deepEqual(chooseResume([newer, older], new Map()), { kind: 'verify', candidate: newer });
    const done = chooseResume([newer, older], v([[newer, { kind: 'verified' }]]));
    assert.deepEqual(done, { kind: 'done', chosen: { candidate: newer, verified: true }, quarantine: [], skipped: [] });
  });

  test('corrupt → quarantined with its reason, the next older tried; no manifest → chosen unverified', () => {
    const [older, newer] = [c(100), c(200)];
    const verdicts = v([
      [newer, { kind: 'corrupt', reason: 'zip: no end-of-central-directory record' }],
      [older, { kind: 'whole' }],
    ]);
    assert.deepEqual(chooseResume([newer, older], verdicts), {
      kind: 'done',
      chosen: { candidate: older, verified: false },
      quarantine: [{ candidate: newer, reason: 'zip: no end-of-central-directory record' }],
      skipped: [],
    });
  });

  test('incomplete → skipped, never chosen nor quarantined; nothing good → null', () => {
    const [older, newer] = [c(100), c(200)];
    const verdicts = v([
      [newer, { kind: 'incomplete', reason: 'changed 2s ago' }],
      [older, { kind: 'corrupt', reason: 'bad' }],
    ]);
    const done = chooseResume([newer, older], verdicts);
    assert.equal(done.kind, 'done');
    if (done.kind !== 'done') return;
    assert.equal(done.chosen, null);
    assert.deepEqual(done.skipped, [{ candidate: newer, reason: 'changed 2s ago' }]);
    assert.deepEqual(done.quarantine, [{ candidate: older, reason: 'bad' }]);
  });
});
