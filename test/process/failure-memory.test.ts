/**
 * The memory of failures, end to end: three runs of a job fail the same way (a CUDA OOM whose
 * sizes differ every time), one succeeds after `--param BATCH` is lowered, and the next failure
 * says it was seen three times, in which runs, and what made it go away.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JOBS, showJson, tempHome, vigil } from '../helpers/vigil.ts';

const home = tempHome();
after(() => rmSync(home, { recursive: true, force: true }));

const FIXTURE = join(JOBS, 'memory', 'oom_by_batch.py');

async function runWithBatch(batch: number): Promise<{ id: string; code: number | null; stderr: string }> {
  const result = await vigil(home, ['run', '--param', `BATCH=${batch}`, '--', 'python3', FIXTURE, '--batch', '{BATCH}']);
  const id = /run (\S+) started/.exec(result.stderr)?.[1];
  assert.ok(id, `no run id in: ${result.stderr}`);
  return { id, code: result.code, stderr: result.stderr };
}

describe('memory of failures', () => {
  it('names the earlier runs of a failure seen before, and the --param change that made it go away', async () => {
    const failed = [];
    for (let i = 0; i < 3; i += 1) failed.push(await runWithBatch(64));
    for (const run of failed) assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(failed[0]!.stderr, /^vigil: .*seen|^seen /m, 'the first failure is new');
    assert.match(failed[2]!.stderr, /seen +2 times before .*no run of this job has succeeded since/);

    const fixed = await runWithBatch(16);
    assert.equal(fixed.code, 0, fixed.stderr);

    const again = await runWithBatch(64);
    assert.equal(again.code, 1);
    const line = again.stderr.split('\n').find((l) => l.startsWith('seen')) ?? '';
    assert.match(line, /^seen +3 times before \(signature [0-9a-f]{8}\), first \S+, in runs /);
    for (const run of failed) assert.ok(line.includes(run.id), `${run.id} named in: ${line}`);
    assert.match(line, new RegExp(`went away in run ${fixed.id} after --param BATCH 64 → 16$`));

    const shown = showJson(home, again.id);
    const seen = shown.attempts[0].diagnosis.seen_before;
    assert.equal(seen.count, 3);
    assert.deepEqual(
      seen.runs,
      failed.map((run) => run.id),
    );
    assert.equal(seen.fixed_by.run, fixed.id);
    assert.deepEqual(seen.fixed_by.params, [{ name: 'BATCH', before: '64', after: '16' }]);
    assert.equal(showJson(home, failed[0]!.id).attempts[0].diagnosis.seen_before, null, 'not seen before the first');

    const text = await vigil(home, ['show', again.id]);
    assert.match(text.stdout, /^ {2}seen +3 times before .* after --param BATCH 64 → 16$/m);

    const history = await vigil(home, ['history', '--json']);
    assert.equal(history.code, 0, history.stderr);
    const [signature, ...others] = JSON.parse(history.stdout);
    assert.equal(others.length, 0, 'one signature: the OOMs of every size');
    assert.equal(signature.category, 'cuda_oom');
    assert.equal(signature.count, 4);
    assert.equal(signature.frame, 'oom_by_batch.py:forward');
    assert.equal(signature.fixed_by.run, fixed.id);
    const listed = await vigil(home, ['history']);
    assert.match(listed.stdout, /cuda_oom {2}4 times/);
    assert.match(listed.stdout, new RegExp(`went away in run ${fixed.id} after --param BATCH 64 → 16`));
  });
});

describe('memory of failures: inputs', () => {
  it('a failure that went away after a fingerprinted input changed names the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-memory-inputs-'));
    const batchFile = join(dir, 'batch.txt');
    const run = async () => {
      const result = await vigil(home, [
        'run',
        '--name',
        'inputs',
        '--fingerprint',
        batchFile,
        '--',
        'python3',
        FIXTURE,
        '--batch-file',
        batchFile,
      ]);
      return { id: /run (\S+) (?:\(\S+\) )?started/.exec(result.stderr)?.[1] as string, code: result.code, stderr: result.stderr };
    };
    writeFileSync(batchFile, '64\n');
    assert.equal((await run()).code, 1);
    writeFileSync(batchFile, '16\n');
    const fixed = await run();
    assert.equal(fixed.code, 0, fixed.stderr);
    writeFileSync(batchFile, '64\n');
    const again = await run();
    const line = again.stderr.split('\n').find((l) => l.startsWith('seen')) ?? '';
    assert.match(line, new RegExp(`went away in run ${fixed.id} \\(inputs\\) after input .*batch\\.txt changed`));
  });
});

describe('memory of failures: the training environment', () => {
  it('a failure that went away after a training variable changed names the variable', async () => {
    const run = async (env: NodeJS.ProcessEnv) => {
      const result = await vigil(home, ['run', '--name', 'alloc', '--', 'python3', FIXTURE, '--batch', '64'], { env });
      return { id: /run (\S+) (?:\(\S+\) )?started/.exec(result.stderr)?.[1] as string, code: result.code, stderr: result.stderr };
    };
    assert.equal((await run({ PYTORCH_CUDA_ALLOC_CONF: '' })).code, 1);
    const fixed = await run({ PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True', HF_TOKEN: 'hf_never_kept' });
    assert.equal(fixed.code, 0, fixed.stderr);
    const again = await run({ PYTORCH_CUDA_ALLOC_CONF: '' });
    const line = again.stderr.split('\n').find((l) => l.startsWith('seen')) ?? '';
    assert.match(line, new RegExp(`went away in run ${fixed.id} \\(alloc\\) after .*PYTORCH_CUDA_ALLOC_CONF`));
    assert.doesNotMatch(JSON.stringify(showJson(home, again.id)), /hf_never_kept/);
  });
});

describe('memory of failures: before a restart', () => {
  it('says a failure was seen before as the attempt fails, before the restart line, and once', async () => {
    await runWithBatch(64);
    const restarted = await vigil(home, [
      'run',
      '--restart',
      'on-failure',
      '--max-restarts',
      '1',
      '--backoff',
      '0..0.1s',
      '--retry-on',
      'cuda_oom',
      '--',
      'python3',
      FIXTURE,
      '--batch',
      '64',
    ]);
    assert.equal(restarted.code, 1, restarted.stderr);
    const lines = restarted.stderr.split('\n');
    const seenFirst = lines.findIndex((line) => /^seen +attempt 1: /.test(line));
    const restartLine = lines.findIndex((line) => /^vigil: attempt 2 in /.test(line));
    assert.ok(seenFirst >= 0 && restartLine > seenFirst, `attempt 1's seen line before the restart line:\n${restarted.stderr}`);
    assert.equal(lines.filter((line) => /^seen +attempt 1: /.test(line)).length, 1, 'said once');
    assert.match(restarted.stderr, /^seen +attempt 2: /m, "the last attempt's is said at the end");
  });
});
