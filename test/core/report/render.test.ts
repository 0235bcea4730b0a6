import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_REPORT_BYTES, renderWithin } from '../../../src/core/report/fit.ts';
import { buildReportModel, type ReportInput } from '../../../src/core/report/model.ts';
import { escapeHtml, renderHtml } from '../../../src/core/report/render-html.ts';
import { escapeMarkdown, fenced, renderMarkdown } from '../../../src/core/report/render-markdown.ts';

const T0 = Date.UTC(2025, 0, 1);

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const diagnosis = {
    category: 'shape_error',
    retryable: false,
    summary: 'mat1 and mat2 shapes cannot be multiplied',
    evidence: [{ line: 12, text: 'RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)' }],
    where: { file: 'train.py', line: 30, function: 'forward' },
    process: 'main',
    exception: { type: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied' },
    confidence: 0.9,
    rule: 'shape',
    fixes: ['check the layer sizes'],
    stacks: [{ process: 'main', pid: 42, text: 'Thread 0x1 (most recent call first):\n  File "train.py", line 30 in forward' }],
  };
  return {
    run: {
      id: 'r1abc',
      name: 'seed<1>',
      command: ['python3', 'train.py', '--lr', '0.1'],
      cwd: '/work/project',
      runDir: '/h/runs/r1abc',
      createdAt: T0,
      endedAt: T0 + 60_000,
      exitCode: 1,
      signal: null,
      cgroupPath: null,
      status: 'failed',
    },
    attempts: [
      {
        n: 1,
        pid: 42,
        pgid: 42,
        startedAt: T0 + 100,
        endedAt: T0 + 60_000,
        exitCode: 1,
        signal: null,
        peakRssBytes: 512 * 1024 * 1024,
        memoryMeasure: 'pss',
        logPath: '/h/runs/r1abc/attempt-1.log',
        stopReason: null,
        diagnosis,
      },
    ],
    events: [
      { attempt: 1, at: T0 + 5000, kind: 'progress', data: { step: 1, metrics: { loss: 2.5 } } },
      { attempt: 1, at: T0 + 10_000, kind: 'checkpoint', data: { path: '/ck/step-2.pt', step: 2 } },
    ],
    logTails: [
      {
        attempt: 1,
        path: '/h/runs/r1abc/attempt-1.log',
        sizeBytes: 300,
        lines: ['step 2 loss 2.0', 'step 3 loss 1.5', 'boom'],
        complete: true,
      },
    ],
    environment: [{ label: 'vigil', value: '0.1.0' }],
    declaredEnv: null,
    secretValues: [],
    generatedAt: T0 + 70_000,
    ...overrides,
  };
}

test('the model: cause, attempts with peak memory, timeline, stacks, chart points from events then the log tail', () => {
  const model = buildReportModel(input());
  assert.equal(model.cause?.category, 'shape_error');
  assert.equal(model.cause?.where, 'train.py:30 in forward');
  assert.equal(model.attempts[0]?.peakMemory, '512 MiB (PSS)');
  assert.deepEqual(
    model.timeline.map((e) => e.text),
    ['attempt 1 started (pid 42)', 'checkpoint saved: /ck/step-2.pt (step 2)', 'attempt 1 ended: exit 1'],
  );
  assert.equal(model.stacks.length, 1);
  assert.deepEqual(model.chart[0]?.points, [
    { step: 1, loss: 2.5 },
    { step: 2, loss: 2 },
    { step: 3, loss: 1.5 },
  ]);
});

test('HTML escaping: markup a job printed or a run was named with is text, never markup', () => {
  const hostile = '<script>alert(1)</script><img src=http://evil/x.png>';
  const html = renderHtml(
    buildReportModel(
      input({ logTails: [{ attempt: 1, path: '/l', sizeBytes: 1, lines: [hostile, `"quoted" & 'single'`], complete: true }] }),
    ),
  );
  assert.ok(!html.includes('<script>'));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;quoted&quot; &amp; &#39;single&#39;'));
  assert.ok(html.includes('seed&lt;1&gt;'));
  assert.equal(escapeHtml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  // Nothing is fetched: no element that loads anything, no url() in the style.
  assert.ok(!/<(?:script|img|link|iframe|object|embed)\b/i.test(html));
  assert.ok(!/url\(/.test(html));
  assert.match(html, /<svg /);
});

test('Markdown: a log line cannot close its fence, a cell cannot break its table', () => {
  assert.equal(fenced(['a ``` b']), '````text\na ``` b\n````');
  assert.equal(escapeMarkdown('a|b\n<x>'), 'a\\|b \\<x\\>');
  const md = renderMarkdown(
    buildReportModel(input({ logTails: [{ attempt: 1, path: '/l', sizeBytes: 1, lines: ['```', '# not a heading'], complete: true }] })),
  );
  assert.match(md, /````text\n```\n# not a heading\n````/);
  assert.match(md, /shape_error/);
});

test('size bound: a run with huge lines, thousands of events and stacks still renders under 2 MB', () => {
  const long = 'x&<'.repeat(40_000);
  const events = Array.from({ length: 20_000 }, (_, i) => ({
    attempt: 1,
    at: T0 + i,
    kind: 'python_exception',
    data: { type: 'E', message: long },
  }));
  const progress = Array.from({ length: 50_000 }, (_, i) => ({
    attempt: 1,
    at: T0 + i,
    kind: 'progress',
    data: { step: i, metrics: { loss: 1 / (i + 1) } },
  }));
  const base = input();
  const diagnosis = {
    ...(base.attempts[0]?.diagnosis as object),
    stacks: Array.from({ length: 100 }, () => ({ process: 'w', pid: 1, text: long })),
  };
  const attempts = Array.from({ length: 30 }, (_, i) => ({ ...base.attempts[0]!, n: i + 1, diagnosis }));
  const logTails = attempts.map((a) => ({
    attempt: a.n,
    path: '/l',
    sizeBytes: 1e9,
    lines: Array.from({ length: 2000 }, () => long),
    complete: false,
  }));
  const big = input({ attempts, events: [...events, ...progress], logTails });
  for (const render of [renderHtml, renderMarkdown]) {
    const text = renderWithin(big, render);
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes <= MAX_REPORT_BYTES, `${bytes} bytes`);
    assert.match(text, /shape_error/, 'the cause survives the cuts');
    assert.match(text, /left out/);
  }
});
