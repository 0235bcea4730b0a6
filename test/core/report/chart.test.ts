import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossChartSvg } from '../../../src/core/report/chart.ts';

const xsOf = (path: string) => [...path.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
const pathsOf = (svg: string) => [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1] as string);

test('monotone steps: one line whose x only grows, inside the frame', () => {
  const points = Array.from({ length: 50 }, (_, i) => ({ step: i * 10, loss: 3 / (i + 1) }));
  const svg = lossChartSvg([{ label: 'attempt 1', points }]) as string;
  const paths = pathsOf(svg);
  assert.equal(paths.length, 1);
  const xs = xsOf(paths[0] as string);
  assert.equal(xs.length, 50);
  for (let i = 1; i < xs.length; i += 1) assert.ok((xs[i] as number) > (xs[i - 1] as number), `x ${xs[i]} after ${xs[i - 1]}`);
  assert.ok(xs.every((x) => x >= 64 && x <= 704));
  assert.ok(!svg.includes('NaN'));
});

test('NaN and Infinity break the line and are marked, never drawn as coordinates', () => {
  const svg = lossChartSvg([
    {
      label: 'attempt 1',
      points: [
        { step: 1, loss: 2 },
        { step: 2, loss: 1.5 },
        { step: 3, loss: 'NaN' },
        { step: 4, loss: 'Infinity' },
        { step: 5, loss: 1.2 },
        { step: 6, loss: 1.1 },
      ],
    },
  ]) as string;
  assert.equal(pathsOf(svg).length, 2, 'the line is broken at the non-finite points');
  assert.equal((svg.match(/<line /g) ?? []).length, 2, 'one red tick per non-finite loss');
  assert.ok(!/="[^"]*NaN/.test(svg), 'no attribute holds NaN');
  assert.match(svg, /<title>step 3: loss NaN<\/title>/);
});

test('only non-finite losses: ticks on a default axis, no NaN coordinate', () => {
  const svg = lossChartSvg([{ label: 'attempt 1', points: [{ step: 7, loss: 'NaN' }] }]) as string;
  assert.ok(!/="[^"]*NaN/.test(svg));
});

test('one point: a dot in the middle of the frame, no division by zero', () => {
  const svg = lossChartSvg([{ label: 'attempt 1', points: [{ step: 100, loss: 0.5 }] }]) as string;
  assert.equal(pathsOf(svg).length, 0);
  const dot = /<circle cx="([\d.]+)" cy="([\d.]+)"/.exec(svg);
  assert.ok(dot, svg);
  assert.equal(Number(dot[1]), 384);
  assert.ok(!/NaN|Infinity/.test(svg));
});

test('a step that goes back (a resume from an earlier checkpoint) starts a new stretch of line', () => {
  const svg = lossChartSvg([
    {
      label: 'attempt 2',
      points: [
        { step: 10, loss: 1 },
        { step: 20, loss: 0.9 },
        { step: 15, loss: 0.95 },
        { step: 25, loss: 0.8 },
      ],
    },
  ]) as string;
  assert.equal(pathsOf(svg).length, 2);
});

test('nothing to draw: null', () => {
  assert.equal(lossChartSvg([]), null);
});
