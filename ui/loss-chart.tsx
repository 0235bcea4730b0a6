/**
 * Loss against step, every attempt on one uPlot chart, with restarts (dashed lines), stalls
 * (shaded), NaN losses (red marks on top) and checkpoints (ticks at the bottom). Dragging zooms:
 * the zoomed range is fetched again from the server at full detail; a double click zooms out.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { type ChartModel, chartModel } from './chart-model.ts';
import { useJson } from './hooks.ts';
import type { Series } from './types.ts';

const HEIGHT = 280;
/** Tick spacings for the step axis: whole steps only (1, 2, 5, 10, 20, 50, …). */
const STEP_INCREMENTS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((m) => m * 10 ** power)).flat();
const COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];
type Range = { from: number; to: number };

export function LossChart({ base, version }: { base: string; version: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const model = useRef<ChartModel | null>(null);
  const [width, setWidth] = useState(0);
  const [range, setRange] = useState<Range | null>(null);

  useEffect(() => setWidth(box.current?.clientWidth ?? 800), []);
  const query = range ? `&from_step=${Math.floor(range.from)}&to_step=${Math.ceil(range.to)}` : '';
  // Asked for in steps of 100 px, so that a resize does not refetch at each pixel.
  const { data, error, reload } = useJson<Series>(width ? `${base}/series?width=${Math.ceil(width / 100) * 100}${query}` : null);
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  useEffect(() => {
    if (!data || !box.current) return;
    const next = chartModel(data);
    model.current = next;
    const current = chart.current;
    if (current && current.series.length === next.attempts.length + 1) {
      current.setData(next.data);
      return;
    }
    current?.destroy();
    chart.current = next.data[0].length ? new uPlot(options(next, box.current.clientWidth, setRange, model), next.data, box.current) : null;
  }, [data]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => chart.current?.setSize({ width: element.clientWidth, height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  const empty = data && data.points.step.length === 0;
  return (
    <section class="chart">
      <h2>
        Loss{' '}
        <span class="muted">
          {range ? `steps ${Math.floor(range.from)}–${Math.ceil(range.to)} (double-click to zoom out)` : 'drag to zoom'}
          {data && data.total_points > data.points.step.length ? ` · ${data.points.step.length} of ${data.total_points} points` : ''}
        </span>
      </h2>
      {error && <div class="banner error">{error}</div>}
      {empty && <p class="empty">No loss recorded yet.</p>}
      <div ref={box} class="chart-box" data-points={data ? data.points.step.length : 0} />
    </section>
  );
}

function options(
  model: ChartModel,
  width: number,
  setRange: (range: Range | null) => void,
  current: { current: ChartModel | null },
): uPlot.Options {
  const style = getComputedStyle(document.documentElement);
  const fg = style.getPropertyValue('--muted').trim() || '#888';
  const grid = style.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.15)';
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: false } },
    axes: [
      { ...axis, label: 'step', incrs: STEP_INCREMENTS },
      { ...axis, label: 'loss', size: 60 },
    ],
    series: [
      { label: 'step' },
      ...model.attempts.map((n, i) => ({
        label: `attempt ${n}`,
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: false },
      })),
    ],
    cursor: {
      drag: { x: true, y: false, setScale: false },
      bind: {
        dblclick: () => () => {
          setRange(null);
          return null;
        },
      },
    },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 5) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          setRange({ from, to });
        },
      ],
      draw: [(u) => current.current && drawMarkers(u, current.current, style.getPropertyValue('--danger').trim() || '#e5484d')],
    },
  };
}

/** Drawn on the canvas after the series, in device pixels. */
function drawMarkers(u: uPlot, model: ChartModel, danger: string): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio;
  const x = (step: number) => u.valToPos(step, 'x', true);
  const inside = (px: number) => px >= bbox.left && px <= bbox.left + bbox.width;
  ctx.save();
  ctx.fillStyle = 'rgba(245, 158, 11, 0.18)';
  for (const [from, to] of model.stalls) {
    const left = x(from);
    const right = Math.max(x(to), left + 6 * ratio);
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
  }
  ctx.strokeStyle = 'rgba(128, 128, 128, 0.9)';
  ctx.setLineDash([4 * ratio, 4 * ratio]);
  ctx.lineWidth = ratio;
  for (const step of model.restarts) line(ctx, x(step), bbox.top, bbox.top + bbox.height, inside);
  ctx.setLineDash([]);
  ctx.strokeStyle = '#10b981';
  ctx.lineWidth = 2 * ratio;
  for (const step of model.checkpoints) line(ctx, x(step), bbox.top + bbox.height - 8 * ratio, bbox.top + bbox.height, inside);
  ctx.fillStyle = danger;
  for (const step of model.nan) {
    const px = x(step);
    if (!inside(px)) continue;
    ctx.beginPath();
    ctx.moveTo(px - 5 * ratio, bbox.top);
    ctx.lineTo(px + 5 * ratio, bbox.top);
    ctx.lineTo(px, bbox.top + 8 * ratio);
    ctx.fill();
  }
  ctx.restore();
}

function line(ctx: CanvasRenderingContext2D, px: number, top: number, bottom: number, inside: (px: number) => boolean): void {
  if (!inside(px)) return;
  ctx.beginPath();
  ctx.moveTo(px, top);
  ctx.lineTo(px, bottom);
  ctx.stroke();
}
