/**
 * The daemon and its queue, on real processes: submits from many processes at once lose and
 * double nothing; priorities and --after order the starts; GPUs (a fake nvidia-smi: no GPU driver
 * runs here) are never handed to two jobs; a SIGKILLed daemon leaves its runs running and the next
 * one finds them again; a SIGKILLed supervisor is noticed at once and its job adopted or requeued.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.ts';
import { collect, envFor, psJson, showJson, startVigil, tempHome, VIGIL, vigil, waitUntil } from '../helpers/vigil.ts';

const NO_AUTOSTART = { VIGIL_NO_AUTOSTART: '1' };
/** Jobs here are shell one-liners: no Python hooks, no cgroup, nothing echoed. */
const LIGHT = ['-q', '--no-python-hooks', '--no-cgroup'];

const daemons: ChildProcess[] = [];
after(() => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
});

/** A foreground daemon, its stderr (its log) collected; `exited` resolves once it has exited. */
function startDaemon(home: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const child = startVigil(home, ['daemon', ...args], { env });
  daemons.push(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = collect(child, 600_000);
  return { child, log: () => log, exited };
}

type JobJson = {
  id: string;
  name: string | null;
  state: string;
  run_id: string | null;
  runs: string[];
  gpu_ids: number[];
  wait_reason: string | null;
};

function queueJson(home: string): { daemon: { pid: number } | null; jobs: JobJson[] } {
  const result = spawnSync(process.execPath, [VIGIL, 'queue', '--all', '--json'], { env: envFor(home), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil queue failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const submit = (home: string, args: string[], env: NodeJS.ProcessEnv = NO_AUTOSTART) => vigil(home, ['submit', ...args], { env });

const allEnded = (home: string, count: number) => () => {
  const jobs = queueJson(home).jobs;
  return jobs.length === count && jobs.every((job) => !['queued', 'starting', 'running', 'orphaned'].includes(job.state)) ? jobs : null;
};

describe('the queue', () => {
  test('20 concurrent submitters × 10 jobs: exactly 200 jobs, each run exactly once', { timeout: 240_000 }, async () => {
    const home = tempHome();
    // Each submitter: a shell submitting its 10 jobs one after another, all 20 at once.
    const script = `for i in 0 1 2 3 4 5 6 7 8 9; do "${process.execPath}" "${VIGIL}" submit ${LIGHT.join(' ')} -- sh -c 'exit 0' "$1" "$i" || exit 1; done`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, s) => collect(spawnShell(home, script, String(s)), 120_000)));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const ids = results.flatMap((result) => result.stdout.trim().split('\n'));
    assert.equal(ids.length, 200);
    assert.equal(new Set(ids).size, 200, 'every submit got its own job id');
    assert.equal(queueJson(home).jobs.length, 200);

    startDaemon(home, ['--max-running', '6']);
    const jobs = await waitUntil('all 200 jobs to end', allEnded(home, 200), 200_000, 2000);
    assert.deepEqual(new Set(jobs.map((job) => job.state)), new Set(['succeeded']));
    assert.ok(
      jobs.every((job) => job.runs.length === 1),
      'each job ran exactly once',
    );
    const runs = psJson(home);
    assert.equal(runs.length, 200, 'exactly 200 runs');
  });

  test('the same job submitted from 10 processes at once is queued once; the others are refused as duplicates (exit 12)', async () => {
    const home = tempHome();
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(home, [...LIGHT, '--', 'sh', '-c', 'sleep 1'])));
    const accepted = results.filter((result) => result.code === 0);
    assert.equal(accepted.length, 1, results.map((result) => result.stderr).join(''));
    for (const refused of results.filter((result) => result.code !== 0)) {
      assert.equal(refused.code, 12);
      assert.match(refused.stderr, /^vigil: the same job is already queued as [0-9a-f]{12} \(.*--allow-duplicate/);
    }
    assert.equal((await submit(home, ['--allow-duplicate', ...LIGHT, '--', 'sh', '-c', 'sleep 1'])).code, 0);
    assert.equal(
      (await submit(home, ['--env', 'SEED=2', ...LIGHT, '--', 'sh', '-c', 'sleep 1'])).code,
      0,
      'a declared variable makes it another job',
    );
    assert.equal(queueJson(home).jobs.length, 3);
  });

  test('priority first, then submission order; --after waits for success, and a failed dependency fails the job', async () => {
    const home = tempHome();
    const order = join(mkdtempSync(join(tmpdir(), 'vigil-order-')), 'order');
    const record = (word: string, code = 0) => [...LIGHT, '--', 'sh', '-c', `echo ${word} >> ${order}; exit ${code}`];
    assert.equal((await submit(home, ['--name', 'low', ...record('low')])).code, 0);
    assert.equal((await submit(home, ['--name', 'high', '--priority', '5', ...record('high')])).code, 0);
    assert.equal((await submit(home, ['--name', 'then', '--priority', '9', '--after', 'low', ...record('then')])).code, 0);
    assert.equal((await submit(home, ['--name', 'broken', ...record('broken', 3)])).code, 0);
    assert.equal((await submit(home, ['--name', 'never', '--after', 'broken', ...record('never')])).code, 0);
    assert.equal((await submit(home, ['--after', 'nosuchjob', ...record('x')])).code, 6, 'an unknown job is refused at submit');

    startDaemon(home, ['--max-running', '1']);
    const jobs = await waitUntil('the jobs to end', allEnded(home, 5), 60_000, 200);
    assert.deepEqual(readFileSync(order, 'utf8').trim().split('\n'), ['high', 'low', 'then', 'broken']);
    const state = Object.fromEntries(jobs.map((job) => [job.name, job.state]));
    assert.deepEqual(state, { low: 'succeeded', high: 'succeeded', then: 'succeeded', broken: 'failed', never: 'dependency_failed' });
  });

  test('2 GPUs and three 1-GPU jobs: never more than 2 at once, never the same GPU twice; a GPU busy with an unknown process is not handed out', async () => {
    const home = tempHome();
    const gpus = fakeNvidiaSmi({
      gpus: [
        { memoryTotalMiB: 81559, memoryUsedMiB: 3 },
        { memoryTotalMiB: 81559, memoryUsedMiB: 0 },
      ],
    });
    const trace = join(mkdtempSync(join(tmpdir(), 'vigil-gpus-')), 'trace');
    const job = (n: number) => [
      '--gpus',
      '1',
      ...LIGHT,
      '--',
      'sh',
      '-c',
      `echo "start $CUDA_VISIBLE_DEVICES" >> ${trace}; sleep 1.5; echo "end $CUDA_VISIBLE_DEVICES" >> ${trace}`,
      String(n),
    ];
    for (const n of [1, 2, 3]) assert.equal((await submit(home, job(n))).code, 0);
    const env = { PATH: `${gpus.dir}:${process.env.PATH}` };
    startDaemon(home, [], env);
    await waitUntil('the three GPU jobs to end', allEnded(home, 3), 60_000, 200);
    const events = readFileSync(trace, 'utf8').trim().split('\n');
    const holding = new Set<string>();
    let most = 0;
    for (const event of events) {
      const [kind, gpu] = event.split(' ') as [string, string];
      assert.match(gpu, /^[01]$/, `each job sees exactly one GPU: ${event}`);
      if (kind === 'start') {
        assert.ok(!holding.has(gpu), `GPU ${gpu} handed out twice: ${events.join(' | ')}`);
        holding.add(gpu);
      } else holding.delete(gpu);
      most = Math.max(most, holding.size);
    }
    assert.equal(most, 2);

    // A stranger's process fills GPU 1: the next job waits for GPU 0 only, and says why it would otherwise wait.
    gpus.set({
      gpus: [
        { memoryTotalMiB: 81559, memoryUsedMiB: 3 },
        { memoryTotalMiB: 81559, memoryUsedMiB: 30_000 },
      ],
    });
    assert.equal((await submit(home, ['--gpus', '2', ...LIGHT, '--', 'true'], { PATH: env.PATH, ...NO_AUTOSTART })).code, 0);
    const waiting = await waitUntil('the 2-GPU job to say why it waits', () =>
      queueJson(home).jobs.find((j) => j.state === 'queued' && j.wait_reason),
    );
    assert.match(waiting.wait_reason as string, /GPU 1 in use by a process vigil does not know, 29(\.\d)? GiB/);
  });
});

