/**
 * Failure injection around restarts and checkpoints, on real processes: vigil SIGKILLed in the
 * backoff and while it seals, vigil stopped (SIGSTOP) while the job saves, a full checkpoint disk,
 * and the database write-locked during a restart. Whatever happens to vigil, no job is left
 * unwatched, nothing is lost, no checkpoint is deleted before a verified newer one exists, and no
 * half-written manifest or partial checkpoint is ever taken for a good one.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { smallDisk } from '../helpers/disk.ts';
import { crashOnceRun, trainResuming } from '../helpers/checkpoints.ts';
import { collect, JOBS, psJson, showJson, startVigil, taggedPids, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';

/** Manifests are hidden siblings: `.NAME.vigil-manifest.json`. */
const MANIFEST_SUFFIX = '.vigil-manifest.json';
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Everything vigil writes to stderr so far, as it arrives. */
function stderrOf(child: ChildProcess): { text: string } {
  const seen = { text: '' };
  child.stderr?.on('data', (chunk: Buffer) => (seen.text += chunk.toString()));
  return seen;
}

const checkpointNames = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.ckpt'));
const manifestNames = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(MANIFEST_SUFFIX));

async function listed(home: string, target = 'last', verify = false): Promise<{ path: string; status: string; reason: string | null }[]> {
  const result = await vigil(home, ['checkpoints', target, '--json', ...(verify ? ['--verify'] : [])]);
  return JSON.parse(result.stdout);
}

/** The run directory's attempt log N, polled from the file system (a stopped or killed vigil answers nothing). */
const attemptLog = (home: string, runId: string, n: number) => join(home, 'runs', runId, `attempt-${n}.log`);

/** The first run of `home` to appear, from the file system: `vigil show` may be blocked by what a test does to vigil. */
async function firstRunId(home: string): Promise<string> {
  return waitUntil('the run directory', () => (existsSync(join(home, 'runs')) ? readdirSync(join(home, 'runs'))[0] : null), 30_000);
}

const logHas = (log: string, text: string) => existsSync(log) && readFileSync(log, 'utf8').includes(text);

