/**
 * Verifying a 2 GiB checkpoint against its manifest (sha256 in a worker thread) against
 * `openssl dgst -sha256` on the same file, alternately in the same run (so the page cache and the
 * load of a shared machine fall on both sides), with the event loop's delay sampled throughout.
 * Targets (issue 11, "Speed"): ≥ 0.9× openssl's throughput; event-loop delay ≤ 50 ms.
 *
 * Why sha256 rather than BLAKE3: node:crypto has it (OpenSSL's, with SHA-NI where the CPU has it),
 * so no native dependency; BLAKE3 would need a native or wasm package for a gain only past the disk's speed.
 *
 * Then sealing a directory of 1,000 small checkpoints (what `--checkpoints` meets on a directory
 * written before vigil watched it): every manifest made and made durable in one batch
 * (writeManifests), against one manifest at a time with a sync each (writeManifest in a loop, how
 * it was done), and against `sha256sum` of the same files (the hashing alone, nothing written).
 *
 * Run: npm run build && node --import tsx bench/checkpoints.bench.ts   (BENCH_GIB=N sizes the file, BENCH_REPEAT=N the rounds)
 */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

// What ships: the built modules (npm run build) when there are some. Under tsx each hashing thread
// would first boot tsx, which in Node 20 stalls the main loop for tens of ms and measures tsx, not vigil.
const built = join(import.meta.dirname, '..', 'dist', 'platform', 'checkpoints');
const fromDist = existsSync(join(built, 'manifest.js'));
const { checkpointFiles } = (await import(
  fromDist ? join(built, 'files.js') : '../src/platform/checkpoints/files.ts'
)) as typeof import('../src/platform/checkpoints/files.ts');
const { differenceFromManifest, manifestPath, writeManifest, writeManifests } = (await import(
  fromDist ? join(built, 'manifest.js') : '../src/platform/checkpoints/manifest.ts'
)) as typeof import('../src/platform/checkpoints/manifest.ts');

const GIB = 1024 ** 3;
const size = Number(process.env.BENCH_GIB ?? 2) * GIB;
const rounds = Number(process.env.BENCH_REPEAT ?? 3);
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'vigil-bench-ckpt-'));
const file = join(work, 'model.safetensors');

function writeBigFile(): void {
  const block = randomBytes(16 * 1024 * 1024);
  const fd = openSync(file, 'w');
  for (let written = 0; written < size; written += block.length) writeSync(fd, block, 0, Math.min(block.length, size - written));
  closeSync(fd);
}

