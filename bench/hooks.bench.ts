/**
 * What the Python hooks (python/boot/sitecustomize.py) cost every process of a job, each against
 * the same thing without them, measured alternately in the same run (so drift and the load of a
 * shared machine fall on both sides):
 * 1. start-up, `python -c pass`, for each interpreter found (Debian's and the one on PATH), with
 *    the hooks' bytecode cached and, for a read-only install or PYTHONDONTWRITEBYTECODE, without;
 *    target: no more than the README says;
 * 2. 200 × (os.fork(), child os._exit(0), waitpid), timed inside the parent; target ≤ 1.5× bare;
 * 3. `import torch` (where an interpreter has it).
 * Each figure is the median of many runs, with its interquartile range.
 *
 * Run: node --import tsx bench/hooks.bench.ts   (BENCH_REPEAT=N scales the number of runs)
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const scale = Number(process.env.BENCH_REPEAT ?? 1);
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-hooks-'));

/** The real interpreters (a pyenv shim is a shell script: its own start-up would drown the hooks'). */
function interpreters(): string[] {
  const found = ['/usr/bin/python3', 'python3'].map(
    (p) => spawnSync(p, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim() ?? '',
  );
  return [...new Set(found.filter(Boolean))];
}

/** The environment `vigil run` gives a job (src/supervisor/spawn.ts), hooks on or off. */
function jobEnv(hooks: boolean, boot = join(repo, 'python', 'boot'), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const pyDir = join(work, 'attempt-1.py');
  mkdirSync(pyDir, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VIGIL_RUN_ID: 'bench',
    VIGIL_ATTEMPT: '1',
    VIGIL_RUN_DIR: work,
    VIGIL_EVENTS: join(work, 'attempt-1.events'),
    VIGIL_PYDIR: pyDir,
    VIGIL_DUMP_SIGNAL: 'SIGUSR2',
    PYTHONPATH: hooks ? `${boot}:${join(repo, 'python')}` : join(repo, 'python'),
    PYTHONUNBUFFERED: '1',
    ...extra,
  };
}

type Stats = { median: number; q1: number; q3: number };
type Sample = { wall: number; cpu: number };

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median: at(0.5), q1: at(0.25), q3: at(0.75) };
}

/**
 * Runs argv `runs` times under each environment, alternately; per run, its wall time and the CPU
 * time (user + system) it and its children used, in ms. CPU time is what a busy machine disturbs
 * least: on a shared host the wall times spread widely.
 */
const DRIVER = `
import json, os, resource, subprocess, sys, time
spec = json.load(sys.stdin)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
out = [[] for _ in spec["envs"]]
for _ in range(spec["runs"]):
    for samples, env in zip(out, spec["envs"]):
        wall, used = time.perf_counter(), cpu()
        done = subprocess.run(spec["argv"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if done.returncode != 0:
            sys.exit(done.stderr.decode())
        wall, used = time.perf_counter() - wall, cpu() - used
        # A program may time itself (the fork loop, leaving its own start-up out): "wall cpu" on stdout.
        own = done.stdout.split()
        samples.append({"wall": float(own[0]), "cpu": float(own[1])} if len(own) == 2 else {"wall": wall * 1000, "cpu": used * 1000})
print(json.dumps(out))
`;

function compare(runs: number, argv: string[], envs: [NodeJS.ProcessEnv, NodeJS.ProcessEnv]): [Sample[], Sample[]] {
  const result = spawnSync('/usr/bin/python3', ['-c', DRIVER], { input: JSON.stringify({ runs, argv, envs }), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as [Sample[], Sample[]];
}

const show = (s: Stats) => `${s.median.toFixed(1)} [${s.q1.toFixed(1)}–${s.q3.toFixed(1)}]`;

function report(what: string, [bare, hooked]: [Sample[], Sample[]], target: string): void {
  const line = (key: keyof Sample) => {
    const b = stats(bare.map((s) => s[key]));
    const h = stats(hooked.map((s) => s[key]));
    return `${key} bare ${show(b)} hooked ${show(h)} ms: +${(h.median - b.median).toFixed(1)} ms, ×${(h.median / b.median).toFixed(2)}`;
  };
  console.log(`${what} (median [IQR] of ${bare.length}; ${target})\n  ${line('cpu')}\n  ${line('wall')}`);
}

const pythons = interpreters();

// 1. Start-up. Without a bytecode cache: a copy of the hooks in a folder with no __pycache__.
const uncached = join(work, 'boot-uncached');
mkdirSync(uncached);
copyFileSync(join(repo, 'python', 'boot', 'sitecustomize.py'), join(uncached, 'sitecustomize.py'));
for (const python of pythons) {
  spawnSync(python, ['-c', 'pass'], { env: jobEnv(true) }); // writes the hooks' bytecode cache
  report(`start-up, ${python}`, compare(60 * scale, [python, '-c', 'pass'], [jobEnv(false), jobEnv(true)]), 'target: the README figure');
  const noCache = { PYTHONDONTWRITEBYTECODE: '1' };
  const envs: [NodeJS.ProcessEnv, NodeJS.ProcessEnv] = [jobEnv(false, undefined, noCache), jobEnv(true, uncached, noCache)];
  report(
    `start-up, ${python}, hooks' bytecode not cached`,
    compare(30 * scale, [python, '-c', 'pass'], envs),
    'a read-only install, or PYTHONDONTWRITEBYTECODE',
  );
}

// 2. Forks, timed by the parent around the loop only (its own start-up left out), CPU time of
// the parent and its children.
const forks = `
import os, resource, time
def cpu():
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))
wall, used = time.perf_counter(), cpu()
for _ in range(200):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print((time.perf_counter() - wall) * 1000, (cpu() - used) * 1000)
`;
for (const python of pythons) {
  report(`200 forks, ${python}`, compare(15 * scale, [python, '-c', forks], [jobEnv(false), jobEnv(true)]), 'target ≤ 1.5×');
}

// 3. import torch, where an interpreter has it.
for (const python of pythons) {
  if (spawnSync(python, ['-c', 'import torch']).status !== 0) continue;
  report(
    `import torch, ${python}`,
    compare(10 * scale, [python, '-c', 'import torch'], [jobEnv(false), jobEnv(true)]),
    'start-up included',
  );
}

rmSync(work, { recursive: true, force: true });
