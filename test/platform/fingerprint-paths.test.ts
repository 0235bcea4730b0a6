import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareFingerprints } from '../../src/core/fingerprint.ts';
import { VigilError } from '../../src/errors.ts';
import { FINGERPRINT_CACHE_FILE, fingerprintPaths } from '../../src/platform/fingerprint-paths.ts';

/** A working directory and a cache directory of their own. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'vigil-fingerprint-'));
  const cwd = join(root, 'work');
  mkdirSync(cwd);
  return { cwd, cacheDir: join(root, 'cache') };
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const AN_HOUR_AGO = Math.floor(Date.now() / 1000) - 3600;
/** Written long enough ago to be cached (a file modified just now is not), at a given mtime (seconds). */
function writeOld(path: string, text: string, mtime = AN_HOUR_AGO) {
  writeFileSync(path, text);
  utimesSync(path, mtime, mtime);
}

describe('fingerprintPaths', () => {
  test('a file: its size and content hash, under the path as given', async () => {
    const where = workspace();
    writeOld(join(where.cwd, 'train.jsonl'), 'a\nb\n');
    const [fingerprint] = await fingerprintPaths(['train.jsonl'], where);
    assert.deepEqual(fingerprint, { path: 'train.jsonl', kind: 'file', bytes: 4, files: 1, sha256: sha256('a\nb\n') });
  });

  test('a dataset file appended to: the change names the path and the size', async () => {
    const where = workspace();
    const data = join(where.cwd, 'train.jsonl');
    writeOld(data, '{"x": 1}\n'.repeat(100));
    const before = await fingerprintPaths(['train.jsonl'], where);
    appendFileSync(data, '{"x": 2}\n');
    const after = await fingerprintPaths(['train.jsonl'], where);
    const changes = compareFingerprints(before, after);
    assert.equal(changes.length, 1);
    assert.match(changes[0]?.message ?? '', /^train\.jsonl changed: size 900 B → 909 B \(\+9 B\) \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)$/);
  });

  test('a file added to a directory: the change gives the file count', async () => {
    const where = workspace();
    const shards = join(where.cwd, 'data');
    mkdirSync(join(shards, 'nested'), { recursive: true });
    writeOld(join(shards, 'a.bin'), 'aaaa');
    writeOld(join(shards, 'nested', 'b.bin'), 'bb');
    const [before] = await fingerprintPaths(['data'], where);
    assert.deepEqual({ kind: before?.kind, bytes: before?.bytes, files: before?.files }, { kind: 'dir', bytes: 6, files: 2 });
    writeFileSync(join(shards, 'nested', 'c.bin'), 'c');
    const after = await fingerprintPaths(['data'], where);
    assert.match(compareFingerprints([before!], after)[0]?.message ?? '', /^data changed: 2 → 3 files, size 6 B → 7 B \(\+1 B\)/);
  });

  test('a directory: a renamed file changes the hash though size and count stay', async () => {
    const where = workspace();
    mkdirSync(join(where.cwd, 'data'));
    writeOld(join(where.cwd, 'data', 'a.bin'), 'same');
    const before = await fingerprintPaths(['data'], where);
    const again = await fingerprintPaths(['data'], where);
    assert.deepEqual(compareFingerprints(before, again), [], 'nothing changed: nothing reported');
    writeFileSync(join(where.cwd, 'data', 'b.bin'), readFileSync(join(where.cwd, 'data', 'a.bin')));
    rmSync(join(where.cwd, 'data', 'a.bin'));
    const after = await fingerprintPaths(['data'], where);
    assert.match(compareFingerprints(before, after)[0]?.message ?? '', /^data changed: same files and size, different content/);
  });

  test('a file whose size, mtime and inode match the cache is not re-read', async () => {
    const where = workspace();
    const data = join(where.cwd, 'train.bin');
    writeOld(data, 'original');
    const [first] = await fingerprintPaths(['train.bin'], where);
    assert.ok(existsSync(join(where.cacheDir, FINGERPRINT_CACHE_FILE)));
    // Same size, same mtime, same inode: the cache answers (proof that the file was not read again).
    writeOld(data, 'REWRITES');
    const [cached] = await fingerprintPaths(['train.bin'], where);
    assert.equal(cached?.sha256, first?.sha256);
    // A different mtime: read again.
    writeOld(data, 'REWRITES', AN_HOUR_AGO + 60);
    const [fresh] = await fingerprintPaths(['train.bin'], where);
    assert.equal(fresh?.sha256, sha256('REWRITES'));
  });

  test('a file modified just now is hashed but not cached (it may change again within the same mtime)', async () => {
    const where = workspace();
    writeFileSync(join(where.cwd, 'config.yaml'), 'lr: 1');
    await fingerprintPaths(['config.yaml'], where);
    const cache = JSON.parse(readFileSync(join(where.cacheDir, FINGERPRINT_CACHE_FILE), 'utf8'));
    assert.deepEqual(cache, {});
  });

  test('a damaged cache is ignored', async () => {
    const where = workspace();
    mkdirSync(where.cacheDir);
    writeFileSync(join(where.cacheDir, FINGERPRINT_CACHE_FILE), '{not json');
    writeOld(join(where.cwd, 'x'), 'x');
    const [fingerprint] = await fingerprintPaths(['x'], where);
    assert.equal(fingerprint?.sha256, sha256('x'));
  });

  test('a missing path is a usage error naming it', async () => {
    const where = workspace();
    await assert.rejects(fingerprintPaths(['nope.jsonl'], where), (error: unknown) => {
      assert.ok(error instanceof VigilError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, '--fingerprint nope.jsonl: no such file or directory');
      return true;
    });
  });
});
