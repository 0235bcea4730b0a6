/**
 * `vigil drill` on a real PyTorch job (test/fixtures/jobs/drill/trainer.py: two DataLoader
 * workers, checkpoints every 20 steps, resume from {checkpoint}, a fingerprinted data file):
 * every kind passes with a configuration that recovers; one that cannot (no checkpoint
 * directory, a progress timeout longer than the budget) fails the matching drill with its reason.
 * Afterwards nothing of the drills runs, and the user's files are as they were: the drills only
 * ever add (and remove) their own.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { JOBS, showJson, taggedPids, tempHome, vigil } from '../helpers/vigil.ts';

const TRAINER = join(JOBS, 'drill', 'trainer.py');

type Drill = { kind: string; status: string; detail: string; runId: string | null; figures: Record<string, number | null> };

function workspace(): { dir: string; ckpt: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-drill-'));
  const data = join(dir, 'data.txt');
  writeFileSync(data, '7\n');
  return { dir, ckpt: join(dir, 'ckpt'), data };
}

const job = (ckpt: string, data: string) => [torchPython(), TRAINER, '--ckpt-dir', ckpt, '--data', data, '--resume', '{checkpoint}'];
const RECOVERING = ['--restart', 'on-failure', '--backoff', '1s..2s', '--settle', '1s', '--progress-timeout', '6s'];

async function drill(home: string, args: string[], timeoutMs = 300_000) {
  const result = await vigil(home, ['drill', '--json', ...args], { timeoutMs });
  return { ...result, ...(JSON.parse(result.stdout) as { ok: boolean; drills: Drill[] }) };
}

/** Every file under `dir` with its content's hash. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  return files;
}

describe('vigil drill', () => {
  test('every kind passes on a job that recovers; no process is left and no file of the user is changed', async () => {
    const home = tempHome();
    const { dir, ckpt, data } = workspace();
    // Checkpoints from an earlier run are there before the drill: the drill must leave them as they are.
    const first = await vigil(home, [
      'run',
      '--checkpoints',
      ckpt,
      '--settle',
      '1s',
      '--',
      ...job(ckpt, data).slice(0, -2),
      '--steps',
      '40',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const before = snapshot(dir);
    const result = await drill(home, [...RECOVERING, '--checkpoints', ckpt, '--fingerprint', data, '--', ...job(ckpt, data)]);
    assert.deepEqual(
      result.drills.map((d) => [d.kind, d.status]),
      ['crash', 'hang', 'worker', 'corrupt-checkpoint', 'supervisor', 'fingerprint'].map((kind) => [kind, 'pass']),
      JSON.stringify(result.drills, null, 1),
    );
    assert.equal(result.code, 0);
    const crash = result.drills[0] as Drill;
    assert.ok((crash.figures.lost_steps ?? Infinity) <= 20, 'no more steps lost than the save interval');
    // Nothing runs on; the verdict is stored with each run.
    for (const d of result.drills) {
      assert.deepEqual(taggedPids(d.runId as string), [], `${d.kind} left processes`);
      assert.equal(showJson(home, d.runId as string).drill?.status, 'pass');
    }
    // The user's files: each one that was there is there, unchanged; no planted copy remains.
    const after = snapshot(dir);
    for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} changed or vanished`);
    assert.equal(readFileSync(data, 'utf8'), '7\n');
    assert.ok(![...after.keys()].some((path) => /step=\d{7,}/.test(path)), 'the planted truncated copy was removed');
  });

  test('a configuration that cannot recover fails the matching drills with the reason', async () => {
    const home = tempHome();
    const { ckpt, data } = workspace();
    const result = await drill(home, [
      '--only',
      'crash,hang',
      '--budget',
      '1m',
      '--restart',
      'on-failure',
      '--progress-timeout',
      '10m',
      '--',
      ...job(ckpt, data),
    ]);
    assert.equal(result.code, 1);
    const [crash, hang] = result.drills;
    assert.equal(crash?.status, 'fail');
    assert.match(crash?.detail ?? '', /no checkpoint directory given/);
    assert.equal(hang?.status, 'fail');
    assert.match(hang?.detail ?? '', /progress timeout \(600 s\) is longer than the budget/);
    for (const d of result.drills) if (d.runId) assert.deepEqual(taggedPids(d.runId), []);
  });

  test('an unknown drill kind is refused in one line', async () => {
    const result = await vigil(tempHome(), ['drill', '--only', 'crash,flood', '--', 'true']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^vigil: unknown drill flood \(kinds: crash, hang/);
  });
});
