/**
 * The diagnosis prefilter: required literals derived from regex sources, the byte automaton
 * that finds them, and the line scanner that hands over only the lines that contain one. A
 * prefilter that drops a line a rule would have matched silently loses a diagnosis, so the
 * soundness checks run on every catalog pattern against real logs.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CRASH_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { RULES } from '../../../src/core/diagnosis/catalog.ts';
import { normalizeLine } from '../../../src/core/diagnosis/normalize.ts';
import { compileLiterals, lineHasLiteral } from '../../../src/core/text/literal-automaton.ts';
import { requiredLiterals } from '../../../src/core/text/required-literals.ts';
import { type LineSink, SelectiveLines } from '../../../src/core/text/selective-lines.ts';

test('required literals: alternation, optional parts, classes, quantifiers, lookarounds, escapes', () => {
  const cases: [RegExp, string[] | null][] = [
    [/CUDA out of memory|OutOfMemoryError/, ['cuda out of memory', 'outofmemoryerror']],
    [/device-side assert(?:ion)? triggered/i, ['device-side assert triggered', 'device-side assertion triggered']],
    [/[Cc]an't pickle/, ["can't pickle"]],
    [/\bXid\b.*\b(?:48|63)\b/, ['xid']],
    [/(?:file|path)[^\n]{0,80}does not exist/, ['does not exist']],
    [/Input type \(torch\.(?!cuda)\w+\) and/, ['input type (torch.']],
    [/ab+c/, ['ab']],
    [/\d+/, null],
    [/a?b*/, null],
    [/x|\d+/, null],
    [/\x41BC\u0044/, ['abcd']],
    [/Killed\r/, ['killed ']],
  ];
  for (const [pattern, expected] of cases) {
    const got = requiredLiterals(pattern);
    assert.deepEqual(got && [...got].sort(), expected && [...expected].sort(), String(pattern));
  }
});