/** Writes zeros until the disk is full. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  return filler;
}

describe('vigil killed around a restart', () => {
  test('SIGKILL in the backoff: no job left, the run recorded as ended (not running forever), a new run resumes from the newest verified checkpoint', async () => {
    const home = tempHome();
    const ckpt = tempDir('vigil-ckpt-');
    // --backoff 1h..1h: full jitter, a delay in [0, 1h], long enough to be killed in.
    const child = startVigil(home, crashOnceRun(ckpt, '1h..1h'));
    const stderr = stderrOf(child);
    const done = collect(child, 60_000);
    await waitUntil('the restart announced', () => /attempt 2 in \S+: resuming from epoch=0-step=40\.ckpt/.test(stderr.text), 30_000);
    const runId = await firstRunId(home);
    child.kill('SIGKILL');
    await done;
    assert.deepEqual(taggedPids(runId), [], 'no job process left');
    assert.equal(existsSync(attemptLog(home, runId, 2)), false, 'attempt 2 never started');

    const row = psJson(home).find((r) => r.id === runId);
    assert.equal(row?.status, 'failed', `ended as its last attempt did, not running: ${JSON.stringify(row)}`);
    const run = showJson(home, runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.exit_code, 1);
    assert.equal(run.attempts.length, 1);
    assert.notEqual(run.ended_at, null);
    assert.match(run.attempts[0].restart_reason, /attempt 2 never started/, 'the restart it promised is not left standing');

    const again = await vigil(home, ['run', '--checkpoints', ckpt, '--', ...trainResuming(ckpt)], { timeoutMs: 60_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^resumed from step 40 \(epoch=0-step=40\.ckpt\)$/m);
    assert.doesNotMatch(again.stderr, /no manifest/, 'sealed before the backoff: verified, not merely format-checked');
  });

  test('SIGKILL while sealing: every manifest on disk is whole and true, a later run never takes the partial checkpoint and seals the rest', async () => {
    const home = tempHome();
    const ckpt = tempDir('vigil-ckpt-');
    // 200 checkpoints to seal once the attempt ends (--settle 1h: none sealed while it runs), in several
    // batches of manifests (platform/checkpoints/manifest.ts); the newest left half-written.
    const child = startVigil(home, [
      'run',
      '-q',
      '--checkpoints',
      ckpt,
      '--settle',
      '1h',
      '--',
      ...trainResuming(ckpt),
      '--steps',
      '220',
      '--save-every',
      '1',
      '--crash-at',
      '200',
      '--truncate-newest',
    ]);
    const done = collect(child, 60_000);
    await waitUntil('the first manifest', () => manifestNames(ckpt).length > 0, 60_000, 2);
    child.kill('SIGKILL');
    await done;

    const manifests = manifestNames(ckpt);
    assert.ok(manifests.length < 199, `killed while sealing (${manifests.length} of 199 sealed)`);
    for (const name of manifests) {
      const manifest = JSON.parse(readFileSync(join(ckpt, name), 'utf8'));
      const checkpoint = join(ckpt, manifest.checkpoint);
      assert.equal(createHash('sha256').update(readFileSync(checkpoint)).digest('hex'), manifest.files[0].sha256, name);
    }
    assert.ok(!manifests.includes(`.epoch=0-step=200.ckpt${MANIFEST_SUFFIX}`), 'the partial checkpoint is never sealed');
    // A torn manifest, as a writer that is not atomic would leave it, counts as none.
    writeFileSync(
      join(ckpt, `.epoch=0-step=200.ckpt${MANIFEST_SUFFIX}`),
      '{"version":1,"checkpoint":"epoch=0-step=200.ckpt","files":[{"pa',
    );

    const again = await vigil(home, ['run', '--checkpoints', ckpt, '--', ...trainResuming(ckpt), '--steps', '205', '--save-every', '1'], {
      timeoutMs: 60_000,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^resumed from step 199 \(epoch=0-step=199\.ckpt\)$/m);
    assert.match(again.stderr, /epoch=0-step=200\.ckpt is broken .*quarantined/);
    const statuses = (await listed(home)).filter((c) => !c.path.includes('quarantine'));
    assert.deepEqual(
      statuses.filter((c) => c.status !== 'verified'),
      [],
      'the rest sealed by the later run',
    );
    assert.equal(statuses.length, 205);
  });
});

describe('vigil stopped, the job goes on', () => {
  test('SIGSTOP while the job saves: it is not blocked, and once continued the run completes with every checkpoint sealed', async () => {
    const home = tempHome();
    const ckpt = tempDir('vigil-ckpt-');
    const go = join(tempDir('vigil-go-'), 'go');
    const child = startVigil(home, ['run', '--checkpoints', ckpt, '--', ...trainResuming(ckpt), '--hold-until', go]);
    const done = collect(child, 60_000);
    const runId = await firstRunId(home);
    const log = attemptLog(home, runId, 1);
    await waitUntil('the job started', () => logHas(log, 'step 1/'), 30_000);
    process.kill(child.pid as number, 'SIGSTOP');
    try {
      await waitUntil('the job holding after its saves', () => readFileSync(log, 'utf8').includes('holding'), 30_000);
      assert.deepEqual(checkpointNames(ckpt).sort(), ['epoch=0-step=20.ckpt', 'epoch=0-step=40.ckpt', 'epoch=0-step=60.ckpt']);
      writeFileSync(go, '');
      await waitUntil('the job ended while vigil is stopped', () => /^weights /m.test(readFileSync(log, 'utf8')), 30_000);
      assert.deepEqual(manifestNames(ckpt), [], 'nothing sealed while vigil is stopped');
    } finally {
      process.kill(child.pid as number, 'SIGCONT');
    }
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^weights [0-9a-f]{64}$/m, 'the echo caught up');
    assert.equal(showJson(home, runId).status, 'succeeded');
    assert.deepEqual(
      (await listed(home)).map((c) => c.status),
      ['verified', 'verified', 'verified'],
    );
  });
});

describe('a full checkpoint disk', () => {
  test('no room for manifests: one clear warning, nothing deleted by --keep-last, the checkpoints stay resumable, the outcome recorded', async () => {
    const home = tempHome();
    const ckpt = smallDisk(1);
    const data = join(tempDir('vigil-data-'), 'train.csv');
    writeFileSync(data, 'x,y\n1,2\n');
    const go = join(tempDir('vigil-go-'), 'go');
    const child = startVigil(home, [
      'run',
      '-q',
      '--checkpoints',
      ckpt,
      '--keep-last',
      '1',
      '--settle',
      '1h',
      '--fingerprint',
      data,
      '--',
      ...trainResuming(ckpt),
      '--hold-until',
      go,
    ]);
    const done = collect(child, 60_000);
    const runId = await firstRunId(home);
    await waitUntil('the job holding after its saves', () => logHas(attemptLog(home, runId, 1), 'holding'), 30_000);
    const filler = fillDisk(ckpt);
    writeFileSync(go, '');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal((result.stderr.match(/could not seal/g) ?? []).length, 1, result.stderr);
    assert.match(result.stderr, /could not seal checkpoints: the disk of .* is full \(ENOSPC\): .*retention deletes none of them/);
    assert.deepEqual(checkpointNames(ckpt).sort(), ['epoch=0-step=20.ckpt', 'epoch=0-step=40.ckpt', 'epoch=0-step=60.ckpt']);
    assert.deepEqual(
      readdirSync(ckpt).filter((name) => name.startsWith('.')),
      [],
      'no half-written sidecar left behind',
    );
    assert.equal(showJson(home, runId).status, 'succeeded');
    assert.deepEqual(
      (await listed(home, 'last', true)).map((c) => c.status),
      ['pending', 'pending', 'pending'],
    );

    rmSync(filler);
    const again = await vigil(
      home,
      ['run', '--checkpoints', ckpt, '--keep-last', '1', '--fingerprint', data, '--', ...trainResuming(ckpt)],
      {
        timeoutMs: 60_000,
      },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^resumed from step 60 /m);
  });

  test('room for one small file only: a checkpoint is never verified without the fingerprints of its inputs', async () => {
    const home = tempHome();
    const ckpt = smallDisk(1);
    const data = join(tempDir('vigil-data-'), 'train.csv');
    writeFileSync(data, 'x,y\n1,2\n');
    const go = join(tempDir('vigil-go-'), 'go');
    const command = ['run', '-q', '--checkpoints', ckpt, '--settle', '1h', '--fingerprint', data, '--', ...trainResuming(ckpt)];
    const child = startVigil(home, [...command, '--hold-until', go]);
    const done = collect(child, 60_000);
    const runId = await firstRunId(home);
    await waitUntil('the job holding after its saves', () => logHas(attemptLog(home, runId, 1), 'holding'), 30_000);
    const filler = fillDisk(ckpt);
    spawnSync('truncate', ['-s', '-4096', filler]); // one page free: one sidecar or manifest fits
    writeFileSync(go, '');
    assert.equal((await done).code, 0);
    rmSync(filler);
    appendFileSync(data, '3,4\n');
    const refused = await vigil(home, command, { timeoutMs: 60_000 });
    assert.equal(refused.code, 9, `resumed over changed inputs: ${refused.stderr}`);
    assert.match(refused.stderr, /its inputs changed: .*train\.csv changed/);
  });

  test('checkpoints sealed while the attempt runs carry the fingerprints of its inputs too', async () => {
    const home = tempHome();
    const ckpt = tempDir('vigil-ckpt-');
    const data = join(tempDir('vigil-data-'), 'train.csv');
    writeFileSync(data, 'x,y\n1,2\n');
    const go = join(tempDir('vigil-go-'), 'go');
    const command = ['run', '-q', '--checkpoints', ckpt, '--settle', '300ms', '--fingerprint', data, '--', ...trainResuming(ckpt)];
    const child = startVigil(home, [...command, '--hold-until', go]);
    const done = collect(child, 60_000);
    await waitUntil('all three sealed while the job runs', () => manifestNames(ckpt).length === 3, 30_000);
    writeFileSync(go, '');
    assert.equal((await done).code, 0);
    appendFileSync(data, '3,4\n');
    const refused = await vigil(home, command, { timeoutMs: 60_000 });
    assert.equal(refused.code, 9, `resumed over changed inputs: ${refused.stderr}`);
    assert.match(refused.stderr, /not resuming from epoch=0-step=60\.ckpt: its inputs changed/);
  });
});

describe('the database write-locked during a restart', () => {
  test('attempt 1 crashes and attempt 2 starts while another process holds the lock; the records land once it goes', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'true']); // the database exists
    const earlier = showJson(home).id as string;
    const ckpt = tempDir('vigil-ckpt-');
    const child = startVigil(home, crashOnceRun(ckpt, '10ms..20ms'));
    const stderr = stderrOf(child);
    const done = collect(child, 60_000);
    const runId = await waitUntil('attempt 1 started', () =>
      readdirSync(join(home, 'runs')).find((id) => id !== earlier && existsSync(attemptLog(home, id, 1))),
    );
    // Locked while torch still imports (over a second): the crash, the backoff and the restart all happen under the lock.
    const locker = spawn('/usr/bin/python3', [join(JOBS, 'resilience', 'hold_lock.py'), join(home, 'vigil.db'), '60'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const released = new Promise((resolve) => locker.on('exit', resolve));
    try {
      await new Promise((resolve) => locker.stdout?.once('data', resolve));
      assert.equal(logHas(attemptLog(home, runId, 1), 'step 45/'), false, 'locked before the crash');
      await waitUntil('attempt 2 started', () => existsSync(attemptLog(home, runId, 2)), 30_000);
      assert.equal(locker.exitCode, null, 'the lock was still held when attempt 2 started');
      assert.match(stderr.text, /attempt 2 in [\d.]+m?s: resuming from epoch=0-step=40\.ckpt/);
    } finally {
      locker.kill('SIGKILL'); // the lock goes with its holder
    }
    await released;
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /SQLITE_BUSY/);
    const run = showJson(home, runId);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.attempts.length, 2);
    assert.equal(run.attempts[0].exit_code, 1);
    assert.equal(run.attempts[0].resumed_from, join(ckpt, 'epoch=0-step=40.ckpt'));
    assert.equal(run.attempts[1].exit_code, 0);
    assert.ok(run.flags.includes('store_degraded'));
  });
});