describe('vigil submit -f vigil.yaml', () => {
  test("its jobs, in the order their after: says, with the file's options and their own; the daemon runs them", async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-'));
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `quiet: true
python-hooks: false
cgroup: false
jobs:
  prepare:
    command: sh -c 'echo prepared > data.txt'
  train:
    command: [sh, -c, 'cat data.txt; echo "seed $SEED"; exit 4']
    env: {SEED: 7}
    after: [prepare]
    priority: 3
`,
    );
    const result = await vigil(home, ['submit', '-f', join(dir, 'vigil.yaml'), 'train'], { env: NO_AUTOSTART });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 2, 'train and the job it runs after');
    startDaemon(home);
    const jobs = await waitUntil('both jobs to end', allEnded(home, 2), 30_000, 100);
    const train = jobs.find((job) => job.name === 'train') as JobJson;
    assert.equal(train.state, 'failed');
    assert.equal((await vigil(home, ['logs', train.run_id as string])).stdout, 'prepared\nseed 7\n');
  });

  test('an invalid vigil.yaml: one line with the file, line and key (exit 2); nothing queued', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-'));
    writeFileSync(join(dir, 'vigil.yaml'), 'jobs:\n  train:\n    command: [python3, train.py]\n    gpus: two\n');
    const result = await vigil(home, ['submit', '-f', join(dir, 'vigil.yaml')], { env: NO_AUTOSTART });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^vigil: \S*vigil\.yaml:4: jobs\.train\.gpus: .*two/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.equal(queueJson(home).jobs.length, 0);
  });
});

