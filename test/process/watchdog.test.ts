/**
 * The watchdog on real processes: a trainer hung on a lock, a real PyTorch DataLoader worker
 * asleep in __getitem__, an import that never returns, a segfaulting worker, a stalled
 * pipeline edge, a NaN loss, an exit 0 after zero steps, real tqdm output, and the helper
 * without a supervisor. Detection times are measured from the last progress the job printed.
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { elapsedMs, type Moment } from '../helpers/elapsed.ts';
import { torchPython } from '../helpers/python.ts';
import Database from 'better-sqlite3';
import {
  collect,
  envFor,
  freePort,
  JOBS,
  psJson,
  REPO,
  showJson,
  startVigil,
  taggedPids,
  tempHome,
  VIGIL,
  vigil,
} from '../helpers/vigil.ts';

const WATCHDOG = join(JOBS, 'watchdog');
const python = torchPython();

/** Runs a hanging job; returns the run and how long after its last progress line the stall was reported. */
async function runUntilStall(job: string | string[], options: string[], lastProgressLine: RegExp) {
  const home = tempHome();
  const argv = typeof job === 'string' ? [join(WATCHDOG, job)] : job;
  const child = startVigil(home, ['run', ...options, '--', python, ...argv]);
  const lastProgress: Moment = { what: `the job's ${lastProgressLine} on stdout`, at: null };
  const reported: Moment = { what: 'vigil\'s "no progress" (or "did not exit") on stderr', at: null };
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (lastProgressLine.test(stdout)) lastProgress.at ??= Date.now();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (/no progress|did not exit/.test(chunk.toString())) reported.at ??= Date.now();
  });
  const result = await collect(child, 60_000);
  return { home, result, detectionMs: elapsedMs(lastProgress, reported, result.stderr) };
}

