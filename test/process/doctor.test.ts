/**
 * `vigil doctor` against conditions made here for real: a Python without torch (the `python3` on
 * PATH) and one with it, an orphan made by SIGKILLing a supervisor (and `--fix` ending it and
 * nothing else), a low open-files limit set with prlimit, an unresolvable MASTER_ADDR and a
 * missing NCCL interface, a broken vigil.yaml. nvidia-smi cannot run here: a stand-in on PATH
 * prints what a GPU with ECC errors reports (test/helpers: the only stand-in, and said so).
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { collect, envFor, JOBS, showJson, startVigil, taggedPids, tempHome, vigil, VIGIL, waitForLog } from '../helpers/vigil.ts';

type Finding = { id: string; status: string; finding: string; fix: string | null };

async function doctor(home: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const started = Date.now();
  const result = await vigil(home, ['doctor', '--json', ...args], { env: options.env });
  const parsed = JSON.parse(result.stdout) as { ok: boolean; checks: Finding[] };
  return { ...result, ...parsed, ms: Date.now() - started, find: (id: string) => parsed.checks.filter((c) => c.id === id) };
}

/** A stand-in for nvidia-smi (none can run here): answers the health query as a GPU with 3 uncorrected ECC errors would. */
function fakeNvidiaSmi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fake-smi-'));
  const file = join(dir, 'nvidia-smi');
  writeFileSync(file, '#!/bin/sh\necho "0, NVIDIA A100-SXM4-80GB, 535.104.05, 41, 1200, 81920, 3, No, Enabled"\n');
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
    const env = { PATH: `${fakeNvidiaSmi()}:${process.env.PATH}` };
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
    const supervisor = startVigil(home, ['run', '--', torchPython(), join(JOBS, 'escapee.py')]);
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
});