describe('the daemon', () => {
  test('vigil submit starts a daemon when none serves the home (as pm2 does), and the job runs', async () => {
    const home = tempHome();
    const result = await submit(home, [...LIGHT, '--', 'true'], {});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^vigil: started the daemon \(pid \d+; vigil daemon status\)$/m);
    await waitUntil('the job to end', allEnded(home, 1), 30_000);
    assert.equal(queueJson(home).jobs[0]?.state, 'succeeded');
    assert.equal((await vigil(home, ['daemon', 'stop'])).code, 0);
  });

  test('one per VIGIL_HOME: a second is refused (exit 11) and says which one serves', async () => {
    const home = tempHome();
    const first = startDaemon(home);
    await waitUntil('the daemon to serve', () => first.log().includes('serving'));
    const second = await vigil(home, ['daemon']);
    assert.equal(second.code, 11);
    assert.match(second.stderr, new RegExp(`^vigil: a daemon already serves .* \\(pid ${first.child.pid}, up `));
    const status = await vigil(home, ['daemon', 'status', '--json']);
    assert.equal(JSON.parse(status.stdout).pid, first.child.pid);
    assert.equal((await vigil(home, ['daemon', 'stop'])).code, 0);
    assert.equal((await first.exited).code, 0);
  });

  test('a running job is stopped with vigil stop (never requeued), not cancelled (exit 13, with the command to use)', async () => {
    const home = tempHome();
    assert.equal((await submit(home, ['--name', 'long', '--on-supervisor-loss', 'requeue', ...LIGHT, '--', 'sleep', '60'])).code, 0);
    startDaemon(home);
    const job = await waitUntil('the job to run', () => queueJson(home).jobs.find((j) => j.state === 'running'));
    const cancel = await vigil(home, ['cancel', 'long']);
    assert.equal(cancel.code, 13);
    assert.match(cancel.stderr, new RegExp(`^vigil: job ${job.id} is running as run ${job.run_id}: vigil stop ${job.run_id}\n$`));
    assert.equal((await vigil(home, ['stop', job.run_id as string])).code, 0);
    const [ended] = await waitUntil('the job to end', allEnded(home, 1));
    assert.equal(ended?.state, 'stopped');
    assert.equal(ended?.runs.length, 1, 'a stop by the user is never a reason to run it again');
  });

  test('SIGKILL of the daemon while 2 runs live: they finish; the next daemon re-attaches and their real exit codes are recorded', async () => {
    const home = tempHome();
    const gate = join(mkdtempSync(join(tmpdir(), 'vigil-gate-')), 'go');
    const job = (code: number) => [...LIGHT, '--', 'sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.05; done; exit ${code}`];
    assert.equal((await submit(home, job(5))).code, 0);
    assert.equal((await submit(home, job(0))).code, 0);
    const first = startDaemon(home);
    await waitUntil('both runs to be live', () => queueJson(home).jobs.filter((j) => j.state === 'running').length === 2);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startDaemon(home);
    await waitUntil('the new daemon to re-attach both supervisors', async () => {
      const status = JSON.parse((await vigil(home, ['daemon', 'status', '--json'])).stdout);
      return status.running && status.runs.length === 2 && status.runs.every((run: { connected: boolean }) => run.connected);
    });
    assert.match(second.log(), /re-attached/);
    writeFileSync(gate, '');
    const jobs = await waitUntil('both jobs to end', allEnded(home, 2), 30_000);
    const codes = jobs.map((j) => showJson(home, j.run_id as string).exit_code).sort();
    assert.deepEqual(codes, [0, 5]);
    assert.deepEqual(jobs.map((j) => j.state).sort(), ['failed', 'succeeded']);
  });

  test("SIGKILL of a run's supervisor: noticed within 5 s; the job is adopted and watched to its end (unknown), or stopped and requeued", async () => {
    const home = tempHome();
    const gate = join(mkdtempSync(join(tmpdir(), 'vigil-gate-')), 'go');
    const waitForGate = `while [ ! -e ${gate} ]; do sleep 0.05; done`;
    assert.equal((await submit(home, ['--name', 'adopted', ...LIGHT, '--', 'sh', '-c', waitForGate])).code, 0);
    assert.equal(
      (await submit(home, ['--name', 'requeued', '--on-supervisor-loss', 'requeue', ...LIGHT, '--', 'sh', '-c', `${waitForGate}; exit 0`]))
        .code,
      0,
    );
    const daemon = startDaemon(home);
    await waitUntil('both runs to be live', () => queueJson(home).jobs.filter((j) => j.state === 'running').length === 2);
    const status = JSON.parse((await vigil(home, ['daemon', 'status', '--json'])).stdout);
    const supervisors = status.runs.map((run: { supervisor_pid: number }) => run.supervisor_pid);
    assert.equal(supervisors.length, 2);
    const killedAt = Date.now();
    for (const pid of supervisors) process.kill(pid, 'SIGKILL');

    await waitUntil(
      'the daemon to act on both losses',
      () => /adopting run/.test(daemon.log()) && /queueing the job again/.test(daemon.log()),
      10_000,
      20,
    );
    assert.ok(Date.now() - killedAt < 5000, `noticed after ${Date.now() - killedAt} ms`);
    const requeued = await waitUntil('the requeued job to run again', () => {
      const job = queueJson(home).jobs.find((j) => j.name === 'requeued');
      return job && job.runs.length === 2 && job.state === 'running' ? job : null;
    });
    assert.equal(showJson(home, requeued.runs[0]).status, 'stopped', 'the first run was stopped cleanly');
    writeFileSync(gate, '');
    const jobs = await waitUntil('both jobs to end', allEnded(home, 2), 30_000);
    const state = Object.fromEntries(jobs.map((job) => [job.name, job.state]));
    assert.deepEqual(state, { adopted: 'unknown', requeued: 'succeeded' });
  });
});

function spawnShell(home: string, script: string, arg: string): ChildProcess {
  return spawn('sh', ['-c', script, 'submitter', arg], { env: envFor(home, NO_AUTOSTART), stdio: ['ignore', 'pipe', 'pipe'] });
}
