import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chooseResumeCheckpoint, findCheckpoints, listCheckpoints, sealCheckpoints } from '../../src/supervisor/checkpoints.ts';
import { makeCheckpoint, startSlowSave } from '../helpers/checkpoints.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));

describe('resuming from the newest checkpoint that verifies', () => {
  test('newest truncated → quarantined into the run directory with its reason, the one before chosen and verified', async () => {
    const [ckpts, runDir] = [dir(), dir()];
    for (const step of [100, 200]) makeCheckpoint('torch', join(ckpts, `epoch=0-step=${step}.ckpt`), step);
    assert.deepEqual(
      await sealCheckpoints([ckpts], { writerEnded: true }),
      [200, 100].map((s) => join(ckpts, `epoch=0-step=${s}.ckpt`)),
    );
    const newest = join(ckpts, 'epoch=0-step=200.ckpt');
    truncateSync(newest, statSync(newest).size - 100);
    // Cut later than the seal, as a disk fault would be: file times are coarse (a kernel tick), so within the same
    // tick the manifest would still speak for the file and the reason would be its size, not the archive's format.
    const later = new Date(Date.now() + 2000);
    utimesSync(newest, later, later);

    const choice = await chooseResumeCheckpoint([ckpts], { writerEnded: true, quarantineDir: join(runDir, 'quarantine') });
    assert.deepEqual(choice.chosen, { path: join(ckpts, 'epoch=0-step=100.ckpt'), step: 100, verified: true });
    assert.equal(choice.quarantined.length, 1);
    assert.equal(choice.quarantined[0]?.to, join(runDir, 'quarantine', 'epoch=0-step=200.ckpt.quarantined'));
    assert.match(choice.quarantined[0]?.reason ?? '', /end-of-central-directory|past the central directory/);
    assert.ok(!existsSync(newest));

    const listed = await listCheckpoints([ckpts], { quarantineDirs: [join(runDir, 'quarantine')] });
    assert.deepEqual(
      listed.map((r) => [r.step, r.status]),
      [
        [100, 'verified'],
        [200, 'quarantined'],
      ],
    );
  });

  test('kill -9 in the middle of a save: skipped while it may still be written, quarantined once its writer ended, never chosen', async () => {
    const [ckpts, runDir] = [dir(), dir()];
    const old = join(ckpts, 'epoch=0-step=100.ckpt');
    makeCheckpoint('torch', old, 100); // before vigil watched: no manifest; written a minute ago
    utimesSync(old, new Date(), new Date(Date.now() - 60_000));
    const partial = join(ckpts, 'epoch=0-step=200.ckpt');
    const saver = await startSlowSave(partial);
    try {
      const during = await chooseResumeCheckpoint([ckpts], { settleMs: 10_000, quarantineDir: runDir });
      assert.deepEqual(during.chosen, { path: join(ckpts, 'epoch=0-step=100.ckpt'), step: 100, verified: false });
      assert.deepEqual(
        during.skipped.map((s) => s.path),
        [partial],
      );
      assert.deepEqual(during.quarantined, []);
    } finally {
      saver.kill('SIGKILL');
      await new Promise((r) => saver.once('exit', r));
    }
    const after = await chooseResumeCheckpoint([ckpts], { writerEnded: true, quarantineDir: runDir });
    assert.equal(after.chosen?.step, 100);
    assert.equal(after.chosen?.verified, false, 'no manifest: reported as unverified');
    assert.deepEqual(
      after.quarantined.map((q) => q.from),
      [partial],
    );
  });

  test('HF checkpoint-N folders: a flipped byte (same size, same mtime) is caught by the re-hash', async () => {
    const [out, runDir] = [dir(), dir()];
    for (const step of [100, 300]) makeCheckpoint('hf', out, step);
    writeFileSync(join(out, 'README.md'), 'not a checkpoint');
    await sealCheckpoints([out], { writerEnded: true });
    const weights = join(out, 'checkpoint-300', 'model.safetensors');
    const { atime, mtime } = statSync(weights);
    const bytes = readFileSync(weights);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    writeFileSync(weights, bytes);
    utimesSync(weights, atime, new Date(mtime.getTime() - 60_000)); // as if the disk flipped it

    const choice = await chooseResumeCheckpoint([out], { writerEnded: true, quarantineDir: runDir });
    assert.deepEqual(choice.chosen, { path: join(out, 'checkpoint-100'), step: 100, verified: true });
    assert.match(choice.quarantined[0]?.reason ?? '', /model\.safetensors: content changed/);
  });

  test('a rewritten last.ckpt is not corrupt: its manifest is stale, its format decides', async () => {
    const [ckpts, runDir] = [dir(), dir()];
    const last = join(ckpts, 'last.ckpt');
    makeCheckpoint('torch', last, 1);
    await sealCheckpoints([ckpts], { writerEnded: true });
    makeCheckpoint('torch', last, 2);
    utimesSync(last, new Date(), new Date(Date.now() + 1000));
    const choice = await chooseResumeCheckpoint([ckpts], { writerEnded: true, quarantineDir: runDir });
    assert.deepEqual(choice.chosen, { path: last, step: null, verified: false });
  });

  test('--checkpoint-glob: any layout, the step from the first integer of the name; nothing found → null', async () => {
    const [ckpts, runDir] = [dir(), dir()];
    for (const step of [5, 40, 12]) makeCheckpoint('torch', join(ckpts, `ckpt_${String(step).padStart(6, '0')}.pt`), step);
    makeCheckpoint('safetensors', join(ckpts, 'ckpt_000041.safetensors'));
    const found = await findCheckpoints([ckpts], 'ckpt_*.pt');
    assert.deepEqual(
      found.map((f) => f.step),
      [40, 12, 5],
    );
    const choice = await chooseResumeCheckpoint([ckpts], { glob: 'ckpt_*.pt', writerEnded: true, quarantineDir: runDir });
    assert.equal(choice.chosen?.step, 40);
    assert.deepEqual(await chooseResumeCheckpoint([join(ckpts, 'missing')], { quarantineDir: runDir }), {
      chosen: null,
      quarantined: [],
      skipped: [],
    });
  });
});
