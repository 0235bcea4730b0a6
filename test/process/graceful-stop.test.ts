/**
 * Graceful stop: `vigil stop` first asks a job that checks `vigil.should_stop()` (it saves at a
 * step boundary and exits on its own), signals one that does not answer after --save-grace, and
 * signals a job without the helper at once.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { collect, JOBS, REPO, showJson, startVigil, tempHome, vigil, waitForLog, waitUntil } from '../helpers/vigil.ts';

const JOB = join(JOBS, 'stop', 'graceful.py');

/** Starts the job under vigil and waits until it has done `steps` steps (and, with the helper, said it listens). */
async function startJob(mode: 'listen' | 'ignore' | 'none', saveGrace: string) {
  const home = tempHome();
  const out = mkdtempSync(join(tmpdir(), 'vigil-grace-'));
  const supervisor = startVigil(home, [
    'run',
    '--save-grace',
    saveGrace,
    '--stop-timeout',
    '10s',
    '--',
    torchPython(),
    JOB,
    '--mode',
    mode,
    '--out',
    out,
  ]);
  const done = collect(supervisor);
  const runId = await waitForLog(home, 'ready');
  const events = join(home, 'runs', runId, 'attempt-1.events');
  if (mode !== 'none') await waitUntil('the job checks should_stop()', () => readFileSync(events, 'utf8').includes('"stop_listener"'));
  const finished = () => Number(readFileSync(join(out, 'finished'), 'utf8') || 0);
  await waitUntil('a few steps more (the supervisor has read the events)', () => existsSync(join(out, 'finished')) && finished() >= 10);
  return { home, out, runId, done, read: (name: string) => readFileSync(join(out, name), 'utf8') };
}

test('vigil stop asks a job that listens: it saves at a step boundary and exits 0 on its own', async () => {
  const { home, out, runId, done, read } = await startJob('listen', '30s');
  const stop = await vigil(home, ['stop', runId]);
  assert.equal(stop.code, 0, stop.stderr);
  await done;
  assert.equal(read('checkpoint'), read('finished'), 'the checkpoint names the last step it finished');
  assert.ok(!existsSync(join(out, 'signalled')), 'never signalled');
  const run = showJson(home);
  assert.equal(run.status, 'stopped');
  assert.equal(run.attempts[0].stop_reason, 'vigil stop');
  assert.equal(run.attempts[0].exit_code, 0);
  assert.equal(run.attempts[0].signal, null);
});

test('a job that checks should_stop() but does not exit is signalled after --save-grace', async () => {
  const { home, runId, done, read } = await startJob('ignore', '1s');
  const stop = await vigil(home, ['stop', runId]);
  assert.equal(stop.code, 0, stop.stderr);
  await done;
  // The job notes when it saw the request: up to the helper's poll of the request (0.5 s) and a step (0.05 s)
  // after the supervisor asked, whose signal comes the save grace (1 s) after asking. Sooner than 0.35 s is no grace.
  const waited = Number(read('signalled')) - Number(read('asked'));
  assert.ok(waited >= 0.35 && waited < 5, `SIGTERM came ${waited.toFixed(2)}s after it was seen asked (--save-grace 1s)`);
  const run = showJson(home);
  assert.equal(run.status, 'stopped');
  assert.equal(run.attempts[0].stop_reason, 'vigil stop');
});

test('a job without the helper is signalled at once, with no save grace', async () => {
  const { home, out, runId, done } = await startJob('none', '60s');
  const started = Date.now();
  const stop = await vigil(home, ['stop', runId]);
  assert.equal(stop.code, 0, stop.stderr);
  await done;
  assert.ok(existsSync(join(out, 'signalled')));
  assert.ok(Date.now() - started < 15_000, 'not held for the 60s save grace');
  assert.ok(!existsSync(join(home, 'runs', runId, 'attempt-1.stop')), 'never asked');
  assert.equal(showJson(home).attempts[0].stop_reason, 'vigil stop');
});

test('the Hugging Face and Lightning callbacks turn vigil stop into the framework’s own save-and-stop', async () => {
  // transformers and lightning cannot be installed here: stand-ins define their base classes
  // (test/fixtures/standins/README.md); the job calls the hooks as the real trainers do.
  const env = { PYTHONPATH: join(REPO, 'test', 'fixtures', 'standins') };
  for (const [framework, said] of [
    ['hf', /^hf: should_save=True at step \d+$/m],
    ['lightning', /^lightning: saved epoch=0-step=(\d+)\.ckpt at step \1$/m],
  ] as const) {
    const home = tempHome();
    const out = mkdtempSync(join(tmpdir(), 'vigil-callbacks-'));
    const child = startVigil(
      home,
      ['run', '-q', '--save-grace', '30s', '--', torchPython(), join(JOBS, 'stop', 'framework_callbacks.py'), framework, out],
      { env },
    );
    const done = collect(child);
    const runId = await waitForLog(home, 'ready');
    const events = join(home, 'runs', runId, 'attempt-1.events');
    await waitUntil(
      'the callback checks should_stop()',
      () => existsSync(events) && readFileSync(events, 'utf8').includes('"stop_listener"'),
    );
    // Steps the supervisor has recorded came after the callback's first should_stop(): it has read that too.
    await waitUntil('the supervisor past the first steps', () => (showJson(home).progress?.step ?? 0) >= 10, 15_000);
    const stop = await vigil(home, ['stop', runId]);
    assert.equal(stop.code, 0, stop.stderr);
    await done;
    assert.match(readFileSync(showJson(home).log_path, 'utf8'), said, framework);
    assert.equal(showJson(home).attempts[0].exit_code, 0, `${framework}: ended on its own, not signalled`);
  }
});
