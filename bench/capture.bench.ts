/**
 * Log capture costs the job nothing (issue 3). Two measurements, each against a baseline run in
 * the same process, so the ratio is meaningful on any machine:
 *
 * 1. A child writes 1 GiB to stdout in 64 KiB writes: its own wall time under `vigil run` (stdout
 *    not a TTY, echo on and off) against `sh -c 'CMD > file'`. Targets: ratio ≤ 1.10, vigil's
 *    peak RSS ≤ 80 MB. Also printed: the end-to-end difference, vigil's fixed cost (node start,
 *    catching up with the log, recording the run), which a sub-second job makes look large.
 * 2. A chatty trainer (20,000 short lines/s for 10 s): the job's own wall time under vigil
 *    against bare (stdout to a file). Target: ratio ≤ 1.02.
 * 3. A flood: 5 million short lines, one write() each, as fast as the job can: its own wall
 *    time under vigil against bare, and that vigil has caught up when it ends. Target: ≤ 1.10.
 *
 * Run: npm run bench   (BENCH_REPEAT=N, BENCH_CHATTY_SECONDS=S to change the work)
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const vigil = join(repo, 'dist', 'cli', 'main.js');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'pass']).status === 0) ?? 'python3';
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const chattySeconds = process.env.BENCH_CHATTY_SECONDS ?? '10';
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const env = { ...process.env, VIGIL_HOME: join(work, 'home') };

/** Runs argv under a Python wrapper that reports wall seconds and the peak RSS of its largest child. */
function measure(argv: string[], stdoutTo: string): { seconds: number; peakRssMb: number; stdout: string } {
  const wrapper = `
import resource, subprocess, sys, time
out = open(sys.argv[1], "wb")
start = time.monotonic()
subprocess.run(sys.argv[2:], stdout=out, check=False)
print(time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
`;
  const result = spawnSync(python, ['-c', wrapper, stdoutTo, ...argv], { env, encoding: 'utf8' });
  const [seconds, peakRssMb] = result.stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: seconds!, peakRssMb: peakRssMb!, stdout: result.stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The job's own wall time, from the clock readings it printed first and last (`date +%s.%N`). */
function jobWall(output: string): number {
  const lines = output.split('\n').filter((line) => /^\d+\.\d+$/.test(line));
  return Number(lines.at(-1)) - Number(lines[0]);
}

const signedMs = (seconds: number) => `${seconds >= 0 ? '+' : ''}${(seconds * 1000).toFixed(0)} ms`;

function gibWriter(): void {
  // Prints the time, writes 1 GiB, prints the time: the job's own wall time is in its output.
  const writer = ['sh', '-c', 'date +%s.%N; dd if=/dev/zero bs=64K count=16384 status=none; echo; date +%s.%N'];
  const bare: number[] = [];
  const bareOuter: number[] = [];
  const supervised: number[] = [];
  const supervisedOuter: number[] = [];
  const rss: number[] = [];
  const edges = (file: string) => spawnSync('sh', ['-c', `head -c 40 ${file}; tail -c 40 ${file}`], { encoding: 'latin1' }).stdout;
  for (let i = 0; i < repeat; i += 1) {
    const file = join(work, 'bare.out');
    bareOuter.push(measure(['sh', '-c', `${writer.map((w) => `'${w}'`).join(' ')} > ${file}`], '/dev/null').seconds);
    bare.push(jobWall(edges(file)));
    rmSync(file, { force: true });
    for (const echo of [[], ['-q']]) {
      const run = measure([process.execPath, vigil, 'run', ...echo, '--', ...writer], '/dev/null');
      const log = spawnSync(process.execPath, [vigil, 'show', 'last', '--json'], { env, encoding: 'utf8' }).stdout;
      supervised.push(jobWall(edges(JSON.parse(log).log_path as string)));
      supervisedOuter.push(run.seconds);
      rss.push(run.peakRssMb);
      rmSync(join(work, 'home', 'runs'), { recursive: true, force: true });
    }
  }
  console.log(
    `1 GiB in 64 KiB writes: job wall bare ${median(bare).toFixed(3)} s, under vigil ${median(supervised).toFixed(3)} s (median of ${repeat}, echo on and off)`,
  );
  console.log(
    `  ratio ${(median(supervised) / median(bare)).toFixed(3)} (target ≤ 1.10), vigil peak RSS ${Math.max(...rss).toFixed(1)} MB (target ≤ 80)`,
  );
  console.log(
    `  end to end (vigil's start, catching up, recording): bare ${median(bareOuter).toFixed(3)} s, under vigil ${median(supervisedOuter).toFixed(3)} s (${signedMs(median(supervisedOuter) - median(bareOuter))})`,
  );
}

function chatty(): void {
  const job = [python, join(repo, 'bench', 'chatty.py'), '20000', chattySeconds];
  const wall = (text: string) => Number(/JOB_WALL ([\d.]+)/.exec(text)?.[1]);
  const bareFile = join(work, 'chatty.out');
  const bare = measure(['sh', '-c', `${job.join(' ')} > ${bareFile}`], '/dev/null');
  const bareWall = wall(spawnSync('tail', ['-1', bareFile], { encoding: 'utf8' }).stdout);
  const vigilOut = join(work, 'chatty-vigil.out');
  measure([process.execPath, vigil, 'run', '--', ...job], vigilOut);
  const vigilWall = wall(spawnSync('tail', ['-1', vigilOut], { encoding: 'utf8' }).stdout);
  console.log(
    `chatty trainer (20,000 lines/s for ${chattySeconds} s): job wall bare ${bareWall.toFixed(3)} s, under vigil ${vigilWall.toFixed(3)} s`,
  );
  console.log(`  ratio ${(vigilWall / bareWall).toFixed(4)} (target ≤ 1.02); outer wall bare ${bare.seconds.toFixed(2)} s`);
}

function flood(): void {
  const lines = process.env.BENCH_FLOOD_LINES ?? '5000000';
  const job = [python, join(repo, 'bench', 'flood.py'), lines];
  const wall = (text: string) => Number(/JOB_WALL ([\d.]+)/.exec(text)?.[1]);
  const bareFile = join(work, 'flood.out');
  spawnSync('sh', ['-c', `PYTHONUNBUFFERED=1 ${job.join(' ')} > ${bareFile}`]);
  const bareWall = wall(spawnSync('tail', ['-1', bareFile], { encoding: 'utf8' }).stdout);
  rmSync(bareFile, { force: true });
  const run = measure([process.execPath, vigil, 'run', '-q', '--', ...job], '/dev/null');
  const log = spawnSync(process.execPath, [vigil, 'logs', 'last', '--tail', '1'], { env, encoding: 'utf8' }).stdout;
  const vigilWall = wall(log);
  console.log(`flood (${lines} lines, one write each): job wall bare ${bareWall.toFixed(3)} s, under vigil ${vigilWall.toFixed(3)} s`);
  console.log(
    `  ratio ${(vigilWall / bareWall).toFixed(3)} (target ≤ 1.10); vigil done ${(run.seconds - vigilWall).toFixed(2)} s after the job's last line, peak RSS ${run.peakRssMb.toFixed(1)} MB`,
  );
  rmSync(join(work, 'home', 'runs'), { recursive: true, force: true });
}

gibWriter();
chatty();
flood();
rmSync(work, { recursive: true, force: true });