describe('vigil run: hangs and stalls', () => {
  test('a trainer hung on a lock after step 10: detected within timeout + 2 s, stacks name the blocking frame', async () => {
    const { home, detectionMs } = await runUntilStall('hang_on_lock.py', ['--progress-timeout', '2s'], /step 10\/100/);
    assert.ok(detectionMs <= 2000 + 2000, `detected ${detectionMs} ms after the last step`);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.flags, ['hang']);
    assert.equal(run.progress.step, 10);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.equal(diagnosis.where.function, 'wait_for_batch');
    assert.match(diagnosis.summary, /after step 10: main .*hang_on_lock\.py:15 wait_for_batch/);
    assert.ok(diagnosis.stacks.length >= 1);
    assert.equal(diagnosis.stacks[0].process, 'main');
    assert.match(diagnosis.stacks[0].text, /in wait_for_batch/);
    const kept = readFileSync(join(run.run_dir, 'attempt-1.stacks'), 'utf8');
    assert.match(kept, /^# hang at \S+: main \(pid \d+\)\n/);
    assert.match(kept, /in wait_for_batch/, 'the stacks are kept in the run directory');
    assert.equal(run.attempts[0].stop_reason, 'hang');
  });

  test('a trainer stopped by a signal after step 10: reported as stopped with how to resume it, without waiting for its stack', async () => {
    const { home, detectionMs } = await runUntilStall('stops_itself.py', ['--progress-timeout', '2s'], /step 10\/100/);
    // No dump is awaited from a process that cannot answer: the bound is a second tighter than a hang's.
    assert.ok(detectionMs <= 2000 + 1000, `detected ${detectionMs} ms after the last step`);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.equal(diagnosis.process, 'main');
    assert.match(diagnosis.summary, /after step 10: main \(pid (\d+)\) is stopped by a signal, not hung .*; kill -CONT \1 resumes it/);
    assert.deepEqual(taggedPids(run.id), [], 'the stopped job was ended all the same');
  });

  test('a trainer that crashes and then cannot exit: diagnosed as its exception, with the stall told after it', async () => {
    const { home } = await runUntilStall('crash_then_hang_on_exit.py', ['--progress-timeout', '2s'], /step 10\/100/);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    assert.ok(run.flags.includes('hang'), 'the stall is still flagged');
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'shape_error', diagnosis.summary);
    assert.equal(diagnosis.process, 'main');
    assert.match(diagnosis.summary, /; then no progress for [\d.]+s after step 10$/);
    assert.ok(
      diagnosis.stacks.some((s: { text: string }) => /in prefetch/.test(s.text)),
      'the stacks taken at the stall are kept',
    );
  });

  test('a trainer that crashes and then cannot exit is ended after the exit grace, long before the progress timeout', async () => {
    const { home, detectionMs } = await runUntilStall(
      'crash_then_hang_on_exit.py',
      ['--progress-timeout', '10m', '--exit-grace', '2s'],
      /step 10\/100/,
    );
    assert.ok(detectionMs <= 2000 + 3000, `ended ${detectionMs} ms after the last step`);
    const run = showJson(home);
    assert.equal(run.status, 'failed');
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'shape_error', diagnosis.summary);
    assert.match(diagnosis.summary, /; then it did not exit: silent for [\d.]+s after the exception$/);
  });

  test('a blocked collective under torchrun: detected within timeout + 2 s, blamed on the rank stuck in its own code', async () => {
    const torchrun = [
      join(JOBS, 'torchrun.py'),
      '--master_port',
      String(await freePort()),
      '--nproc_per_node',
      '2',
      '--monitor_interval',
      '0.5',
    ];
    const { home, detectionMs } = await runUntilStall(
      [...torchrun, join(WATCHDOG, 'collective_hang.py')],
      ['--progress-timeout', '2s'],
      /step 10\/100/,
    );
    assert.ok(detectionMs <= 2000 + 2000, `detected ${detectionMs} ms after the last step`);
    const diagnosis = showJson(home).attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.equal(diagnosis.process, 'rank 1', diagnosis.summary);
    assert.equal(diagnosis.where.function, 'load_shard');
    assert.match(
      diagnosis.summary,
      /rank 0 waits in all_reduce \(distributed_c10d\.py:\d+\) from collective_hang\.py:18 train_step; rank 1 in collective_hang\.py:12 load_shard/,
    );
  });

  test('a real DataLoader whose worker sleeps forever: detected within timeout + 2 s, the report names the worker frame', async () => {
    const { home, result, detectionMs } = await runUntilStall('worker_sleeps.py', ['--progress-timeout', '3s'], /step \d+ loss/);
    const run = showJson(home);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis?.category, 'hang', result.stderr);
    assert.ok(detectionMs <= 3000 + 2000 + 1000, `detected ${detectionMs} ms after the first step line`);
    assert.equal(diagnosis.process, 'DataLoader worker 1');
    assert.equal(diagnosis.where.function, '__getitem__');
    assert.match(diagnosis.summary, /main waits in __next__ .*; DataLoader worker 1 in worker_sleeps\.py:15 __getitem__/);
    assert.deepEqual(diagnosis.stacks.map((s: { process: string }) => s.process).sort(), [
      'DataLoader worker 0',
      'DataLoader worker 1',
      'main',
    ]);
  });

  test('an import that blocks: a start-up stall naming the module', async () => {
    const home = tempHome();
    const started = Date.now();
    const result = await vigil(home, ['run', '-q', '--startup-timeout', '2s', '--', python, join(WATCHDOG, 'slow_import.py')]);
    assert.ok(Date.now() - started < 2000 + 2000 + 3000, 'detected and ended promptly');
    const run = showJson(home);
    assert.deepEqual(run.flags, ['startup_stall'], result.stderr);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'hang');
    assert.match(diagnosis.summary, /main has been importing slowmod for \d/);
    assert.equal(diagnosis.where.function, '<module>');
    assert.match(diagnosis.where.file, /slowmod\.py$/);
  });

  test('--on-hang wait: the stall is reported with its stacks, and the run goes on to finish', async () => {
    const home = tempHome();
    const go = join(home, 'go');
    const child = startVigil(home, [
      'run',
      '-q',
      '--progress-timeout',
      '1s',
      '--on-hang',
      'wait',
      '--',
      python,
      join(WATCHDOG, 'stall_then_resume.py'),
      go,
    ]);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (/stalled: no progress/.test(chunk.toString())) writeFileSync(go, '');
    });
    const result = await collect(child, 60_000);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(go), 'the stall was reported while the job waited');
    const run = showJson(home);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(run.flags, ['hang']);
    assert.equal(run.progress.step, 10);
    assert.match(readFileSync(join(run.run_dir, 'attempt-1.stacks'), 'utf8'), /stall_then_resume\.py", line \d+ in <module>/);
  });

  test('a pipeline without training steps: its items moving are its progress, and their stopping a stall', async () => {
    const { home, detectionMs } = await runUntilStall('pipeline_stops.py', ['--progress-timeout', '1s'], /decoded 50 items/);
    assert.ok(detectionMs <= 1000 + 2000, `detected ${detectionMs} ms after the last item`);
    const run = showJson(home);
    assert.equal(run.attempts[0].diagnosis.category, 'hang');
    assert.equal(run.stages[0].total, 50);
  });

  test('output without progress is not progress: warnings in a loop still hang', async () => {
    const home = tempHome();
    const script =
      'import time\nprint("step 1", flush=True)\nwhile True:\n    print("UserWarning: something", flush=True)\n    time.sleep(0.1)\n';
    const result = await vigil(home, ['run', '-q', '--progress-timeout', '1500ms', '--', python, '-c', script]);
    assert.equal(showJson(home).attempts[0].diagnosis?.category, 'hang', result.stderr);
  });
});