test('every catalog pattern has a selective literal, and every real line it matches contains one', () => {
  const lines = readCorpus<{ log: string }>(CRASH_CORPUS, 100)
    .flatMap((row) => row.log.split('\n'))
    .map((line) => normalizeLine(line).full);
  let checked = 0;
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      const literals = requiredLiterals(pattern);
      assert.ok(literals, `${rule.id}: ${pattern} has no required literal, every line would need the regex`);
      assert.ok(Math.min(...literals.map((l) => l.length)) >= 3, `${rule.id}: ${pattern} → ${JSON.stringify(literals)} is not selective`);
      for (const line of lines) {
        if (!pattern.test(line)) continue;
        checked += 1;
        const folded = line.toLowerCase().replace(/\r/g, ' ');
        assert.ok(
          literals.some((l) => folded.includes(l)),
          `${rule.id}: ${pattern} matched a line with none of ${JSON.stringify(literals)}: ${line.slice(0, 200)}`,
        );
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} matching lines checked`);
});

/** Feeds `text` in chunks of `chunkSize` bytes and collects what the scanner delivers. */
function scan(text: string, literals: string[], chunkSize: number, everyLine = false, maxLineBytes?: number) {
  const got: [number, string][] = [];
  const sink: LineSink = { line: (line, lineNo) => got.push([lineNo, line]), wantsEveryLine: () => everyLine };
  const scanner = new SelectiveLines(compileLiterals(literals), sink, maxLineBytes);
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += chunkSize) scanner.push(bytes.subarray(at, at + chunkSize));
  return { got, lines: scanner.end() };
}

test('selective lines: only lines holding a literal (any case, overlapping), at every chunk split', () => {
  const text = 'alpha\nushers here\r\nnothing\nSHE said\n\nxhisx\nlast HE';
  const expected: [number, string][] = [
    [2, 'ushers here\r'],
    [4, 'SHE said'],
    [6, 'xhisx'],
    [7, 'last HE'],
  ];
  for (let chunk = 1; chunk <= text.length + 1; chunk += 1) {
    const { got, lines } = scan(text, ['he', 'she', 'his', 'hers'], chunk);
    assert.deepEqual(got, expected, `chunk ${chunk}`);
    assert.equal(lines, 7);
  }
});

test('selective lines: every line when asked, the same lines as split("\\n"); long lines cut; UTF-8 kept', () => {
  const text = 'a\n\nü日本\nlong-' + 'x'.repeat(100) + '\nend\n';
  const expected = text.split('\n').slice(0, -1);
  for (const chunk of [1, 3, 7, 64, 1 << 16]) {
    const { got, lines } = scan(text, ['zzz'], chunk, true, 20);
    assert.deepEqual(
      got.map(([, line]) => line),
      expected.map((line) => line.slice(0, 20)),
      `chunk ${chunk}`,
    );
    assert.deepEqual(
      got.map(([n]) => n),
      [1, 2, 3, 4, 5],
    );
    assert.equal(lines, 5);
  }
  assert.equal(scan('', ['a'], 4).lines, 0);
  assert.equal(scan('x', ['a'], 4).lines, 1);
  assert.equal(scan('x\n', ['a'], 4).lines, 1);
});

test('lineHasLiteral: the same automaton over a decoded line, case-insensitive, characters beyond a byte never part of a literal', () => {
  const automaton = compileLiterals(['out of memory', 'NCCL', 'xid']);
  assert.equal(lineHasLiteral(automaton, 'RuntimeError: CUDA Out Of Memory. Tried'), true);
  assert.equal(lineHasLiteral(automaton, 'nccl WARN'), true);
  assert.equal(lineHasLiteral(automaton, 'NVRM: XID 79'), true);
  assert.equal(lineHasLiteral(automaton, 'ValueError: bad value'), false);
  assert.equal(lineHasLiteral(automaton, 'ｎｃｃｌ out of mémory'), false);
  assert.equal(lineHasLiteral(automaton, ''), false);
});

test('literals beyond ASCII: a case-sensitive pattern requires their UTF-8 bytes; the raw scanner and lineHasLiteral both find them', () => {
  const literals = requiredLiterals(/^(?:Killed|已杀死|Getötet)\s*$/);
  assert.equal(literals?.length, 3);
  assert.equal(requiredLiterals(/已杀死/i), null); // case folding beyond ASCII is not byte-wise: no literal
  const automaton = compileLiterals(literals ?? []);
  for (const line of ['已杀死', 'step 3 Getötet', '😀 已杀死 ']) assert.equal(lineHasLiteral(automaton, line), true, line);
  for (const line of ['已杀', 'GETÖTET', 'Epoch 3: ████▌ 45%']) assert.equal(lineHasLiteral(automaton, line), false, line);
  assert.deepEqual(scan('loss 0.4\n已杀死\n█ 45%\n', literals ?? [], 3).got, [[2, '已杀死']]);
});

test("no catalog literal is a word of ordinary prose or of a training job's own lines: a log that says `Error` in passing, or `loss` on every line, is skipped by the rules, as bench/explain.bench.ts counts on", () => {
  const prose = [
    '2024-01-01 12:00:00 WARNING step 5 loss 0.5: recovered from a transient Error in the metrics logger',
    'ERROR in the metrics logger: retrying',
    'Download of shard 3 failed, retrying in 5 seconds',
    'The best model will be saved to ./out after each epoch; the run is being logged, it timed out once',
    // What every training job prints, line after line: no rule may need to look at it.
    "{'loss': 0.317, 'learning_rate': 4.2e-05, 'grad_norm': 1.25, 'epoch': 1.5}",
    'Epoch 3:  45%|████▌     | 1800/4000 [01:23<01:40, 22.1it/s, loss=0.31, v_num=1]',
    'iter 200 | train loss 2.31 | gradients clipped | lr 3.0e-04 | 512 tokens/s',
  ].map((line) => line.toLowerCase());
  for (const rule of RULES)
    for (const pattern of rule.patterns)
      for (const literal of requiredLiterals(pattern) ?? [])
        for (const line of prose)
          assert.ok(!line.includes(literal), `${rule.id}: ${pattern} → ${JSON.stringify(literal)} is in prose: ${line}`);
});
