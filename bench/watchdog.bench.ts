/**
 * Watchdog speed (issue 5), each against a baseline measured in the same run:
 * - progress parsing of tqdm-heavy trainer output vs. only decoding the same bytes (target:
 *   keeps up with ≥ 50 MB/s on one core);
 * - stall detection latency: a job that stops making progress, timeout 1 s (target: reported
 *   within 1 s of the timeout).
 * What the Python hooks cost (start-up, forks, import torch) is bench/hooks.bench.ts.
 *
 * Run: node --import tsx bench/watchdog.bench.ts
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProgressTracker } from '../src/core/progress/progress-tracker.ts';

const repo = resolve(import.meta.dirname, '..');
const python = '/usr/bin/python3';

// 1. Parsing, against decoding the same bytes (reading them without parsing), 512 MB each.
function measureParsing(what: string, chunk: Buffer): void {
  const chunks = Math.ceil((512 << 20) / chunk.length);
  const decoder = new TextDecoder();
  let decoded = 0;
  let start = performance.now();
  for (let i = 0; i < chunks; i += 1) decoded += decoder.decode(chunk, { stream: true }).length;
  const decodeSeconds = (performance.now() - start) / 1000;
  const tracker = new ProgressTracker();
  start = performance.now();
  for (let i = 0; i < chunks; i += 1) tracker.pushBytes(chunk, i);
  const parseSeconds = (performance.now() - start) / 1000;
  const mb = (chunks * chunk.length) / 1e6;
  console.log(
    `progress parsing, ${what}: ${(mb / parseSeconds).toFixed(0)} MB/s (decode only: ${(mb / decodeSeconds).toFixed(0)} MB/s, ratio ${(decodeSeconds / parseSeconds).toFixed(2)}) target ≥ 50 MB/s [step ${tracker.progress.step}, ${decoded} chars]`,
  );
}

// 64 KiB chunks of tqdm redraws with HF log dicts between them.
const redraws = Array.from({ length: 600 }, (_, i) =>
  i % 100 === 99
    ? `{'loss': 0.${i}, 'learning_rate': 4.2e-05, 'epoch': 1.${i}}\n`
    : `\rEpoch 1:  45%|████▌     | ${i}/1000 [01:23<01:40,  5.42it/s, loss=0.3${i % 10}, v_num=1]`,
).join('');
measureParsing('tqdm redraws', Buffer.from(redraws));
// Short step lines, as a job printing every step unbuffered produces them, in the 1 MiB chunks
// the log follower reads when it is behind.
const lines = Array.from({ length: 26_000 }, (_, i) => `epoch 1 step ${i}/1000000 loss ${(1 / (i + 1)).toFixed(4)}\n`).join('');
measureParsing('short lines', Buffer.from(lines));

const work = mkdtempSync(join(tmpdir(), 'vigil-bench-watchdog-'));

// 2. Stall latency: 5 steps, then silence; progress timeout 1 s.
const home = join(work, 'home');
const script = 'import time\nfor i in range(5):\n    print(f"step {i}", flush=True)\n    time.sleep(0.1)\ntime.sleep(60)\n';
const t0 = Date.now();
const run = spawnSync(
  process.execPath,
  [join(repo, 'dist', 'cli', 'main.js'), 'run', '-q', '--progress-timeout', '1s', '--', python, '-c', script],
  {
    env: { ...process.env, VIGIL_HOME: home },
    encoding: 'utf8',
  },
);
const show = JSON.parse(
  spawnSync(process.execPath, [join(repo, 'dist', 'cli', 'main.js'), 'show', 'last', '--json'], {
    env: { ...process.env, VIGIL_HOME: home },
    encoding: 'utf8',
  }).stdout,
);
const lastStepAt = show.progress.updated_at as number;
const detectedAt = Date.parse(show.attempts[0].ended_at) - 0;
console.log(
  `stall: last step at +${lastStepAt - t0} ms, attempt ended (stacks taken, job stopped) ${detectedAt - lastStepAt} ms after it; timeout 1000 ms → reported within ${Math.max(0, detectedAt - lastStepAt - 1000)} ms (target ≤ 1000 ms) [${run.status}]`,
);
rmSync(work, { recursive: true, force: true });
