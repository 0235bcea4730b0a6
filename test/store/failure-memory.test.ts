import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FailureMemory } from '../../src/core/memory/seen-before.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FAILURES_QUERY, readFailureRecords, readRunOutlines } from '../../src/store/failure-memory.ts';
import { RunStore } from '../../src/store/runs.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

const home = mkdtempSync(join(tmpdir(), 'vigil-memory-'));
after(() => (process.env.KEEP_HOME ? console.log(home) : rmSync(home, { recursive: true, force: true })));

/** A diagnosis the size real ones are (evidence lines, fixes): what SQLite must read through. */
function diagnosis(i: number) {
  const gib = (i % 7) + 1;
  return {
    category: i % 3 === 0 ? 'shape_error' : 'cuda_oom',
    retryable: false,
    summary: 'CUDA out of memory while allocating a tensor on GPU 0',
    evidence: Array.from({ length: 6 }, (_, line) => ({
      line: 1000 + line,
      text: `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${gib}.00 GiB (GPU 0; 79.15 GiB total capacity; ${line}.5 GiB already allocated) `.repeat(
        2,
      ),
    })),
    where: { file: `/home/ana/proj/train${i % 5}.py`, line: 40 + (i % 9), function: 'forward' },
    process: 'main',
    exception:
      i % 3 === 0
        ? { type: 'RuntimeError', message: `mat1 and mat2 shapes cannot be multiplied (${i}x512 and 256x10)` }
        : { type: 'torch.OutOfMemoryError', message: `CUDA out of memory. Tried to allocate ${gib}.00 GiB (GPU 0)` },
    confidence: 0.95,
    rule: 'cuda-oom',
    fixes: ['Reduce the batch size (or use gradient accumulation)', 'Enable activation checkpointing', 'Use mixed precision (bf16)'],
  };
}

describe('failure memory, computed on read', () => {
  const db = openDatabase(join(home, 'vigil.db'));
  const store = new RunStore(db);
  const RUNS = 10_000;
  const t0 = Date.UTC(2025, 0, 1);
  db.transaction(() => {
    for (let i = 0; i < RUNS; i += 1) {
      const failed = i % 10 !== 9;
      const run = runRecord(home, {
        id: `run${String(i).padStart(5, '0')}`,
        name: `job${i % 50}`,
        command: ['python', `train${i % 5}.py`, '--batch', '{BATCH}'],
        cwd: '/home/ana/proj',
        createdAt: t0 + i * 60_000,
        endedAt: t0 + i * 60_000 + 30_000,
        status: failed ? 'failed' : 'succeeded',
        exitCode: failed ? 1 : 0,
      });
      store.insertRun(run);
      store.insertAttempt(attemptRecord(run, { diagnosis: failed ? diagnosis(i) : null, params: { BATCH: failed ? 64 : 16 } }));
    }
  })();

  it('reads the failures from the index alone, parsing no diagnosis', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${FAILURES_QUERY}`).all() as { detail: string }[];
    assert.match(plan.map((step) => step.detail).join('\n'), /USING COVERING INDEX attempts_failures/);
  });

  it('reads the failures and the runs', () => {
    const failures = readFailureRecords(db);
    const runs = readRunOutlines(db);
    assert.equal(failures.length, RUNS * 0.9);
    assert.equal(runs.length, RUNS);
    assert.deepEqual(runs.find((run) => run.id === 'run09999')?.params, { BATCH: 16 }, 'what worked');
    assert.equal(failures.find((f) => f.runId === 'run00001')?.diagnosis.where?.function, 'forward');
  });

  it('answers `vigil show` and `vigil history` for 10,000 runs in well under a second', () => {
    const started = performance.now();
    const failures = readFailureRecords(db);
    const read = performance.now() - started;
    const runs = readRunOutlines(db);
    const outlined = performance.now() - started;
    const memory = new FailureMemory(failures, runs);
    const seen = memory.seenBefore('run09994', 1);
    const shown = performance.now() - started;
    const summaries = memory.signatures();
    const listed = performance.now() - started;
    // Figures for the report: printed, not asserted (a shared machine's timings vary).
    console.log(
      `# 10,000 runs: failures read ${read.toFixed(0)} ms, runs read ${outlined.toFixed(0)} ms, seen_before ${shown.toFixed(0)} ms, history ${listed.toFixed(0)} ms`,
    );
    assert.ok(seen && seen.count > 600, 'seen many times before');
    assert.match(seen.fixed_by?.run ?? '', /^run09999$/);
    assert.equal(summaries.length, 10, 'per file, one for the OOMs of every size and one for the shape errors of every shape');
    assert.ok(shown < 2000, `seen_before took ${shown.toFixed(0)} ms`);
  });
});
