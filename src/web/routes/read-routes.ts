/** The API's reads: the runs, a run, its chart series, its log's end, its incident report. */

import type { Hono } from 'hono';
import type { RunStore } from '../../store/runs.ts';
import { GpuWatch } from '../gpu-watch.ts';
import { logPayload, runPayload, runsPayload, seriesPayload } from '../read-model.ts';
import { renderRunReport } from '../../report/render-report.ts';
import { observeRun } from '../../supervisor/reconcile.ts';

const DEFAULT_CHART_WIDTH = 800;
const MAX_CHART_WIDTH = 4000;

export function addReadRoutes(app: Hono, store: RunStore): void {
  const runOf = (id: string) => store.getRun(id);
  const gpus = new GpuWatch();
  gpus.current(Date.now()); // asked once as the server starts: the first page has the answer

  app.get('/api/runs', (c) => {
    const limit = Number(c.req.query('limit'));
    const now = Date.now();
    return c.json(runsPayload(store, now, Number.isInteger(limit) && limit > 0 ? limit : null, gpus.current(now)));
  });
  app.get('/api/runs/:id', (c) => {
    const run = runOf(c.req.param('id'));
    return run ? c.json(runPayload(store, run)) : c.json({ error: 'no such run' }, 404);
  });
  app.get('/api/runs/:id/series', (c) => {
    const run = runOf(c.req.param('id'));
    if (!run) return c.json({ error: 'no such run' }, 404);
    const width = Math.min(MAX_CHART_WIDTH, Math.max(10, Number(c.req.query('width')) || DEFAULT_CHART_WIDTH));
    const [from, to] = [c.req.query('from_step'), c.req.query('to_step')].map((value) => (value ? Number(value) : NaN));
    const range = Number.isFinite(from) && Number.isFinite(to) ? { from: from as number, to: to as number } : null;
    return c.json(seriesPayload(store, run, width, range));
  });
  app.get('/api/runs/:id/log', (c) => {
    const run = runOf(c.req.param('id'));
    const attempt = c.req.query('attempt') ? Number(c.req.query('attempt')) : null;
    const log = run ? logPayload(store, run, attempt, Number(c.req.query('tail')) || 0) : null;
    return log ? c.json(log) : c.json({ error: 'no such run or attempt' }, 404);
  });
  app.get('/api/runs/:id/report', async (c) => {
    const run = runOf(c.req.param('id'));
    if (!run) return c.json({ error: 'no such run' }, 404);
    c.header('Content-Disposition', `attachment; filename="vigil-report-${run.id}.html"`);
    const observed = observeRun(store, run);
    return c.html(await renderRunReport(store, { ...observed, status: observed.observedStatus }, 'html', Date.now()));
  });
}