describe('vigil run: Python instrumentation and the helper', () => {
  // torch installs its own SIGSEGV handler in each worker; fork workers inherit vigil's hooks,
  // spawn workers start a fresh interpreter: both must leave their stack and their worker id.
  for (const startMethod of ['fork', 'spawn']) {
    test(`a segfaulting DataLoader worker (${startMethod}) leaves its Python stack and is named`, async () => {
      const home = tempHome();
      await vigil(home, ['run', '-q', '--', python, join(JOBS, 'crashes', 'worker_segfault.py'), startMethod]);
      const run = showJson(home);
      const pyDir = join(run.run_dir, 'attempt-1.py');
      const dumps = readdirSync(pyDir).map((file) => readFileSync(join(pyDir, file), 'utf8'));
      const worker = dumps.find((text) => /Fatal Python error: Segmentation fault/.test(text));
      assert.ok(worker, `no fault file holds the segfault: ${readdirSync(pyDir).join(', ')}`);
      assert.match(worker, /File ".*worker_segfault\.py", line 13 in __getitem__/);
      const diagnosis = run.attempts[0].diagnosis;
      assert.equal(diagnosis.category, 'segfault');
      assert.equal(diagnosis.process, 'DataLoader worker 0', 'indices 4-5 are batch 2, which worker 0 loads');
      assert.equal(diagnosis.where.line, 13);
    });
  }

  test('uncaught exceptions are reported with the process and thread that raised them', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', python, join(JOBS, 'crashes', 'worker_raises.py')]);
    const [reraised] = showJson(home).exceptions;
    assert.equal(reraised.process, 'DataLoader worker 0', 'DataLoader re-raises it in main; worker 0 raised it');
    assert.equal(reraised.type, 'KeyError');
    assert.equal(reraised.thread, 'MainThread');
    const text = await vigil(home, ['show', 'last']);
    assert.match(text.stdout, /^raised +KeyError in DataLoader worker 0: Caught KeyError in DataLoader worker process 0\.$/m);

    const threaded =
      'import threading\ndef load():\n    raise OSError("shard 3 unreadable")\nt = threading.Thread(target=load, name="prefetch")\nt.start()\nt.join()\n';
    const home2 = tempHome();
    await vigil(home2, ['run', '-q', '--', python, '-c', threaded]);
    assert.deepEqual(
      showJson(home2).exceptions.map((e: Record<string, unknown>) => [e.process, e.thread, e.type, e.message]),
      [['main', 'prefetch', 'OSError', 'shard 3 unreadable']],
    );

    // A thread failing in a loop: the first 100 are kept, the database does not fill.
    const home4 = tempHome();
    const loop =
      'import threading\ndef f():\n    raise ValueError("boom")\nfor _ in range(150):\n    t = threading.Thread(target=f)\n    t.start()\n    t.join()\n';
    await vigil(home4, ['run', '-q', '--', python, '-c', loop]);
    assert.equal(showJson(home4).exceptions.length, 100);

    // multiprocessing prints a Process's exception itself; the hooks still report it, named.
    for (const method of ['fork', 'spawn']) {
      const home3 = tempHome();
      await vigil(home3, ['run', '-q', '--', python, join(WATCHDOG, 'process_raises.py'), method]);
      const run = showJson(home3);
      assert.deepEqual(
        run.exceptions.map((e: Record<string, unknown>) => [String(e.process).replace(/\d+/, 'N'), e.type, e.message]),
        [['decoder (pid N)', 'ValueError', 'cannot decode clip-0042.mp4: truncated frame']],
        method,
      );
      assert.match(run.attempts[0].diagnosis.process, /^decoder \(pid \d+\)$/, `${method}: the diagnosis names the process that raised`);
    }
  });

  test('a job that uses the dump signal itself keeps it: vigil never sends it; --dump-signal picks another', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--progress-timeout', '1s', '--', python, join(WATCHDOG, 'own_sigusr2.py')]);
    const run = showJson(home);
    assert.equal(run.attempts[0].diagnosis?.category, 'hang', result.stderr);
    const log = readFileSync(run.log_path, 'utf8');
    assert.match(log, /job handled SIGUSR2 \(1\)/, "the job's own handler runs");
    assert.doesNotMatch(log, /job handled SIGUSR2 \(2\)/, 'the watchdog did not send the signal to a process that took it over');
    assert.deepEqual(run.attempts[0].diagnosis.stacks, [], 'no py-spy here: no way to read its stack');

    // A job that registers its own faulthandler dump on the signal uses it too.
    const own =
      'import faulthandler, signal, sys, time\nfaulthandler.register(signal.SIGUSR2, file=sys.stderr)\nprint("step 1/10", flush=True)\nwhile True:\n    time.sleep(0.1)\n';
    const home3 = tempHome();
    await vigil(home3, ['run', '-q', '--progress-timeout', '1s', '--', python, '-c', own]);
    const run3 = showJson(home3);
    assert.equal(run3.attempts[0].diagnosis?.category, 'hang');
    assert.doesNotMatch(readFileSync(run3.log_path, 'utf8'), /most recent call first/, 'no dump printed into the job log');

    // The remedy: another dump signal, which the job leaves alone.
    const home2 = tempHome();
    const options = ['run', '-q', '--progress-timeout', '1s', '--dump-signal', 'SIGUSR1'];
    await vigil(home2, [...options, '--', python, join(WATCHDOG, 'own_sigusr2.py')]);
    const stacks = showJson(home2).attempts[0].diagnosis.stacks;
    assert.equal(stacks.length, 1);
    assert.match(stacks[0].text, /File ".*own_sigusr2\.py", line 21 in <module>/);
  });

  test('py-spy, when installed, reads the stacks of Python processes the hooks do not cover', async () => {
    const home = tempHome();
    const calls = join(home, 'py-spy-calls');
    const env = { PATH: `${join(REPO, 'test', 'fixtures', 'standins', 'bin')}:${process.env.PATH}`, PY_SPY_CALLS: calls };
    const result = await vigil(home, ['run', '-q', '--progress-timeout', '1s', '--', python, join(WATCHDOG, 'own_sigusr2.py')], { env });
    const run = showJson(home);
    const diagnosis = run.attempts[0].diagnosis;
    assert.equal(diagnosis?.category, 'hang', result.stderr);
    assert.equal(readFileSync(calls, 'utf8'), `dump --pid ${run.attempts[0].pid} --json\n`, 'only the process that took the signal');
    assert.equal(diagnosis.stacks.length, 1);
    assert.equal(diagnosis.stacks[0].process, 'main');
    assert.match(diagnosis.stacks[0].text, /File ".*own_sigusr2\.py", line 21 in <module>/);
    assert.match(diagnosis.summary, /main .*own_sigusr2\.py:21 <module>/);
  });

  test('--no-python-hooks: no instrumentation, but `import vigil` still works', async () => {
    const probe =
      'import faulthandler, sys, vigil\nhooks = hasattr(sys.modules.get("sitecustomize"), "_install_hooks")\nprint("hooks", hooks, "faulthandler", faulthandler.is_enabled(), "helper", vigil.enabled())\n';
    for (const [options, expected] of [
      [[], 'hooks True faulthandler True helper True'],
      [['--no-python-hooks'], 'hooks False faulthandler False helper True'],
    ] as const) {
      const home = tempHome();
      const result = await vigil(home, ['run', ...options, '--', python, '-c', probe]);
      assert.equal(result.stdout.trim(), expected, result.stderr);
      const run = showJson(home);
      const faultFiles = readdirSync(join(run.run_dir, 'attempt-1.py'));
      const hellos = readFileSync(join(run.run_dir, 'attempt-1.events'), 'utf8').match(/"ev": "hello"/g) ?? [];
      assert.equal(faultFiles.length, hellos.length, 'one fault file per instrumented process');
      assert.equal(hellos.length, options.length === 0 ? 1 : 0);
    }
  });

  test('a fork child costs no file until it matters: a multiprocessing.Process registers, a bare fork writes its fatal stack to the log', async () => {
    const home = tempHome();
    const script = [
      'import ctypes, multiprocessing, os',
      'for _ in range(20):',
      '    pid = os.fork()',
      '    if pid == 0:',
      '        os._exit(0)',
      '    os.waitpid(pid, 0)',
      'def work():',
      '    pass',
      'decoder = multiprocessing.get_context("fork").Process(target=work, name="decoder")',
      'decoder.start()',
      'decoder.join()',
      'pid = os.fork()',
      'if pid == 0:',
      '    ctypes.string_at(0)',
      'os.waitpid(pid, 0)',
    ].join('\n');
    const result = await vigil(home, ['run', '-q', '--', python, '-c', script]);
    assert.equal(result.code, 0, result.stderr);
    const run = showJson(home);
    const pyDir = join(run.run_dir, 'attempt-1.py');
    const hellos = readFileSync(join(run.run_dir, 'attempt-1.events'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"ev": "hello"'))
      .map((line) => JSON.parse(line));
    assert.deepEqual(hellos.map((hello) => hello.role).sort(), ['fork', 'start'], 'main and the decoder; none of the bare forks');
    assert.deepEqual(
      readdirSync(pyDir).sort(),
      hellos.map((hello) => `${hello.pid}.fault`).sort(),
      'one fault file per instrumented process',
    );
    assert.match(readFileSync(run.log_path, 'utf8'), /Fatal Python error: Segmentation fault[\s\S]*File "<string>", line 14 in <module>/);
    assert.equal(readFileSync(join(pyDir, `${run.attempts[0].pid}.fault`), 'utf8'), '', "the child's crash is not in main's file");
  });

  test('the Hugging Face and Lightning callbacks report steps, totals, epochs, loss and phases', async () => {
    // transformers and lightning cannot be installed here: stand-ins define their base classes
    // (test/fixtures/standins/README.md); the jobs call the hooks as the real trainers do.
    const env = { PYTHONPATH: join(REPO, 'test', 'fixtures', 'standins') };
    for (const [script, expected] of [
      ['hf_callback.py', { step: 40, total: 40, epoch: 2, loss: 0.05 }],
      ['lightning_callback.py', { step: 30, total: 30, epoch: 2, loss: 1 / 30 }],
    ] as const) {
      const home = tempHome();
      const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, script)], { env });
      assert.equal(result.code, 0, result.stderr);
      const run = showJson(home);
      assert.deepEqual(
        { step: run.progress.step, total: run.progress.total, epoch: run.progress.epoch, loss: run.progress.metrics.loss },
        expected,
        script,
      );
      assert.deepEqual(run.flags, []);
      const db = new Database(join(home, 'vigil.db'), { readonly: true });
      const phases = db.prepare("SELECT data FROM events WHERE kind = 'phase' ORDER BY id").all() as { data: string }[];
      db.close();
      const names = phases.map((row) => JSON.parse(row.data).name);
      assert.deepEqual(names, script === 'hf_callback.py' ? ['train', 'eval', 'train'] : ['eval', 'train', 'checkpoint', 'train'], script);
    }
  });

  test('on a terminal, a live status line that never corrupts the job output; none without a terminal', async () => {
    const home = tempHome();
    const go = join(home, 'go');
    const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, VIGIL, 'run', '--', python, join(WATCHDOG, 'status_line.py'), go].map(quote).join(' ');
    // util-linux `script` gives vigil a pseudo-terminal; vigil's own stderr lines are left out.
    const child = spawn('script', ['-qfec', `${command} 2>/dev/null`, '/dev/null'], {
      env: envFor(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = Buffer.alloc(0);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      if (seen.includes('vigil ▸') && !existsSync(go)) writeFileSync(go, '');
    });
    const result = await collect(child, 60_000);
    assert.equal(result.code, 0, result.stderr);
    const drawn = [...result.stdout.matchAll(/vigil ▸ ([^\r]*)\r\x1b\[K/g)].map((m) => m[1] as string);
    assert.ok(drawn.length >= 1, `no status line in ${JSON.stringify(result.stdout.slice(0, 400))}`);
    assert.match(drawn[0] as string, /^step 10\/30 · loss 0\.1 · items 40 · last output [\d.]+m?s ago · mem /);
    const jobOutput = Array.from({ length: 30 }, (_, i) => `step ${i + 1}/30 loss ${(1 / (i + 1)).toFixed(4)}\r\n`).join('');
    assert.equal(result.stdout.replace(/vigil ▸ [^\r]*\r\x1b\[K/g, ''), jobOutput, 'erasing the status lines leaves the job output intact');

    const piped = await vigil(tempHome(), ['run', '--', python, join(WATCHDOG, 'status_line.py'), join(home, 'go')]);
    assert.equal(piped.stdout, jobOutput.replaceAll('\r\n', '\n'), 'nothing but the job output when stdout is not a terminal');
  });

  test('helper calls with no supervisor are no-ops', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: join(REPO, 'python') };
    delete env.VIGIL_EVENTS;
    const result = spawnSync(python, [join(WATCHDOG, 'helper_noop.py')], { env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    assert.equal(result.stderr, '');
  });

  test('the helper never writes into a file that took over its descriptor number', async () => {
    const home = tempHome();
    const own = join(home, 'own.txt');
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'helper_fd_reuse.py'), own]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(own, 'utf8'), "the job's own data\n");
    assert.equal(showJson(home).progress.step, 3, 'the helper reopened its channel');
  });

  test('helper calls in a tight loop are batched: few events, the final state exact', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'helper_flood.py')]);
    assert.equal(result.code, 0, result.stderr);
    const run = showJson(home);
    assert.equal(run.progress.step, 100_000);
    assert.equal(run.progress.metrics.loss, 0.00001);
    assert.equal(run.stages[0].total, 100_000);
    const events = readFileSync(join(run.run_dir, 'attempt-1.events'), 'utf8').split('\n').filter(Boolean);
    assert.ok(events.length < 1000, `${events.length} events for 200,000 calls`);
  });

  test('counts from DataLoader workers all arrive, though workers end in os._exit', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'count_in_workers.py')]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      showJson(home).stages.map((stage: Record<string, unknown>) => [stage.name, stage.total]),
      [
        ['decode', 64],
        ['train', 16],
      ],
    );
  });

  test('a stalled pipeline edge is reported with both stages', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--stage-timeout', '1500ms', '--', python, join(WATCHDOG, 'stage_stall.py')]);
    assert.match(result.stderr, /pipeline edge stalled: bridge=0 while crop=\d+ for \ds/);
    const run = showJson(home);
    assert.deepEqual(run.flags, ['stage_stall', 'empty_stage']);
    assert.deepEqual(
      run.stages.map((stage: Record<string, unknown>) => [stage.name, stage.total]),
      [
        ['crop', 400],
        ['bridge', 0],
      ],
    );
    assert.ok(run.stages[0].rate > 5, `crop rate ${run.stages[0].rate}/s`);
    assert.match((await vigil(home, ['show', 'last'])).stdout, /^stages +crop 400 \([\d.]+\/s\) → bridge 0$/m);
  });

  test('a NaN loss: event, flag, and with --on-nan stop the run fails as nan_loss', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--on-nan', 'stop', '--', python, join(WATCHDOG, 'nan_loss.py')]);
    const run = showJson(home);
    assert.equal(run.status, 'failed', result.stderr);
    assert.equal(run.attempts[0].diagnosis.category, 'nan_loss');
    assert.ok(run.flags.includes('nan_loss'));
    assert.equal(run.progress.metrics.loss, 'NaN');
    assert.ok(run.progress.step >= 5 && run.progress.step < 49);
  });

  test('NaN/Inf in another metric warns and flags, but only a non-finite loss stops the run', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--on-nan', 'stop', '--', python, join(WATCHDOG, 'inf_grad_norm.py')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: grad_norm is Infinity at step 3/);
    const run = showJson(home);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(run.flags, ['nan_loss']);
    assert.equal(run.progress.step, 20);
  });

  test("with several ranks reporting through the helper, the run's progress is rank 0's", async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'ranks_report.py')]);
    assert.equal(result.code, 0, result.stderr);
    const run = showJson(home);
    assert.deepEqual([run.progress.step, run.progress.total], [20, 20]);
    assert.deepEqual(run.flags, []);
  });

  test('a NaN on one line among many is seen; a metric that keeps overflowing is reported 5 times, not forever', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'nan_bursts.py')]);
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('warning:'));
    assert.deepEqual(
      warnings.filter((line) => /loss is/.test(line)).map((line) => line.replace(/^.*warning: /, '')),
      ['loss is NaN at step 10'],
    );
    const gradNorm = warnings.filter((line) => /grad_norm is/.test(line));
    assert.equal(gradNorm.length, 5, gradNorm.join('\n'));
    assert.match(gradNorm[4] as string, /grad_norm is Infinity at step 15 \(5 times now; not reported again\)$/);
    assert.deepEqual(showJson(home).flags, ['nan_loss']);
  });

  test('exit 0 after zero steps is flagged in show and ps', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '-q', '--', python, join(WATCHDOG, 'zero_steps.py')]);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /flags: no_progress/);
    assert.deepEqual(showJson(home).flags, ['no_progress']);
    assert.deepEqual(psJson(home)[0]?.flags, ['no_progress']);
  });

  test('real tqdm output: progress step, total and rate', async () => {
    const home = tempHome();
    const script = 'import time\nfrom tqdm import tqdm\nfor i in tqdm(range(40)):\n    time.sleep(0.02)\n';
    const result = await vigil(home, ['run', '-q', '--', '/usr/bin/python3', '-c', script]);
    assert.equal(result.code, 0, result.stderr);
    const run = showJson(home);
    assert.equal(run.progress.step, 40);
    assert.equal(run.progress.total, 40);
    assert.ok(run.progress.rate > 5, `rate ${run.progress.rate}`);
    assert.deepEqual(run.flags, []);
    const text = (await vigil(home, ['show', 'last'])).stdout;
    assert.match(text, /^progress +step 40\/40, [\d.]+ it\/s \(last step \d{4}-\d\d-\d\dT[\d:.]+Z\)$/m);
    assert.deepEqual([psJson(home)[0]?.step, psJson(home)[0]?.total], [40, 40]);
    assert.match((await vigil(home, ['ps', '--all'])).stdout, /succeeded +\d+ +\S+ +1 +40\/40 /);
  });

  test('the progress events are rate-limited, not one per bar redraw', async () => {
    const home = tempHome();
    const script = 'import sys\nfor i in range(1, 20001):\n    sys.stdout.write(f"\\r{i}/20000 [00:01<00:00, 9999.00it/s]")\nprint()\n';
    await vigil(home, ['run', '-q', '--', python, '-c', script]);
    const run = showJson(home);
    assert.equal(run.progress.step, 20000);
    const db = new Database(join(home, 'vigil.db'), { readonly: true });
    const stored = db.prepare("SELECT COUNT(*) AS n FROM events WHERE kind = 'progress'").get() as { n: number };
    db.close();
    assert.ok(stored.n >= 1 && stored.n <= 5, `${stored.n} progress events for 20000 redraws`);
  });
});
