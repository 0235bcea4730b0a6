/**
 * Restart and resume with real PyTorch on CPU: a trainer that checkpoints every 20 steps and
 * crashes once at step 45 is restarted, resumes from the newest checkpoint that verifies (the one
 * at 40, or at 20 when the one at 40 was left truncated — then quarantined, never deleted), and
 * ends with weights equal to an uninterrupted run's, bit for bit.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { smallDisk } from '../helpers/disk.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { crashOnceRun, RESUMING_TRAINER as TRAIN, trainResuming } from '../helpers/checkpoints.ts';
import { collect, showJson, startVigil, tempHome, vigil, waitForLog, waitUntil } from '../helpers/vigil.ts';

/** The trainer's own words, resuming from whatever vigil chose (`{checkpoint}`). */
const weightsOf = (output: string) => /^weights ([0-9a-f]{64})$/m.exec(output)?.[1];

/** The same training, never interrupted, outside vigil. */
function uninterruptedWeights(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ckpt-ref-'));
  const run = spawnSync(torchPython(), [TRAIN, '--ckpt-dir', dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return weightsOf(run.stdout) as string;
}

describe('resume from the newest verified checkpoint', () => {
  const expected = uninterruptedWeights();

  for (const truncated of [false, true]) {
    test(
      truncated
        ? 'the newest checkpoint truncated: resumed from the one before, the bad one quarantined'
        : 'a crash at step 45: resumed from step 40, same weights as never crashing',
      async () => {
        const home = tempHome();
        const ckpt = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
        const result = await vigil(home, crashOnceRun(ckpt, '10ms..20ms', truncated ? ['--truncate-newest'] : []), { timeoutMs: 120_000 });
        assert.equal(result.code, 0, result.stderr);
        const resumedStep = truncated ? 20 : 40;
        assert.match(result.stdout, new RegExp(`^resumed from step ${resumedStep} \\(epoch=0-step=${resumedStep}\\.ckpt\\)$`, 'm'));
        assert.match(
          result.stderr,
          new RegExp(`attempt 2 in [\\d.]+m?s: resuming from epoch=0-step=${resumedStep}\\.ckpt \\(lost ${45 - resumedStep} steps`),
        );
        assert.equal(weightsOf(result.stdout), expected, 'bit for bit the weights of an uninterrupted run');
        const run = showJson(home);
        assert.equal(run.attempts.length, 2);
        assert.equal(run.attempts[0].resumed_from, join(ckpt, `epoch=0-step=${resumedStep}.ckpt`));
        assert.equal(run.attempts[0].lost_steps, 45 - resumedStep);
        if (truncated) {
          assert.match(result.stderr, /epoch=0-step=40\.ckpt is broken .*quarantined/);
          const quarantine = join(run.run_dir, 'quarantine');
          assert.ok(
            readdirSync(quarantine).some((name) => name.startsWith('epoch=0-step=40.ckpt')),
            'moved aside, not deleted',
          );
          // (the step-40 checkpoint in the directory now is attempt 2's own, written afresh)
        }
        const listed = JSON.parse((await vigil(home, ['checkpoints', 'last', '--json'])).stdout) as { path: string; status: string }[];
        assert.ok(
          listed.some((c) => c.path.endsWith('step=60.ckpt') && c.status === 'verified'),
          JSON.stringify(listed),
        );
      },
    );
  }

  test('the dataset changed since the checkpoint: the next morning run refuses to resume and says what changed; fresh starts over', async () => {
    const home = tempHome();
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    const data = join(mkdtempSync(join(tmpdir(), 'vigil-data-')), 'train.csv');
    writeFileSync(data, 'x,y\n1,2\n');
    const command = (...extra: string[]) => [
      'run',
      '-q',
      '--checkpoints',
      ckpt,
      '--fingerprint',
      data,
      ...extra,
      '--',
      ...trainResuming(ckpt),
    ];
    const first = await vigil(home, [...command(), '--crash-at', '45'], { timeoutMs: 120_000 });
    assert.equal(first.code, 1, first.stderr);
    appendFileSync(data, '3,4\n');
    const refused = await vigil(home, command(), { timeoutMs: 120_000 });
    assert.equal(refused.code, 9, refused.stderr);
    assert.match(refused.stderr, /not resuming from epoch=0-step=40\.ckpt: its inputs changed: .*train\.csv changed: size 8 B → 12 B/);
    assert.equal(showJson(home).status, 'failed');
    assert.equal(showJson(home).attempts.length, 0, 'no attempt was started');
    const fresh = await vigil(home, [...command('--on-fingerprint-change', 'fresh')], { timeoutMs: 120_000 });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.doesNotMatch(fresh.stdout, /resumed from/);
    assert.match(fresh.stderr, /starting fresh, without epoch=0-step=40\.ckpt/);
  });

  test('--keep-last 1: only the newest verified checkpoint stays', async () => {
    const home = tempHome();
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    const result = await vigil(
      home,
      ['run', '-q', '--checkpoints', ckpt, '--keep-last', '1', '--', torchPython(), TRAIN, '--ckpt-dir', ckpt],
      {
        timeoutMs: 120_000,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      readdirSync(ckpt).filter((name) => name.endsWith('.ckpt')),
      ['epoch=0-step=60.ckpt'],
    );
    const listed = JSON.parse((await vigil(home, ['checkpoints', 'last', '--json'])).stdout) as { path: string; status: string }[];
    assert.deepEqual(
      listed.map((c) => c.status),
      ['verified'],
    );
  });

  test('a checkpoint disk that cannot hold one more checkpoint: the run is not started (exit 10)', async () => {
    const home = tempHome();
    const ckpt = smallDisk(1);
    const made = spawnSync(torchPython(), ['-c', `import torch; torch.save(torch.zeros(170000), "${join(ckpt, 'epoch=0-step=20.ckpt')}")`]);
    assert.equal(made.status, 0, String(made.stderr));
    const result = await vigil(home, ['run', '-q', '--checkpoints', ckpt, '--', 'touch', join(home, 'started')]);
    assert.equal(result.code, 10, result.stderr);
    assert.match(result.stderr, /not starting: .*free holds 0 more checkpoints of 66\d KiB/);
    assert.equal(existsSync(join(home, 'started')), false);
  });

  test('while one long attempt runs, its completed checkpoints are sealed and --keep-last applies (not only between attempts)', async () => {
    const home = tempHome();
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    const go = join(mkdtempSync(join(tmpdir(), 'vigil-go-')), 'go');
    const child = startVigil(home, [
      'run',
      '-q',
      '--checkpoints',
      ckpt,
      '--keep-last',
      '1',
      '--settle',
      '300ms',
      '--',
      torchPython(),
      TRAIN,
      '--ckpt-dir',
      ckpt,
      '--hold-until',
      go,
    ]);
    const done = collect(child, 120_000);
    await waitForLog(home, 'holding');
    await waitUntil(
      'old checkpoints deleted while the job still runs',
      () =>
        readdirSync(ckpt)
          .filter((name) => name.endsWith('.ckpt'))
          .join() === 'epoch=0-step=60.ckpt',
      30_000,
    );
    writeFileSync(go, '');
    assert.equal((await done).code, 0);
  });
});
