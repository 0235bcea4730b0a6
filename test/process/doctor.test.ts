/**
 * `vigil doctor` against conditions made here for real: a Python without torch (the `python3` on
 * PATH) and one with it, an orphan made by SIGKILLing a supervisor (and `--fix` ending it and
 * nothing else), a low open-files limit set with prlimit, an unresolvable MASTER_ADDR and a
 * missing NCCL interface, a broken vigil.yaml. nvidia-smi cannot run here: a stand-in on PATH
 * prints what a GPU with ECC errors reports (test/helpers: the only stand-in, and said so).
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statfsSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeCheckpoint } from '../helpers/checkpoints.ts';
import { torchPython } from '../helpers/python.ts';
import {
  collect,
  envFor,
  JOBS,
  showJson,
  startVigil,
  taggedPids,
  tempHome,
  vigil,
  VIGIL,
  waitForLog,
  waitUntil,
} from '../helpers/vigil.ts';

type Finding = { id: string; status: string; finding: string; fix: string | null };

async function doctor(home: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const started = Date.now();
  const result = await vigil(home, ['doctor', '--json', ...args], { env: options.env });
  const parsed = JSON.parse(result.stdout) as { ok: boolean; checks: Finding[] };
  return { ...result, ...parsed, ms: Date.now() - started, find: (id: string) => parsed.checks.filter((c) => c.id === id) };
}

/**
 * A stand-in for nvidia-smi (none can run here; the only stand-in in these tests): answers the
 * health query as a GPU with `ecc` uncorrected errors would, and the compute-apps query with
 * `apps` (pid → MiB: which processes hold the GPU); `hang`: a wedged driver that never answers
 * (the sleep is a grandchild, holding the pipe as a process stuck in the driver would).
 */
