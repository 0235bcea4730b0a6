/**
 * Real crashes produced here with Debian's python3-torch on CPU, each run through `vigil run`:
 * the failed attempt must carry the right root cause, process and user frame.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { envFor, freePort, JOBS, showJson, tempHome, VIGIL, vigil, waitUntil } from '../helpers/vigil.ts';

const CRASHES = join(JOBS, 'crashes');

/** `where`: the function of the innermost user frame; a list when timing decides between them. */
type Expectation = {
  category: string;
  retryable: boolean;
  process: string;
  where: string | null | (string | null)[];
  evidence: RegExp;
  /** What the log says instead when timing decides what the job printed before it died. */
  orElse?: Expectation;
};

const CASES: Record<string, Expectation> = {
  'worker_raises.py': {
    category: 'dataloader_worker_error',
    retryable: false,
    process: 'DataLoader worker',
    where: '__getitem__',
    evidence: /Caught KeyError in DataLoader worker process/,
  },
  // torch raises "killed by signal" from its SIGCHLD handler, wherever main happens to be: in
  // DataLoader's queue wait (no user frame) or, under load, in the script's own loop. Or main meets
  // the dying worker's connection reset first, fetching its batch, and dies of that before the
  // handler runs (seen once in a full run): the log then says only that the worker went away.
  'worker_killed.py': {
    category: 'host_oom',
    retryable: false,
    process: 'main',
    where: [null, '<module>'],
    evidence: /killed by signal: Killed/,
    orElse: {
      category: 'dataloader_worker_error',
      retryable: false,
      process: 'main',
      where: '<module>',
      evidence: /ConnectionResetError: \[Errno 104\] Connection reset by peer/,
    },
  },
  // The worker's own stack comes from the faulthandler file the Python hooks gave it.
  'worker_segfault.py': {
    category: 'segfault',
    retryable: false,
    process: 'DataLoader worker',
    where: '__getitem__',
    evidence: /Segmentation fault/,
  },
  'lambda_spawn.py': { category: 'pickling_error', retryable: false, process: 'main', where: '<module>', evidence: /pickle/ },
  'truncated_checkpoint.py': {
    category: 'checkpoint_corrupt',
    retryable: false,
    process: 'main',
    where: '<module>',
    evidence: /failed finding central directory/,
  },
  'state_dict_mismatch.py': {
    category: 'checkpoint_mismatch',
    retryable: false,
    process: 'main',
    where: '<module>',
    evidence: /size mismatch for/,
  },
  'shape_error.py': { category: 'shape_error', retryable: false, process: 'main', where: 'forward', evidence: /cannot be multiplied/ },
  'import_error.py': {
    category: 'import_error',
    retryable: false,
    process: 'main',
    where: '<module>',
    evidence: /No module named 'vigil_test_missing_dependency'/,
  },
  'missing_file.py': {
    category: 'file_not_found',
    retryable: false,
    process: 'main',
    where: 'load',
    evidence: /No such file or directory/,
  },
};

describe('real PyTorch crashes under vigil run are diagnosed', () => {
  for (const [script, cases] of Object.entries(CASES)) {
    test(script, async () => {
      const home = tempHome();
      const result = await vigil(home, ['run', '-q', '--', torchPython(), join(CRASHES, script)], { timeoutMs: 120_000 });
      assert.notEqual(result.code, 0);
      const diagnosis = showJson(home).attempts[0].diagnosis;
      const expected = cases.orElse && diagnosis.category === cases.orElse.category ? cases.orElse : cases;
      assert.match(result.stderr, new RegExp(`cause +${expected.category}`), 'printed at the end of the run');
      assert.equal(diagnosis.category, expected.category, diagnosis.summary);
      assert.equal(diagnosis.retryable, expected.retryable);
      assert.ok(diagnosis.process.startsWith(expected.process), `process ${diagnosis.process}`);
      const where = diagnosis.where?.function ?? null;
      assert.ok([expected.where].flat().includes(where), `where ${where}`);
      if (where) assert.equal(diagnosis.where.file, join(CRASHES, script));
      assert.ok(
        diagnosis.evidence.some((e: { text: string }) => expected.evidence.test(e.text)),
        JSON.stringify(diagnosis.evidence),
      );
      assert.ok(diagnosis.evidence.every((e: { line: number }) => e.line > 0));
    });
  }

  // --tee 3 prefixes every line with its rank; with --tee 1 the tracebacks (stderr) carry no
  // prefix, and only the ranks' own reports of their uncaught exceptions say who raised.
  for (const [tee, how] of [
    ['3', 'rank-prefixed lines'],
    ['1', 'unprefixed tracebacks'],
  ] as const) {
    test(`torchrun, two gloo ranks, rank 1 raises (${how}): the root cause names rank 1 although torchrun blames rank 0`, async () => {
      const home = tempHome();
      const args = [
        '--master_port',
        String(await freePort()),
        '--nproc_per_node',
        '2',
        '--tee',
        tee,
        '--monitor_interval',
        '0.5',
        join(CRASHES, 'torchrun_rank_raises.py'),
      ];
      const result = await vigil(home, ['run', '-q', '--', torchPython(), join(JOBS, 'torchrun.py'), ...args], { timeoutMs: 120_000 });
      assert.notEqual(result.code, 0);
      const log = (await vigil(home, ['logs', 'last'])).stdout;
      assert.match(log, /Root Cause/);
      if (tee === '1') assert.match(log, /^ValueError: rank 1 found a corrupt batch$/m, 'the traceback is not prefixed');
      const diagnosis = showJson(home).attempts[0].diagnosis;
      assert.equal(diagnosis.process, 'rank 1', diagnosis.summary);
      assert.deepEqual(diagnosis.exception, { type: 'ValueError', message: 'rank 1 found a corrupt batch' });
      assert.equal(diagnosis.where.function, 'train_step');
    });
  }
});

