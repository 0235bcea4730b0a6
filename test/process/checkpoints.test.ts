import assert from 'node:assert/strict';
import { mkdtempSync, statSync, truncateSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sealCheckpoints } from '../../src/supervisor/checkpoints.ts';
import { makeCheckpoint } from '../helpers/checkpoints.ts';
import { tempHome, vigil } from '../helpers/vigil.ts';

test('vigil checkpoints DIR: step, size, age, status; --verify re-checks; --json for scripts', async () => {
  const home = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
  for (const step of [100, 200, 300]) makeCheckpoint('torch', join(dir, `epoch=0-step=${step}.ckpt`), step);
  await sealCheckpoints([dir], { writerEnded: true, glob: undefined });
  makeCheckpoint('torch', join(dir, 'last.ckpt'), 400); // no manifest
  utimesSync(join(dir, 'last.ckpt'), new Date(), new Date(Date.now() - 120_000)); // older than all: listed last (a step-less one is placed by time)
  const broken = join(dir, 'epoch=0-step=300.ckpt');
  truncateSync(broken, statSync(broken).size - 50);
  utimesSync(broken, new Date(), new Date(Date.now() - 60_000)); // cut, and settled since

  const listed = await vigil(home, ['checkpoints', dir, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['path', 'step', 'status', 'bytes', 'verified_at', 'reason']);
  // Without --verify the listing trusts the manifests (no hashing): the cut one still looks verified.
  assert.deepEqual(
    rows.map((r) => [r.step, r.status]),
    [
      [300, 'verified'],
      [200, 'verified'],
      [100, 'verified'],
      [null, 'pending'],
    ],
  );

  const verified = await vigil(home, ['checkpoints', dir, '--verify', '--json']);
  assert.equal(verified.code, 1, 'a corrupt checkpoint fails --verify');
  const again = JSON.parse(verified.stdout) as Record<string, any>[];
  assert.deepEqual(
    again.map((r) => [r.step, r.status]),
    [
      [300, 'corrupt'],
      [200, 'verified'],
      [100, 'verified'],
      [null, 'pending'],
    ],
  );
  assert.match(again[0]?.reason, /bytes, the manifest says/);
  assert.match(again[3]?.reason, /no manifest .*format check passed/);

  const text = await vigil(home, ['checkpoints', dir]);
  assert.match(text.stdout, /^STEP +SIZE +AGE +STATUS +PATH/);
  assert.match(text.stdout, /\n200 +\d.* +verified +\S+step=200\.ckpt\n/);
});

test('vigil checkpoints RUN without checkpoint directories: one line, exit 2', async () => {
  const home = tempHome();
  const run = await vigil(home, ['run', '-q', '--', 'true']);
  assert.equal(run.code, 0, run.stderr);
  const listed = await vigil(home, ['checkpoints', 'last']);
  assert.equal(listed.code, 2);
  assert.match(listed.stderr, /^vigil: run last watches no checkpoint directory .*\n$/);
});