function timeOpenssl(): number {
  const start = performance.now();
  const result = spawnSync('openssl', ['dgst', '-sha256', file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return performance.now() - start;
}

async function timeVigil(manifest: Awaited<ReturnType<typeof writeManifest>>): Promise<{ ms: number; maxDelay: number; p99Delay: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // A timer that must keep firing while the hash runs: the loop stays free for the supervisor's work.
  const ticker = setInterval(() => undefined, 5);
  const start = performance.now();
  const difference = await differenceFromManifest(file, manifest, await checkpointFiles(file));
  const ms = performance.now() - start;
  clearInterval(ticker);
  delay.disable();
  if (difference !== null) throw new Error(`verification failed: ${difference}`);
  return { ms, maxDelay: delay.max / 1e6, p99Delay: delay.percentile(99) / 1e6 };
}

/** The same probe with nothing to do, as long: how much delay the machine itself adds (a shared, loaded host adds plenty). */
async function idleDelay(ms: number): Promise<{ maxDelay: number; p99Delay: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const ticker = setInterval(() => undefined, 5);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(ticker);
  delay.disable();
  return { maxDelay: delay.max / 1e6, p99Delay: delay.percentile(99) / 1e6 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** 1,000 checkpoints of 4 KiB, Lightning-named, without manifests. */
function smallCheckpoints(): string[] {
  const dir = join(work, 'many');
  mkdirSync(dir);
  return Array.from({ length: 1000 }, (_, step) => {
    const path = join(dir, `epoch=0-step=${step * 10}.ckpt`);
    writeFileSync(path, randomBytes(4096));
    return path;
  });
}

async function timeSealing(paths: string[]): Promise<{ batch: number; oneByOne: number; sha256sum: number }[]> {
  const unseal = () => paths.forEach((path) => rmSync(manifestPath(path), { force: true }));
  const results = [];
  for (let i = 0; i < rounds; i++) {
    let start = performance.now();
    const hashed = spawnSync('sha256sum', paths, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (hashed.status !== 0) throw new Error(`sha256sum failed: ${hashed.stderr}`);
    const sha256sum = performance.now() - start;
    unseal();
    start = performance.now();
    await writeManifests(paths.map((checkpoint, step) => ({ checkpoint, step: step * 10 })));
    const batch = performance.now() - start;
    unseal();
    start = performance.now();
    for (const [step, checkpoint] of paths.entries()) await writeManifest(checkpoint, step * 10);
    const oneByOne = performance.now() - start;
    unseal();
    results.push({ batch, oneByOne, sha256sum });
  }
  return results;
}

try {
  writeBigFile();
  const manifest = await writeManifest(file, null); // also warms the page cache
  timeOpenssl();
  const openssl: number[] = [];
  const vigil: { ms: number; maxDelay: number; p99Delay: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    openssl.push(timeOpenssl());
    vigil.push(await timeVigil(manifest));
  }
  const idle = await idleDelay(median(vigil.map((v) => v.ms)));
  const mibps = (ms: number) => size / 1024 ** 2 / (ms / 1000);
  const ratio = mibps(median(vigil.map((v) => v.ms))) / mibps(median(openssl));
  const maxDelay = Math.max(...vigil.map((v) => v.maxDelay));
  const p99 = Math.max(...vigil.map((v) => v.p99Delay));
  console.log(
    `verify ${size / GIB} GiB checkpoint (sha256 against its manifest, ${fromDist ? 'dist' : 'src under tsx'}), ${rounds} rounds, medians:`,
  );
  console.log(`  openssl dgst -sha256   ${mibps(median(openssl)).toFixed(0)} MiB/s`);
  console.log(
    `  vigil (worker thread)  ${mibps(median(vigil.map((v) => v.ms))).toFixed(0)} MiB/s   ratio ${ratio.toFixed(2)}× (target ≥ 0.9×)`,
  );
  console.log(`  event-loop delay       max ${maxDelay.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target ≤ 50 ms)`);
  console.log(
    `  idle baseline          max ${idle.maxDelay.toFixed(1)} ms, p99 ${idle.p99Delay.toFixed(1)} ms (the same probe, nothing running)`,
  );
  if (ratio < 0.9 || maxDelay > 50) process.exitCode = 1;

  const sealing = await timeSealing(smallCheckpoints());
  const ms = (key: 'batch' | 'oneByOne' | 'sha256sum') => median(sealing.map((r) => r[key]));
  console.log(`seal 1,000 checkpoints of 4 KiB (manifests made durable), ${rounds} rounds, medians:`);
  console.log(`  sha256sum of the same files  ${ms('sha256sum').toFixed(0)} ms (hashing only, nothing written)`);
  console.log(`  one at a time, a sync each   ${ms('oneByOne').toFixed(0)} ms`);
  console.log(
    `  in one batch (vigil)         ${ms('batch').toFixed(0)} ms: ${(ms('oneByOne') / ms('batch')).toFixed(1)}× faster than one at a time, ${(ms('batch') / ms('sha256sum')).toFixed(1)}× sha256sum`,
  );
  console.log(`  per round (batch / one at a time): ${sealing.map((r) => `${r.batch.toFixed(0)}/${r.oneByOne.toFixed(0)}`).join(' ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
