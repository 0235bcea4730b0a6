import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareFingerprints, decideOnFingerprintChange, type Fingerprint } from '../../src/core/fingerprint.ts';

const file = (path: string, bytes: number, sha256: string): Fingerprint => ({ path, kind: 'file', bytes, files: 1, sha256 });
const dir = (path: string, bytes: number, files: number, sha256: string): Fingerprint => ({ path, kind: 'dir', bytes, files, sha256 });
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe('compareFingerprints', () => {
  const cases: { name: string; old: Fingerprint[]; current: Fingerprint[]; messages: string[] }[] = [
    { name: 'unchanged', old: [file('d.bin', 10, HASH_A)], current: [file('d.bin', 10, HASH_A)], messages: [] },
    {
      name: 'a file grew',
      old: [file('d.bin', 1024, HASH_A)],
      current: [file('d.bin', 3072, HASH_B)],
      messages: ['d.bin changed: size 1.0 KiB → 3.0 KiB (+2.0 KiB) (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)'],
    },
    {
      name: 'a file shrank',
      old: [file('d.bin', 10, HASH_A)],
      current: [file('d.bin', 4, HASH_B)],
      messages: ['d.bin changed: size 10 B → 4 B (-6 B) (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)'],
    },
    {
      name: 'same size, other content',
      old: [file('cfg.yaml', 10, HASH_A)],
      current: [file('cfg.yaml', 10, HASH_B)],
      messages: ['cfg.yaml changed: same size, different content (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)'],
    },
    {
      name: 'a directory lost a file',
      old: [dir('data', 30, 3, HASH_A)],
      current: [dir('data', 20, 2, HASH_B)],
      messages: ['data changed: 3 → 2 files, size 30 B → 20 B (-10 B) (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)'],
    },
    {
      name: 'a file became a directory',
      old: [file('data', 30, HASH_A)],
      current: [dir('data', 30, 1, HASH_B)],
      messages: ['data was a file, is now a directory'],
    },
    { name: 'a path fingerprinted only now: nothing to compare', old: [], current: [file('new.bin', 1, HASH_A)], messages: [] },
    { name: 'a path no longer fingerprinted: nothing to compare', old: [file('old.bin', 1, HASH_A)], current: [], messages: [] },
    {
      name: 'only the changed one of several',
      old: [file('a', 1, HASH_A), file('b', 1, HASH_A)],
      current: [file('a', 1, HASH_A), file('b', 2, HASH_B)],
      messages: ['b changed: size 1 B → 2 B (+1 B) (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)'],
    },
  ];
  for (const { name, old, current, messages } of cases)
    test(name, () =>
      assert.deepEqual(
        compareFingerprints(old, current).map((change) => change.message),
        messages,
      ),
    );
});

describe('decideOnFingerprintChange', () => {
  const changes = compareFingerprints([file('train.jsonl', 10, HASH_A)], [file('train.jsonl', 20, HASH_B)]);
  const what = 'train.jsonl changed: size 10 B → 20 B (+10 B) (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)';

  test('no change: resume, whatever the mode', () => {
    for (const mode of ['refuse', 'fresh', 'ignore'] as const)
      assert.deepEqual(decideOnFingerprintChange([], mode, 'checkpoint-300'), { action: 'resume', warning: null });
  });
  test('refuse (the default): says what changed and the ways out', () => {
    assert.deepEqual(decideOnFingerprintChange(changes, 'refuse', 'checkpoint-300'), {
      action: 'refuse',
      message: `not resuming from checkpoint-300: its inputs changed: ${what} (--on-fingerprint-change fresh starts over, ignore resumes anyway)`,
    });
  });
  test('fresh: starts without the checkpoint and says so', () => {
    assert.deepEqual(decideOnFingerprintChange(changes, 'fresh', 'checkpoint-300'), {
      action: 'fresh',
      message: `starting fresh, without checkpoint-300: its inputs changed: ${what}`,
    });
  });
  test('ignore: resumes with a warning', () => {
    assert.deepEqual(decideOnFingerprintChange(changes, 'ignore', 'checkpoint-300'), {
      action: 'resume',
      warning: `resuming from checkpoint-300 although its inputs changed: ${what}`,
    });
  });
});