describe('vigil explain: bad and odd input', () => {
  const explain = async (content: Buffer | string, extra: string[] = []) => {
    const home = tempHome();
    const file = join(home, 'log.txt');
    writeFileSync(file, content);
    const result = await vigil(home, ['explain', file, '--json', ...extra]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };

  test('an empty file: no error found', async () => {
    const diagnosis = await explain('');
    assert.equal(diagnosis.category, 'other');
    assert.match(diagnosis.summary, /no error found/);
    assert.ok(diagnosis.confidence < 0.2);
  });

  test('a clean training log is not given an invented cause', async () => {
    const log = 'epoch 1 step 10/100 loss 0.52\nepoch 1 step 100/100 loss 0.41\nsaved checkpoint\nTraining finished.\n';
    for (const diagnosis of [await explain(log), await explain(log.replace('Training finished.', 'done'))]) {
      assert.equal(diagnosis.category, 'other');
      assert.match(diagnosis.summary, /no error found/);
    }
  });

  test('a log that stops short with no error and no exit status: where the job stalled; given how it ended, no error found', async () => {
    const home = tempHome();
    const file = join(home, 'train.log');
    // A real trainer that hangs after step 10, run without vigil (nohup-style), its log explained while it hangs.
    const job = spawn(torchPython(), [join(JOBS, 'watchdog', 'hang_on_lock.py')], { stdio: ['ignore', openSync(file, 'w'), 'inherit'] });
    try {
      await waitUntil('step 10 in the log', () => readFileSync(file, 'utf8').includes('step 10/100'));
      const stalled = JSON.parse((await vigil(home, ['explain', file, '--json'])).stdout);
      assert.equal(stalled.category, 'hang');
      assert.deepEqual(stalled.evidence, [{ line: 10, text: 'step 10/100 loss 0.1000' }]);
      assert.match(stalled.summary, /no error and nothing says how the job ended/);
      assert.ok(stalled.confidence <= 0.2);
      const ended = JSON.parse((await vigil(home, ['explain', file, '--json', '--exit-code', '1'])).stdout);
      assert.equal(ended.category, 'other');
      assert.match(ended.summary, /no error found in the log \(exit code 1\)/);
    } finally {
      job.kill('SIGKILL');
    }
  });

  test('binary garbage and invalid UTF-8 around a real error', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256));
    const diagnosis = await explain(
      Buffer.concat([
        garbage,
        Buffer.from('\n\xff\xfe\nRuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n', 'latin1'),
        garbage,
      ]),
    );
    assert.equal(diagnosis.category, 'cuda_oom');
    assert.match(diagnosis.summary, /tried to allocate 2\.00 GiB/);
  });

  test('a 50 MB line without newline', async () => {
    const diagnosis = await explain(
      Buffer.concat([
        Buffer.from(
          'Traceback (most recent call last):\n  File "t.py", line 3, in <module>\nOSError: [Errno 28] No space left on device\n',
        ),
        Buffer.alloc(50 << 20, 'x'),
      ]),
    );
    assert.equal(diagnosis.category, 'disk_full');
  });

  test('the exit status is evidence when the log is silent', async () => {
    assert.equal((await explain('step 1\nstep 2\n', ['--signal', 'SIGKILL'])).category, 'host_oom');
    assert.equal((await explain('step 1\n', ['--exit-code', '139'])).category, 'segfault');
    assert.equal((await explain('step 1\n', ['--signal', 'SIGTERM'])).category, 'preempted');
  });

  test('standard input', async () => {
    const home = tempHome();
    const { spawnSync } = await import('node:child_process');
    const { VIGIL, envFor } = await import('../helpers/vigil.ts');
    const result = spawnSync(process.execPath, [VIGIL, 'explain', '-', '--json'], {
      input: "ModuleNotFoundError: No module named 'apex'\n",
      env: envFor(home),
      encoding: 'utf8',
    });
    assert.equal(JSON.parse(result.stdout).category, 'import_error');
  });

  test('a missing file: clear error, exit 2', async () => {
    const home = tempHome();
    const result = await vigil(home, ['explain', join(home, 'nope.log')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read .*nope\.log: ENOENT/);
  });
});

test('a 2 GB log through standard input: bounded memory, the crash at its end still found', async () => {
  const child = spawn(process.execPath, [VIGIL, 'explain', '-', '--json'], { env: envFor(tempHome()), stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data));
  // Realistic noise: tqdm redraws, HF log dicts, a traceback-free warning now and then.
  const block = Buffer.from(
    Array.from({ length: 4000 }, (_, i) =>
      i % 10 === 0
        ? `Epoch 3:  45%|████▌     | ${i}/4000 [01:23<01:40, 22.1it/s, loss=0.${i % 97}]\r`
        : i % 997 === 0
          ? `UserWarning: the default value of the antialias parameter will change\n`
          : `{'loss': 0.${(i * 7) % 1000}, 'learning_rate': 4.2e-05, 'epoch': 1.${i % 100}}\n`,
    ).join(''),
  );
  const highWater = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
  for (let written = 0; written < 2 * 1024 ** 3; written += block.length) {
    if (!child.stdin.write(block)) await once(child.stdin, 'drain');
  }
  const peakMb = highWater();
  child.stdin.end(
    'Traceback (most recent call last):\n  File "train.py", line 9, in <module>\nRuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n',
  );
  await once(child, 'close');
  assert.equal(JSON.parse(stdout).category, 'cuda_oom');
  assert.ok(peakMb < 150, `peak RSS ${peakMb.toFixed(0)} MB while reading 2 GB`);
});
