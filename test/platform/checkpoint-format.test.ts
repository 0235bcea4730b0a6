import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkpointFiles } from '../../src/platform/checkpoints/files.ts';
import { checkCheckpointFormat, checkFileFormat } from '../../src/platform/checkpoints/format.ts';
import { hashFiles } from '../../src/platform/checkpoints/hasher.ts';
import { differenceFromManifest, manifestPath, readManifest, writeManifest } from '../../src/platform/checkpoints/manifest.ts';
import { quarantineCheckpoint } from '../../src/platform/checkpoints/quarantine.ts';
import { makeCheckpoint, startSlowSave } from '../helpers/checkpoints.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
const cut = (path: string, keep: number) => truncateSync(path, keep);

describe('format checks on real files', () => {
  test('torch.save archive: whole; truncated anywhere → broken, with the reason', async () => {
    const path = join(dir(), 'model.pt');
    makeCheckpoint('torch', path, 7);
    assert.deepEqual(await checkFileFormat(path), { kind: 'torch-zip', whole: true });
    const size = statSync(path).size;
    for (const keep of [size - 1, size - 30, Math.floor(size / 2), 10, 0]) {
      const copy = `${path}.${keep}.pt`;
      writeFileSync(copy, readFileSync(path).subarray(0, keep));
      const verdict = await checkFileFormat(copy);
      assert.equal(verdict.whole, false, `cut at ${keep} of ${size}`);
      if (!verdict.whole) assert.ok(verdict.reason.length > 0);
    }
  });

  test('safetensors written by hand: whole; truncated or padded → broken', async () => {
    const path = join(dir(), 'model.safetensors');
    makeCheckpoint('safetensors', path);
    assert.deepEqual(await checkFileFormat(path), { kind: 'safetensors', whole: true });
    const size = statSync(path).size;
    cut(path, size - 4);
    const truncated = await checkFileFormat(path);
    assert.equal(truncated.whole, false);
    if (!truncated.whole) assert.match(truncated.reason, new RegExp(`header describes ${size} bytes, the file has ${size - 4}`));
    cut(path, 20); // into the header
    assert.equal((await checkFileFormat(path)).whole, false);
  });

  test('a file killed mid torch.save is broken', async () => {
    const path = join(dir(), 'big.pt');
    const child = await startSlowSave(path);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(statSync(path).size > 0);
    const verdict = await checkFileFormat(path);
    assert.equal(verdict.whole, false);
  });

  test('an HF checkpoint folder is whole when each file is; the first broken file is named', async () => {
    const root = dir();
    makeCheckpoint('hf', root, 300);
    const folder = join(root, 'checkpoint-300');
    assert.deepEqual(await checkCheckpointFormat(await checkpointFiles(folder)), { whole: true });
    cut(join(folder, 'model.safetensors'), 100);
    const verdict = await checkCheckpointFormat(await checkpointFiles(folder));
    assert.equal(verdict.whole, false);
    if (!verdict.whole) assert.match(verdict.reason, /^model\.safetensors: /);
  });
});

describe('hashing, manifests, quarantine', () => {
  test('sha256 in worker threads equals sha256sum, files in parallel', async () => {
    const root = dir();
    const paths = [0, 1, 5 * 1024 * 1024 + 3, 9 * 1024 * 1024].map((size, i) => {
      const path = join(root, `f${i}`);
      writeFileSync(path, Buffer.alloc(size, i + 1));
      return path;
    });
    const hashes = await hashFiles(paths);
    for (const [i, path] of paths.entries())
      assert.equal(hashes[i]?.sha256, execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]);
    await assert.rejects(hashFiles([join(root, 'missing')]), /ENOENT/);
  });

  test('manifest: a hidden sibling, written atomically; re-verification finds a changed byte and a missing file', async () => {
    const root = dir();
    makeCheckpoint('hf', root, 100);
    const folder = join(root, 'checkpoint-100');
    const before = readdirSync(folder).sort();
    const manifest = await writeManifest(folder, 100);
    assert.equal(manifestPath(folder), join(root, '.checkpoint-100.vigil-manifest.json'));
    assert.deepEqual(readdirSync(folder).sort(), before, 'the checkpoint itself is untouched');
    assert.deepEqual(readdirSync(root).sort(), ['.checkpoint-100.vigil-manifest.json', 'checkpoint-100'], 'no temporary file left');
    assert.deepEqual(await readManifest(folder), manifest);
    assert.equal(await differenceFromManifest(folder, manifest, await checkpointFiles(folder)), null);

    const weights = join(folder, 'model.safetensors');
    const bytes = readFileSync(weights);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    writeFileSync(weights, bytes);
    assert.match(
      (await differenceFromManifest(folder, manifest, await checkpointFiles(folder))) ?? '',
      /model\.safetensors: content changed/,
    );
    execFileSync('rm', [join(folder, 'trainer_state.json')]);
    assert.match((await differenceFromManifest(folder, manifest, await checkpointFiles(folder))) ?? '', /trainer_state\.json: missing/);
  });

  test('quarantine moves into the given directory with a reason, never overwriting an earlier one', async () => {
    const [root, runDir] = [dir(), dir()];
    for (const round of [1, 2]) {
      const path = join(root, 'epoch=0-step=10.ckpt');
      makeCheckpoint('torch', path, round);
      await writeManifest(path, 10);
      const moved = await quarantineCheckpoint(path, `round ${round}`, join(runDir, 'quarantine'));
      assert.equal(moved.inPlace, false);
      assert.equal(moved.to, join(runDir, 'quarantine', `epoch=0-step=10.ckpt${round === 1 ? '' : '.2'}.quarantined`));
      assert.ok(!existsSync(path) && existsSync(moved.to));
      assert.match(readFileSync(`${moved.to}.quarantine-reason.txt`, 'utf8'), new RegExp(`round ${round}`));
    }
    assert.ok(!existsSync(manifestPath(join(root, 'epoch=0-step=10.ckpt'))), 'the manifest went with it');
  });

  test('quarantine across file systems (EXDEV) renames in place', async (t) => {
    if (statSync('/dev/shm').dev === statSync(tmpdir()).dev) return t.skip('/dev/shm and the temp dir are one file system here');
    const root = mkdtempSync('/dev/shm/vigil-ckpt-');
    const path = join(root, 'checkpoint-5');
    mkdirSync(path);
    writeFileSync(join(path, 'x.bin'), 'x');
    const moved = await quarantineCheckpoint(path, 'broken', join(dir(), 'quarantine'));
    assert.deepEqual(moved, { from: path, to: `${path}.quarantined`, reason: 'broken', inPlace: true });
    assert.ok(existsSync(join(moved.to, 'x.bin')));
  });
});