function fakeNvidiaSmi(options: { ecc?: number; apps?: ReadonlyMap<number, number>; hang?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fake-smi-'));
  const file = join(dir, 'nvidia-smi');
  const apps = [...(options.apps ?? [])].map(([pid, mib]) => `echo "${pid}, ${mib}"`).join('; ');
  writeFileSync(
    file,
    `#!/bin/sh\n${options.hang ? 'sleep 30\n' : ''}case "$*" in\n` +
      `  *--query-compute-apps*) ${apps || 'true'} ;;\n` +
      `  *) echo "0, NVIDIA A100-SXM4-80GB, 535.104.05, 41, 1200, 81920, ${options.ecc ?? 0}, No, Enabled" ;;\nesac\n`,
  );
  chmodSync(file, 0o755);
  return dir;
}

describe('vigil doctor', () => {
  test('a healthy home with a Python that lacks torch: that one check fails, the rest are ok or skipped, in under 3 s', async () => {
    const home = tempHome();
    const result = await doctor(home, ['--', 'python3', 'train.py']);
    assert.equal(result.code, 1);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ['python'],
    );
    assert.match(result.find('python')[0]?.finding ?? '', /cannot import torch/);
    assert.equal(result.find('vigil-home')[0]?.status, 'ok');
    assert.equal(result.find('gpus')[0]?.status, 'skip', 'no nvidia-smi here');
    assert.ok(result.ms < 3_000, `doctor took ${result.ms} ms`);
  });

  test("the job's own interpreter is checked: the one with torch passes", async () => {
    const result = await doctor(tempHome(), ['--', torchPython(), 'train.py']);
    assert.equal(result.find('python')[0]?.status, 'ok', JSON.stringify(result.find('python')));
    assert.match(result.find('python')[0]?.finding ?? '', /torch \d/);
  });

  test('a GPU with uncorrected ECC errors fails the gpu check (stand-in nvidia-smi)', async () => {
    const env = { PATH: `${fakeNvidiaSmi({ ecc: 3 })}:${process.env.PATH}` };
    const result = await doctor(tempHome(), [], { env });
    const gpus = result.find('gpus');
    assert.equal(gpus[0]?.status, 'fail');
    assert.match(gpus[0]?.finding ?? '', /GPU 0 \(NVIDIA A100-SXM4-80GB\): 3 uncorrected ECC errors/);
  });

  test('a low open-files limit (prlimit) warns and says how to raise it (Node lifts its soft limit to the hard one: jobs get the hard one)', async () => {
    const home = tempHome();
    const child = spawn('prlimit', ['--nofile=256:1024', process.execPath, VIGIL, 'doctor', '--json'], { env: envFor(home) });
    const result = await collect(child);
    const check = (JSON.parse(result.stdout) as { checks: Finding[] }).checks.find((c) => c.id === 'open-files');
    assert.equal(check?.status, 'warn');
    assert.match(check?.finding ?? '', /ulimit -n\) (?:256|1024), hard 1024/);
    assert.match(check?.fix ?? '', /raise the hard limit/);
  });

  test('distributed set-up: an unresolvable MASTER_ADDR and a missing NCCL interface fail', async () => {
    const env = { MASTER_ADDR: 'no-such-host.invalid', MASTER_PORT: '29500', NCCL_SOCKET_IFNAME: 'nosuchif9' };
    const findings = (await doctor(tempHome(), [], { env })).find('distributed');
    assert.ok(findings.some((f) => f.status === 'fail' && /MASTER_ADDR=no-such-host.invalid does not resolve/.test(f.finding)));
    assert.ok(findings.some((f) => f.status === 'fail' && /NCCL_SOCKET_IFNAME names nosuchif9/.test(f.finding)));
  });

  test('a broken vigil.yaml fails the config check with its own message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-config-'));
    writeFileSync(join(dir, 'vigil.yaml'), 'jobs:\n  train:\n    command: 42\n');
    const result = await doctor(tempHome(), ['-f', join(dir, 'vigil.yaml')]);
    const config = result.find('config')[0];
    assert.equal(config?.status, 'fail', JSON.stringify(config));
  });

  test('an orphan (supervisor SIGKILLed) fails the check; --fix stops it and nothing else', async () => {
    const home = tempHome();
    const bystanderDir = mkdtempSync(join(tmpdir(), 'vigil-bystander-'));
    mkdirSync(bystanderDir, { recursive: true });
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    const supervisor = startVigil(home, ['run', '--stop-timeout', '3s', '--', torchPython(), join(JOBS, 'escapee.py')]);
    const runId = await waitForLog(home, 'ready');
    supervisor.kill('SIGKILL');
    await collect(supervisor);
    const before = await doctor(home, []);
    const orphan = before.find('orphans')[0];
    assert.equal(orphan?.status, 'fail');
    assert.match(orphan?.fix ?? '', new RegExp(`vigil adopt ${runId}`));
    const fixed = await doctor(home, ['--fix']);
    assert.match(fixed.find('orphans')[0]?.finding ?? '', /stopped orphaned run .*\(--fix\)/);
    assert.deepEqual(taggedPids(runId), []);
    assert.equal(showJson(home, runId).status, 'stopped');
    assert.equal(bystander.exitCode, null, 'a process of no run is left alone');
    bystander.kill();
    assert.equal((await doctor(home, [])).find('orphans')[0]?.status, 'ok');
  });

  test("a stray trainer (a Python holding a GPU, no run's) warns with pid, command and memory; --fix leaves it, --fix --kill-strays ends it; a live run's process is never listed", async (t) => {
    const home = tempHome();
    const stray = spawn(torchPython(), ['-c', 'import time; time.sleep(120)  # a stray trainer'], { stdio: 'ignore' });
    const supervisor = startVigil(home, ['run', '--', torchPython(), '-c', 'import time; print("ready", flush=True); time.sleep(120)']);
    const supervised = collect(supervisor); // listening from the start: it ends while vigil stop runs
    const runId = await waitForLog(home, 'ready');
    const runPids = taggedPids(runId);
    assert.equal(runPids.length, 1);
    const runPid = runPids[0] as number;
    // The stand-in nvidia-smi says both hold the GPU: the stray 20000 MiB, the run's trainer 30000 MiB.
    const apps = new Map([
      [stray.pid as number, 20_000],
      [runPid, 30_000],
    ]);
    const env = { PATH: `${fakeNvidiaSmi({ apps })}:${process.env.PATH}` };
    const strayAlive = () => stray.exitCode === null && stray.signalCode === null;
    try {
      const listed = (await doctor(home, [], { env })).find('strays');
      const mine = listed.find((f) => f.finding.startsWith(`pid ${stray.pid} `));
      assert.equal(mine?.status, 'warn', JSON.stringify(listed));
      assert.match(
        mine?.finding ?? '',
        /^pid \d+ \(\S*python3 -c import time; time\.sleep\(120\) {2}# a stray trainer\): [\d.]+ MiB RAM, 20000 MiB on GPU; belongs to no vigil run$/,
      );
      assert.match(mine?.fix ?? '', /--fix --kill-strays/);
      assert.ok(!listed.some((f) => f.finding.includes(`pid ${runPid} `)), "the live run's trainer is not a stray");

      const fixed = await doctor(home, ['--fix'], { env });
      assert.equal(fixed.find('strays').find((f) => f.finding.startsWith(`pid ${stray.pid} `))?.status, 'warn');
      assert.ok(strayAlive(), '--fix alone never ends a stray');

      const refused = await vigil(home, ['doctor', '--kill-strays'], { env });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /^vigil: --kill-strays only goes with --fix/);

      // --kill-strays ends every stray on this machine: go on only when ours is the only one (others' trainers share it).
      const others = listed.filter((f) => f.status !== 'ok' && !f.finding.startsWith(`pid ${stray.pid} `));
      if (others.length > 0) return t.skip(`other strays on this machine: ${others.map((f) => f.finding).join('; ')}`);
      const killed = await doctor(home, ['--fix', '--kill-strays'], { env });
      assert.match(
        killed.find('strays')[0]?.finding ?? '',
        new RegExp(`^pid ${stray.pid} .*: ended by SIGTERM \\(--fix --kill-strays\\)$`),
      );
      await waitUntil('the stray to be reaped', () => !strayAlive());
      assert.equal(stray.signalCode, 'SIGTERM');
      assert.deepEqual(taggedPids(runId), [runPid], "the run's trainer is untouched");
    } finally {
      stray.kill('SIGKILL');
      await vigil(home, ['stop', runId]);
      await supervised;
    }
  });

  test('a hung nvidia-smi is a finding of its own: the doctor still answers within 3 s, the gpu check says nvidia-smi did not answer', async () => {
    const env = { PATH: `${fakeNvidiaSmi({ hang: true })}:${process.env.PATH}` };
    const result = await doctor(tempHome(), [], { env });
    assert.ok(result.ms < 3_000, `doctor took ${result.ms} ms`);
    const gpus = result.find('gpus')[0];
    assert.deepEqual([gpus?.status, gpus?.finding], ['fail', 'nvidia-smi did not answer within 2 s']);
    assert.match(gpus?.fix ?? '', /Xid/);
    assert.match(result.find('strays')[0]?.finding ?? '', /GPU holders unknown \(nvidia-smi did not answer within 1\.5 s\): RAM only/);
  });

  test("limits: a low process limit (prlimit) warns a user (root is not held to it); core dumps are information; a kernel log closed to users skips the Xid check with dmesg's reason", async (t) => {
    const doctorUnder = async (prefix: string[], home: string) => {
      const child = spawn(prefix[0] as string, [...prefix.slice(1), process.execPath, VIGIL, 'doctor', '--json'], { env: envFor(home) });
      return (JSON.parse((await collect(child)).stdout) as { checks: Finding[] }).checks;
    };
    const limited = ['prlimit', '--nproc=1000:2000', '--core=unlimited'];
    const asRoot = await doctorUnder(limited, tempHome());
    const processes = asRoot.find((c) => c.id === 'processes');
    assert.match(processes?.finding ?? '', /^process limit \(ulimit -u\) 1000, hard 2000/);
    const core = asRoot.find((c) => c.id === 'core-dumps');
    assert.equal(core?.status, 'ok');
    assert.match(core?.finding ?? '', /^core dumps on \(ulimit -c unlimited/);
    if (process.getuid?.() !== 0) return assert.equal(processes?.status, 'warn');
    assert.deepEqual([processes?.status, processes?.finding.endsWith('(not enforced for root)')], ['ok', true]);

    // The same as the user nobody, to whom the limit applies (and, where dmesg_restrict is set, the kernel log is closed).
    const home = tempHome();
    chmodSync(home, 0o777);
    const asUser = await doctorUnder(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...limited], home);
    const userProcesses = asUser.find((c) => c.id === 'processes');
    assert.equal(userProcesses?.status, 'warn', JSON.stringify(userProcesses));
    assert.match(userProcesses?.fix ?? '', /^ulimit -u 4096 after raising the hard limit/);
    const xid = asUser.find((c) => c.id === 'xid');
    if (readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() !== '1') return t.diagnostic('dmesg_restrict is off here');
    assert.equal(xid?.status, 'skip');
    assert.match(xid?.finding ?? '', /^the kernel log cannot be read \(.*Operation not permitted\): Xid errors not checked$/);
  });

  test('stale state: a run whose supervisor and processes were both SIGKILLed is settled by the vigil-home check and counted', async () => {
    const home = tempHome();
    const supervisor = startVigil(home, ['run', '--', torchPython(), '-c', 'import time; print("ready", flush=True); time.sleep(120)']);
    const runId = await waitForLog(home, 'ready');
    supervisor.kill('SIGKILL');
    await collect(supervisor);
    for (const pid of taggedPids(runId)) process.kill(pid, 'SIGKILL');
    await waitUntil('the job to be gone', () => taggedPids(runId).length === 0);
    const result = await doctor(home, []);
    assert.match(
      result.find('vigil-home')[0]?.finding ?? '',
      new RegExp(`; 1 stale run \\(recorded running, supervisor and processes gone\\) settled as unknown: ${runId}$`),
    );
    assert.equal(result.find('orphans')[0]?.status, 'ok');
    assert.equal(showJson(home, runId).status, 'unknown');
    assert.doesNotMatch((await doctor(home, [])).find('vigil-home')[0]?.finding ?? '', /stale/);
  });

  test("a job of vigil.yaml: its checkpoints' disk against the newest checkpoint (a full tmpfs fails), the newest verifies (a truncated one fails naming it), a missing fingerprinted path fails", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-job-'));
    const ckpt = join(dir, 'ckpt');
    mkdirSync(ckpt);
    // A small file system of its own, to fill: root and mount(2) are needed.
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', ckpt]).status !== 0) return t.skip('cannot mount a tmpfs here');
    t.after(() => spawnSync('umount', [ckpt]));
    writeFileSync(join(dir, 'data.txt'), 'the data\n');
    const yaml = join(dir, 'vigil.yaml');
    writeFileSync(
      yaml,
      'jobs:\n  prepare:\n    command: echo prepared\n  train:\n    after: [prepare]\n    command: [python3, train.py]\n    checkpoints: ckpt\n    fingerprint: [data.txt, tokenizer.json]\n',
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const step of [100, 200]) {
      makeCheckpoint('torch', join(ckpt, `epoch=0-step=${step}.ckpt`), step);
      utimesSync(join(ckpt, `epoch=0-step=${step}.ckpt`), hourAgo, hourAgo); // settled long ago
    }
    const newest = join(ckpt, 'epoch=0-step=200.ckpt');
    const home = tempHome();
    const run = () => doctor(home, ['--job', 'train', '-f', yaml]);

    const healthy = await run();
    assert.match(
      healthy.find('checkpoints')[0]?.finding ?? '',
      new RegExp(`^newest checkpoint ${newest} \\(step 200, [\\d.]+ KiB\\) is whole`),
    );
    const ckptDisk = healthy.find('disk').find((f) => f.finding.includes(` at ${ckpt}`));
    assert.equal(ckptDisk?.status, 'ok', JSON.stringify(healthy.find('disk')));
    assert.match(ckptDisk?.finding ?? '', /room for \d+ more checkpoints of [\d.]+ KiB/);
    assert.deepEqual(
      healthy.find('fingerprints').map((f) => [f.status, f.finding]),
      [['fail', `fingerprinted path ${join(dir, 'tokenizer.json')} does not exist`]],
    );

    const fs = statfsSync(ckpt);
    try {
      writeFileSync(join(ckpt, 'filler'), Buffer.alloc(fs.bavail * fs.bsize));
    } catch {
      // ENOSPC: full, as wanted
    }
    const full = (await run()).find('disk').find((f) => f.finding.includes(` at ${ckpt}`));
    assert.equal(full?.status, 'fail');
    assert.match(full?.finding ?? '', /^0 B free of 1\.0 MiB at .*: room for 0 more checkpoints of/);

    truncateSync(newest, statSync(newest).size - 50);
    utimesSync(newest, hourAgo, hourAgo);
    const damaged = (await run()).find('checkpoints')[0];
    assert.equal(damaged?.status, 'fail');
    assert.match(damaged?.finding ?? '', new RegExp(`^newest checkpoint ${newest} \\(step 200, .*\\) is damaged: `));
  });

  test('the DataLoader workers the job ran last time under vigil are weighed against /dev/shm', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-workers-'));
    writeFileSync(join(dir, 'data.txt'), '7\n');
    const command = [
      torchPython(),
      join(JOBS, 'drill', 'trainer.py'),
      '--ckpt-dir',
      join(dir, 'ckpt'),
      '--data',
      join(dir, 'data.txt'),
      '--steps',
      '5',
      '--workers',
      '3',
    ];
    const run = await vigil(home, ['run', '--', ...command]);
    assert.equal(run.code, 0, run.stderr);
    const shm = (await doctor(home, ['--', ...command])).find('shm')[0];
    assert.match(shm?.finding ?? '', /the job ran 3 DataLoader workers last time/);
  });

  test('a database another process holds locked: the doctor still answers at once and says who waits for whom', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'true']); // the database exists
    const locker = spawn('/usr/bin/python3', [join(JOBS, 'resilience', 'hold_lock.py'), join(home, 'vigil.db'), '20'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      locker.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('locked') ? resolve() : undefined)),
    );
    try {
      const result = await doctor(home, []);
      assert.ok(result.ms < 5_000, `doctor took ${result.ms} ms`);
      const state = result.find('vigil-home')[0];
      assert.equal(state?.status, 'warn', JSON.stringify(state));
      assert.match(state?.finding ?? '', /another process holds vigil\.db's write lock/);
      assert.equal(result.find('memory')[0]?.status, 'ok', 'the other checks go on');
    } finally {
      locker.kill();
    }
  });
});
