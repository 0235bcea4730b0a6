/**
 * The dashboard's speed (issue 16, "Performance"), each figure against a baseline measured in the
 * same run:
 *
 * 1. `GET /api/runs` with 1,000 runs in the database, against `vigil ps --all --json` (the CLI's
 *    same listing, process start included).
 * 2. The runs page in Chromium: its first contentful paint, its first rows (target ≤ 1 s) and
 *    all 1,000 rows, from the navigation's start.
 * 3. A run with 1,000,000 progress points: `GET /api/runs/ID/series`, against counting its points
 *    (one pass over them); and its page's chart drawn in Chromium, target ≤ 1 s.
 * 4. The server with a page open and idle: its CPU over BENCH_IDLE_S seconds, against the same
 *    server with no page open (target ≤ 1 % of a core).
 * 5. A supervised CPU-bound job with its run page open, against the same job with no page open
 *    (the work it gets done in 4 s, median of BENCH_JOBS each; target cost ≤ 1.02×).
 *
 * Run: npm run build && node --import tsx bench/web.bench.ts   (seeding takes about a minute)
 */

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import Database from 'better-sqlite3';
import { seedHome } from './seed-home.ts';
import { startWeb } from '../test/helpers/web.ts';

const repo = resolve(import.meta.dirname, '..');
const vigil = join(repo, 'dist', 'cli', 'main.js');
const idleSeconds = Number(process.env.BENCH_IDLE_S ?? 10);
const jobs = Number(process.env.BENCH_JOBS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-web-'));
const home = join(work, 'home');
const env = { ...process.env, VIGIL_HOME: home, VIGIL_NO_AUTOSTART: '1' };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const msSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
/** A process's CPU time so far, in seconds (utime + stime from /proc). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

try {
  let started = process.hrtime.bigint();
  const { bigRun } = seedHome(home, 1000, 1_000_000);
  console.log(`seeded 1,000 runs and a run of 1,000,000 points in ${(msSince(started) / 1000).toFixed(0)} s`);
  const server = await startWeb(home);
  const browser = await chromium.launch({ executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    // 1. The listing.
    const api: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      started = process.hrtime.bigint();
      await (await fetch(new URL('/api/runs', server.base))).json();
      api.push(msSince(started));
      started = process.hrtime.bigint();
      spawnSync(process.execPath, [vigil, 'ps', '--all', '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
      ps.push(msSince(started));
    }
    console.log(
      `GET /api/runs, 1,000 runs: ${median(api).toFixed(0)} ms; vigil ps --all --json: ${median(ps).toFixed(0)} ms (${(median(api) / median(ps)).toFixed(2)}×)`,
    );

    // 2. The runs page: times from the navigation's start, taken in the page (a MutationObserver
    // notes when rows first appear, and when all of them are there).
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.addInitScript(() => {
      const marks: [number, number][] = [];
      (window as unknown as { rowMarks: typeof marks }).rowMarks = marks;
      new MutationObserver(() => {
        const rows = document.querySelectorAll('table.runs tbody tr').length;
        if (rows > 0 && marks.at(-1)?.[1] !== rows) marks.push([performance.now(), rows]);
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.base}#token=${server.token}`);
    await page.waitForFunction(() => document.querySelectorAll('table.runs tbody tr').length >= 1000);
    const marks = await page.evaluate(() => (window as unknown as { rowMarks: [number, number][] }).rowMarks);
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    console.log(
      `runs page, 1,000 runs: first contentful paint ${paint.toFixed(0)} ms, first rows (${marks[0]?.[1]}) ${marks[0]?.[0].toFixed(0)} ms (target ≤ 1000), all ${marks.at(-1)?.[0].toFixed(0)} ms`,
    );

    // 3. The million-point run.
    started = process.hrtime.bigint();
    const series = (await (await fetch(new URL(`/api/runs/${bigRun}/series?width=1200`, server.base))).json()) as {
      points: { step: number[] };
    };
    const seriesMs = msSince(started);
    const db = new Database(join(home, 'vigil.db'), { readonly: true });
    started = process.hrtime.bigint();
    db.prepare(`SELECT count(*) FROM events WHERE run_id = ? AND kind = 'progress'`).get(bigRun);
    const countMs = msSince(started);
    db.close();
    console.log(
      `series of 1,000,000 points: ${seriesMs.toFixed(0)} ms for ${series.points.step.length} points; counting them once: ${countMs.toFixed(0)} ms (${(seriesMs / countMs).toFixed(2)}×)`,
    );
    started = process.hrtime.bigint();
    await page.goto(`${server.base}runs/${bigRun}`);
    await page.waitForFunction(
      () => Number(document.querySelector('.chart-box')?.getAttribute('data-points')) > 0 && document.querySelector('.chart-box canvas'),
    );
    console.log(`run page of 1,000,000 points: chart drawn ${msSince(started).toFixed(0)} ms after navigation (target ≤ 1000)`);

    // 4. Idle, with and without a page open.
    const pid = server.child.pid as number;
    await page.goto('about:blank');
    let cpu = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const closed = (cpuSeconds(pid) - cpu) / idleSeconds;
    await page.goto(`${server.base}#token=${server.token}`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await new Promise((r) => setTimeout(r, 1000));
    cpu = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const open = (cpuSeconds(pid) - cpu) / idleSeconds;
    console.log(
      `server idle: ${(open * 100).toFixed(2)} % of a core with the runs page open, ${(closed * 100).toFixed(2)} % with none (target ≤ 1 %)`,
    );

    // 5. A job's cost with its page open: the work a CPU-bound job gets done in 4 s (the page's
    // reads and streams compete with it for this machine's two cores).
    const job = [
      '-c',
      'import time\nt=time.time()\nn=0\nwhile time.time()-t < 4:\n    n+=1\n    if n % 200000 == 0: print(f"step {n//200000} loss {1/n:.6f}", flush=True)\nprint(f"done {n}", flush=True)',
    ];
    const work = async (watch: boolean): Promise<number> => {
      const child = spawn(process.execPath, [vigil, 'run', '--', 'python3', ...job], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise((r) => child.once('exit', r));
      if (watch) {
        for (let id: string | undefined; !id; await new Promise((r) => setTimeout(r, 50))) {
          id = (JSON.parse(spawnSync(process.execPath, [vigil, 'ps', '--json'], { env, encoding: 'utf8' }).stdout) as { id: string }[])[0]
            ?.id;
          if (id) await page.goto(`${server.base}runs/${id}`);
        }
      }
      await exited;
      return Number(/done (\d+)/.exec(out)?.[1] ?? NaN);
    };
    const bare: number[] = [];
    const watched: number[] = [];
    for (let i = 0; i < jobs; i += 1) {
      await page.goto('about:blank');
      bare.push(await work(false));
      watched.push(await work(true));
    }
    console.log(
      `supervised 4 s CPU-bound job: ${median(watched).toLocaleString('en-US')} iterations with its page open, ${median(bare).toLocaleString('en-US')} with none (cost ${(median(bare) / median(watched)).toFixed(3)}×, target ≤ 1.02)`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
