/**
 * `vigil explain` speed (issue 4): a 1 GiB log made of realistic training output with a crash at
 * the end, against `grep -c -E` with the catalog's patterns on the same file in the same run.
 * Targets: ≥ 0.5× grep's throughput, ≤ 150 MB RSS; a 50 MB log in under a second.
 *
 * Run: node --import tsx bench/explain.bench.ts   (BENCH_LOG_MB to change the size)
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RULES } from '../src/core/diagnosis/catalog.ts';

const repo = resolve(import.meta.dirname, '..');
const vigil = join(repo, 'dist', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-explain-'));

/**
 * `noisy`: every line holds a word the prefilter must let through for the traceback parser or a
 * bare exception (`Error`), but no rule's literal — the worst case short of a crash on each line.
 */
function makeLog(path: string, megabytes: number, noisy = false): void {
  const block = Array.from({ length: 2000 }, (_, i) =>
    noisy
      ? `2024-01-01 12:00:00 WARNING step ${i} loss 0.${i % 97}: recovered from a transient Error in the metrics logger\n`
      : i % 10 === 0
        ? `Epoch 3:  45%|████▌     | ${i}/4000 [01:23<01:40, 22.1it/s, loss=0.${i % 97}, v_num=3]\r`
        : `{'loss': 0.${(i * 7) % 1000}, 'learning_rate': 4.2e-05, 'epoch': 1.${i % 100}}\n`,
  ).join('');
  const fd = openSync(path, 'w');
  const bytes = Buffer.from(block);
  for (let written = 0; written < megabytes << 20; written += bytes.length) writeSync(fd, bytes);
  writeSync(
    fd,
    'Traceback (most recent call last):\n  File "train.py", line 10, in <module>\n    loss.backward()\ntorch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n',
  );
  closeSync(fd);
}

function timed(argv: string[]): { seconds: number; rssMb: number; stdout: string } {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: seconds!, rssMb: kb! / 1024, stdout: result.stdout };
}

const patternsFile = join(work, 'patterns');
// grep -E has no lookarounds or named groups: give it the same alternatives in its dialect.
writeFileSync(
  patternsFile,
  RULES.flatMap((r) =>
    r.patterns.map((p) =>
      p.source
        .replace(/\(\?<\w+>/g, '(')
        .replace(/\(\?:/g, '(')
        .replace(/\(\?[!=][^)]*\)/g, '')
        .replace(/\\d/g, '[0-9]')
        .replace(/\\s/g, '[[:space:]]')
        .replace(/\\w/g, '[[:alnum:]_]')
        .replace(/\\b/g, ''),
    ),
  ).join('\n'),
);

for (const [megabytes, noisy] of [
  [50, false],
  [50, true],
  [Number(process.env.BENCH_LOG_MB ?? 1024), false],
] as const) {
  const log = join(work, `train-${megabytes}${noisy ? '-noisy' : ''}.log`);
  makeLog(log, megabytes, noisy);
  const grep = timed(['grep', '-c', '-i', '-E', '-f', patternsFile, log]);
  const explain = timed([process.execPath, vigil, 'explain', '--json', log]);
  const category = JSON.parse(explain.stdout).category;
  console.log(
    `${megabytes} MB ${noisy ? 'noisy ' : ''}log: grep -c -E ${grep.seconds.toFixed(2)} s, vigil explain ${explain.seconds.toFixed(2)} s (${category}), RSS ${explain.rssMb.toFixed(0)} MB`,
  );
  console.log(`  throughput vs grep: ${(grep.seconds / explain.seconds).toFixed(2)}× (target ≥ 0.5× on 1 GB; a 50 MB log under 1 s)`);
  rmSync(log);
}
rmSync(work, { recursive: true, force: true });
