/**
 * The queue and the daemon cost their users nothing to speak of (issue 12, "Speed"). Each figure
 * against a baseline measured in the same run:
 *
 * 1. `vigil submit` wall time, median of BENCH_SUBMITS, against `node -e 0` (target ≤ 2×).
 * 2. Submits accepted per second by the submit path itself, in-process (SqliteQueue.submitNow on a
 *    real file, one transaction each), against a bare INSERT of the same row in its own
 *    transaction (target ≥ 500/s).
 * 3. From a slot becoming free to the next job's first instruction: `--max-running 1`, job A prints
 *    the clock and exits, job B's first instruction prints the clock; against the same two jobs run
 *    back to back by a shell (target ≤ 500 ms).
 * 4. The daemon idle with 10 runs live: its CPU over BENCH_IDLE_S seconds (from /proc) and its RSS
 *    (target ≤ 1 % of a core, ≤ 60 MB).
 *
 * Run: npm run build && node --import tsx bench/daemon.bench.ts
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/store/database.ts';
import { SqliteQueue } from '../src/store/queue.ts';
import type { JobRequest } from '../src/core/queue/job.ts';

const repo = resolve(import.meta.dirname, '..');
const vigil = join(repo, 'dist', 'cli', 'main.js');
const submits = Number(process.env.BENCH_SUBMITS ?? 20);
const idleSeconds = Number(process.env.BENCH_IDLE_S ?? 10);
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-daemon-'));
const home = join(work, 'home');
const env = { ...process.env, VIGIL_HOME: home, VIGIL_NO_AUTOSTART: '1' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const wallMs = (command: string[]) => {
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0] as string, command.slice(1), { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.join(' ')}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};
const vigilCli = (args: string[]) => spawnSync(process.execPath, [vigil, ...args], { env, encoding: 'utf8' });

function submitWallTime(): void {
  const node: number[] = [];
  const submit: number[] = [];
  for (let i = 0; i < submits; i += 1) {
    // Alternating, so a load that comes and goes falls on both.
    node.push(wallMs([process.execPath, '-e', '0']));
    submit.push(wallMs([process.execPath, vigil, 'submit', '--allow-duplicate', '--', 'true']));
  }
  console.log(
    `vigil submit: median ${median(submit).toFixed(0)} ms against node -e 0 ${median(node).toFixed(0)} ms: ${(median(submit) / median(node)).toFixed(2)}× (target ≤ 2×, median of ${submits})`,
  );
}

const request = (i: number): JobRequest => ({
  name: null,
  priority: 0,
  gpus: 0,
  shareGpus: false,
  after: [],
  command: ['python3', 'train.py', `--seed=${i}`],
  cwd: '/work',
  env: { PATH: '/usr/bin:/bin', HOME: '/root', LANG: 'C.UTF-8' },
  declaredEnv: {},
  runOptions: ['--restart', 'on-failure'],
  allowDuplicate: false,
  onSupervisorLoss: 'adopt',
});

function submitRate(): void {
  const count = 2000;
  const queue = new SqliteQueue(openDatabase(join(work, 'rate.db'), { readonly: false }));
  let started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) queue.submitNow(request(i), Date.now());
  const queueSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const bare = new Database(join(work, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE jobs (seq INTEGER PRIMARY KEY, id TEXT, body TEXT)');
  const insert = bare.prepare('INSERT INTO jobs (id, body) VALUES (?, ?)');
  const once = bare.transaction((i: number) => insert.run(String(i), JSON.stringify(request(i))));
  started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) once.immediate(i);
  const bareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `submit path in-process: ${(count / queueSeconds).toFixed(0)} submits/s (target ≥ 500); a bare INSERT in its own transaction: ${(count / bareSeconds).toFixed(0)}/s (${(queueSeconds / bareSeconds).toFixed(2)}× its time)`,
  );
}

async function slotToNextJob(): Promise<void> {
  const clock = join(work, 'clock');
  const a = `date +%s%N > ${clock}-a`;
  const b = `date +%s%N > ${clock}-b`;
  spawnSync('sh', ['-c', `sh -c '${a}'; sh -c '${b}'`]);
  const readNs = (suffix: string) => BigInt(readFileSync(`${clock}-${suffix}`, 'utf8').trim());
  const bareMs = Number(readNs('b') - readNs('a')) / 1e6;

  const gaps: number[] = [];
  const daemon = startDaemon(['--max-running', '1']);
  try {
    for (let round = 0; round < 5; round += 1) {
      rmSync(`${clock}-b`, { force: true });
      const light = ['-q', '--no-python-hooks', '--no-cgroup', '--allow-duplicate'];
      vigilCli(['submit', ...light, '--', 'sh', '-c', `sleep 0.5; ${a}`]);
      vigilCli(['submit', ...light, '--', 'sh', '-c', b]);
      spawnSync(process.execPath, [vigil, 'daemon', 'status'], { env }); // it is up
      await waitFor(() => {
        try {
          return readFileSync(`${clock}-b`, 'utf8').endsWith('\n'); // written whole
        } catch {
          return false;
        }
      }, 30_000);
      gaps.push(Number(readNs('b') - readNs('a')) / 1e6);
    }
  } finally {
    daemon.kill('SIGTERM');
  }
  console.log(
    `slot free → next job's first instruction: median ${median(gaps).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms (target ≤ 500); a shell running them back to back: ${bareMs.toFixed(1)} ms`,
  );
  console.log(`  each (ms): ${gaps.map((gap) => gap.toFixed(0)).join(' ')}`);
}

async function idleDaemon(): Promise<void> {
  const gate = join(work, 'gate');
  const daemon = startDaemon(['--max-running', '10']);
  try {
    for (let i = 0; i < 10; i += 1)
      vigilCli([
        'submit',
        '-q',
        '--no-python-hooks',
        '--no-cgroup',
        '--',
        'sh',
        '-c',
        `while [ ! -e ${gate} ]; do sleep 1; done`,
        String(i),
      ]);
    await waitFor(() => (JSON.parse(vigilCli(['daemon', 'status', '--json']).stdout).runs?.length ?? 0) === 10, 60_000);
    await new Promise((r) => setTimeout(r, 2000)); // settled
    const before = cpuTicks(daemon.pid as number);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const cpuSeconds = (cpuTicks(daemon.pid as number) - before) / 100;
    const seconds = (Date.now() - started) / 1000;
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))?.[1]) / 1024;
    console.log(
      `daemon idle with 10 runs live: ${((cpuSeconds / seconds) * 100).toFixed(2)} % of a core over ${seconds.toFixed(0)} s (target ≤ 1 %), RSS ${rss.toFixed(0)} MB (target ≤ 60)`,
    );
  } finally {
    writeFileSync(gate, '');
    daemon.kill('SIGTERM');
  }
}

function startDaemon(args: string[]): ChildProcess {
  return spawn(process.execPath, [vigil, 'daemon', ...args], { env, stdio: 'ignore' });
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  submitWallTime();
  submitRate();
  await slotToNextJob();
  await idleDaemon();
} finally {
  rmSync(work, { recursive: true, force: true });
}
