/**
 * The loss against the step, as a small hand-written SVG (a string: no DOM, no library), one line
 * per attempt. A non-finite loss (NaN, ±Infinity) cannot be placed on the axis: it breaks the line
 * and is marked by a red tick at the top edge, where a reader looks for the moment it went wrong.
 */

import type { LossValue } from '../progress/parse-line.ts';

export type ChartPoint = { step: number; loss: LossValue };
export type ChartSeries = { label: string; points: readonly ChartPoint[] };

const WIDTH = 720;
const HEIGHT = 280;
const MARGIN = { left: 64, right: 16, top: 20, bottom: 36 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#17becf'];
const NON_FINITE_COLOUR = '#d62728';

const finite = (loss: LossValue): loss is number => typeof loss === 'number' && Number.isFinite(loss);

/** A number short enough for an axis label. */
function label(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

/** [min, max] widened when it is a single value, so that one point sits in the middle. */
function range(values: readonly number[]): [number, number] {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    low -= pad;
    high += pad;
  }
  return [low, high];
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The chart's SVG; null when no point has a step (nothing to draw). */
export function lossChartSvg(series: readonly ChartSeries[]): string | null {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return null;
  const losses = all.map((p) => p.loss).filter(finite);
  const [stepLow, stepHigh] = range(all.map((p) => p.step));
  const [lossLow, lossHigh] = losses.length > 0 ? range(losses) : [0, 1];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (step: number) => (MARGIN.left + ((step - stepLow) / (stepHigh - stepLow)) * plotWidth).toFixed(1);
  const y = (loss: number) => (MARGIN.top + (1 - (loss - lossLow) / (lossHigh - lossLow)) * plotHeight).toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="loss by step" font-family="sans-serif" font-size="11">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="#fafafa" stroke="#999"/>`,
    `<text x="${MARGIN.left}" y="${HEIGHT - 6}">${label(stepLow)}</text>`,
    `<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 6}" text-anchor="end">${label(stepHigh)}</text>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">step</text>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 10}" text-anchor="end">${label(lossHigh)}</text>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + plotHeight}" text-anchor="end">${label(lossLow)}</text>`,
    `<text x="12" y="${MARGIN.top + plotHeight / 2}" transform="rotate(-90 12 ${MARGIN.top + plotHeight / 2})" text-anchor="middle">loss</text>`,
  ];
  series.forEach((line, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    parts.push(...seriesShapes(line, colour, x, y), legend(line.label, colour, index));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** One attempt's line: broken at each non-finite loss and wherever the step goes back (a resume from an earlier checkpoint). */
function seriesShapes(line: ChartSeries, colour: string, x: (step: number) => string, y: (loss: number) => string): string[] {
  const shapes: string[] = [];
  let path = '';
  let previousStep = Number.NEGATIVE_INFINITY;
  let run = 0;
  const flush = () => {
    if (run === 1) {
      const [, px, py] = /M(\S+) (\S+)/.exec(path) as RegExpExecArray;
      shapes.push(`<circle cx="${px}" cy="${py}" r="3" fill="${colour}"/>`);
    } else if (run > 1) shapes.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    path = '';
    run = 0;
  };
  for (const point of line.points) {
    if (!finite(point.loss)) {
      flush();
      shapes.push(
        `<line x1="${x(point.step)}" x2="${x(point.step)}" y1="${MARGIN.top}" y2="${MARGIN.top + 10}" stroke="${NON_FINITE_COLOUR}" stroke-width="2"><title>${xmlText(`step ${point.step}: loss ${point.loss}`)}</title></line>`,
      );
      continue;
    }
    if (point.step < previousStep) flush();
    path += `${run === 0 ? 'M' : ' L'}${x(point.step)} ${y(point.loss)}`;
    run += 1;
    previousStep = point.step;
  }
  flush();
  return shapes;
}

function legend(text: string, colour: string, index: number): string {
  const top = MARGIN.top + 8 + index * 14;
  const left = WIDTH - MARGIN.right - 130;
  return `<rect x="${left}" y="${top - 8}" width="10" height="10" fill="${colour}"/><text x="${left + 14}" y="${top + 1}">${xmlText(text)}</text>`;
}
