/**
 * Restarts and checkpoint watching cost the job nothing to speak of (issue 11, "Speed"). Each
 * measurement against a baseline run in the same process, so the difference is meaningful on any machine:
 *
 * 1. Restart decision: a job that prints the clock (`date +%s%N`) as it starts and just before it
 *    exits 1, restarted by `vigil run --restart on-failure --backoff 0ms..1ms`. The gap between
 *    attempt N's last reading and attempt N+1's first, less the backoff vigil recorded, against the
 *    same gap when a shell loop restarts the same job (sh's exit, a fork, sh's and date's start-up).
 *    Target: vigil's extra ≤ 250 ms per restart, median and max over BENCH_RESTARTS restarts.
 * 2. Supervision with a watched checkpoint directory of 1,000 valid zip checkpoints: a CPU-bound
 *    trainer that saves one more now and then (bench/checkpointing.py), its own wall time under
 *    `vigil run --checkpoints DIR` against bare, in pairs of alternating order. Target: the median
 *    of the pairs' ratios ≤ 1.02; the quartiles say how much the machine's load moved it.
 *
 * Run: npm run build && node --import tsx bench/restart.bench.ts
 *      (BENCH_RESTARTS=N restarts, BENCH_REPEAT=N pairs, BENCH_STEPS=N the trainer's steps)
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const vigil = join(repo, 'dist', 'cli', 'main.js');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'pass']).status === 0) ?? 'python3';
const restarts = Number(process.env.BENCH_RESTARTS ?? 10);
const repeat = Number(process.env.BENCH_REPEAT ?? 9);
const steps = process.env.BENCH_STEPS ?? '2000';
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-restart-'));
const env = { ...process.env, VIGIL_HOME: join(work, 'home') };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function vigilCli(args: string[]): string {
  const result = spawnSync(process.execPath, [vigil, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result.stdout;
}

/** An attempt's first and last clock readings (ns since the epoch), from the lines `date +%s%N` printed. */
function readings(output: string): { start: bigint; exit: bigint } {
  const clock = output.split('\n').filter((line) => /^\d{18,}$/.test(line));
  if (clock.length < 2) throw new Error(`expected two clock readings, got: ${output}`);
  return { start: BigInt(clock[0]!), exit: BigInt(clock.at(-1)!) };
}

const msBetween = (from: bigint, to: bigint) => Number(to - from) / 1e6;

function restartDecision(): void {
  // A varying step per attempt, so the crash-loop rule (identical failures at the same step) does not cut the run short.
  const job = 'date +%s%N; echo "step $VIGIL_ATTEMPT"; date +%s%N; exit 1';

  // Baseline: the least a restart can cost, a shell loop that starts the job again as soon as it exits.
  const loop = spawnSync(
    'sh',
    ['-c', `i=0; while [ $i -le ${restarts} ]; do VIGIL_ATTEMPT=$i sh -c '${job}'; echo END; i=$((i+1)); done`],
    {
      encoding: 'utf8',
    },
  );
  const bareAttempts = loop.stdout
    .split('END\n')
    .filter((chunk) => chunk.trim() !== '')
    .map(readings);
  const bare = bareAttempts.slice(1).map((attempt, i) => msBetween(bareAttempts[i]!.exit, attempt.start));

  vigilCli(['run', '-q', '--restart', 'on-failure', '--backoff', '0ms..1ms', '--max-restarts', String(restarts), '--', 'sh', '-c', job]);
  const shown = JSON.parse(vigilCli(['show', 'last', '--json'])) as {
    attempts: { n: number; log_path: string; restart_delay_ms: number | null }[];
  };
  const attempts = shown.attempts.map((a) => ({ ...readings(readFileSync(a.log_path, 'utf8')), delay: a.restart_delay_ms ?? 0 }));
  if (attempts.length !== restarts + 1) throw new Error(`expected ${restarts + 1} attempts, got ${attempts.length}`);
  const supervised = attempts.slice(1).map((attempt, i) => msBetween(attempts[i]!.exit, attempt.start) - attempts[i]!.delay);
  const extra = supervised.map((gap) => gap - median(bare));

  console.log(
    `restart decision (${restarts} restarts, job exit → next attempt's first line, less the backoff): bare shell loop median ${median(bare).toFixed(1)} ms, under vigil median ${median(supervised).toFixed(1)} ms, max ${Math.max(...supervised).toFixed(1)} ms`,
  );
  console.log(
    `  vigil's restart cost (less the bare loop's median): median ${median(extra).toFixed(1)} ms, max ${Math.max(...extra).toFixed(1)} ms (target ≤ 250)`,
  );
  console.log(`  each restart under vigil (ms): ${supervised.map((gap) => gap.toFixed(0)).join(' ')}`);
  rmSync(join(work, 'home', 'runs'), { recursive: true, force: true });
}

/** 1,000 small, valid zip checkpoints (what torch.save writes), Lightning-named. */
function fillCheckpointDir(dir: string): void {
  const fill = `
import os, sys, zipfile
for step in range(1000):
    with zipfile.ZipFile(os.path.join(sys.argv[1], f"epoch=0-step={step * 10}.ckpt"), "w") as z:
        z.writestr("archive/data.pkl", os.urandom(4096))
`;
  const result = spawnSync(python, ['-c', fill, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`filling the checkpoint directory failed: ${result.stderr}`);
}

function watchedCheckpoints(): void {
  const wall = (text: string) => Number(/JOB_WALL ([\d.]+)/.exec(text)?.[1]);
  const job = (dir: string) => [python, join(repo, 'bench', 'checkpointing.py'), dir, steps];
  const bareRound = (dir: string) => wall(spawnSync(python, job(dir).slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout);
  const underVigil = (dir: string) => {
    vigilCli(['run', '-q', '--checkpoints', dir, '--', ...job(dir)]);
    const seconds = wall(vigilCli(['logs', 'last', '--tail', '1']));
    rmSync(join(work, 'home', 'runs'), { recursive: true, force: true });
    return seconds;
  };
  const ratios: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    // A pair per round, in alternating order (a load that comes and goes falls on both sides), each
    // over a fresh directory of the same 1,000 files. The ratio within a pair cancels slow drift.
    const [first, second] = i % 2 === 0 ? [bareRound, underVigil] : [underVigil, bareRound];
    const times = [first, second].map((side) => {
      const dir = join(work, `ckpt-${i}`);
      mkdirSync(dir);
      fillCheckpointDir(dir);
      const seconds = side(dir);
      rmSync(dir, { recursive: true });
      return seconds;
    });
    const [bare, supervised] = (i % 2 === 0 ? times : [...times].reverse()) as [number, number];
    ratios.push(supervised / bare);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const quartile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  console.log(
    `checkpoint dir of 1,000 files watched (CPU-bound trainer, ${steps} steps, a save every 200): job wall under vigil / bare, ${repeat} alternating pairs`,
  );
  console.log(
    `  ratio median ${median(ratios).toFixed(3)} (target ≤ 1.02); quartiles ${quartile(0.25).toFixed(3)}..${quartile(0.75).toFixed(3)}, min ${sorted[0]?.toFixed(3)}, max ${sorted.at(-1)?.toFixed(3)}`,
  );
  console.log(`  per pair: ${ratios.map((r) => r.toFixed(3)).join(' ')}`);
}

try {
  restartDecision();
  watchedCheckpoints();
} finally {
  rmSync(work, { recursive: true, force: true });
}
