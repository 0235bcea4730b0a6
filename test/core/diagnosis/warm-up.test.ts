/**
 * A failed attempt's diagnosis stands between the job's end and its record (and any restart). V8
 * compiles each of the rules' regular expressions on its first use, so the first diagnosis in a
 * process costs ~10× the next; `vigil run` pays that while the job runs (warmUpRules). Measured in
 * fresh processes, as a ratio, so that the machine's speed and load cancel out.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const DIAGNOSE = new URL('../../../src/core/diagnosis/diagnose.ts', import.meta.url).href;

/** Milliseconds a small failed log's diagnosis takes in a fresh process, after `warmUpRules` or not. */
function firstDiagnosisMs(warm: boolean): number {
  const script = `
    import { Diagnoser, warmUpRules } from ${JSON.stringify(DIAGNOSE)};
    const log = 'epoch 1 step 10 loss 2.31\\nTraceback (most recent call last):\\n  File "fit.py", line 9, in <module>\\n    batch = next(it)\\nKeyError: \\'label\\'\\n';
    if (${warm}) warmUpRules();
    const start = performance.now();
    const diagnoser = new Diagnoser({ everyLine: true });
    diagnoser.push(Buffer.from(log));
    const diagnosis = diagnoser.finish({ exitCode: 1 });
    console.log(JSON.stringify({ ms: performance.now() - start, type: diagnosis.exception?.type }));
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const { ms, type } = JSON.parse(result.stdout) as { ms: number; type: string };
  assert.equal(type, 'KeyError');
  return ms;
}

test('after warmUpRules, the first diagnosis of a failed log costs under half a cold one', () => {
  // The best of three each: a pause of the machine can only make one slower. Idle, warm is ~0.2 of cold; under a full
  // suite's load ~0.37 was seen; without the warm-up it is ~0.85, so half tells the two apart with room on both sides.
  const cold = Math.min(...[0, 1, 2].map(() => firstDiagnosisMs(false)));
  const warm = Math.min(...[0, 1, 2].map(() => firstDiagnosisMs(true)));
  assert.ok(warm < cold / 2, `warm ${warm.toFixed(1)} ms, cold ${cold.toFixed(1)} ms`);
});
