/**
 * `vigil web`: the dashboard. A page (ui/, built into dist/web) and the JSON API it uses, on one
 * port: what `vigil ps` and `vigil show` say, live, with each run's curve, cause and log. The
 * daemon serves the same app when it runs. See the README's "Dashboard" section for the API.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { Redactor, secretValuesOf } from '../core/report/redact.ts';
import type { RunStore } from '../store/runs.ts';
import { type Action, runAction } from './actions.ts';
import { guard, isLoopback } from './auth.ts';
import { GpuWatch } from './gpu-watch.ts';
import { DatabaseChanges, followLog } from './live.ts';
import { logPayload, runPayload, runsPayload, seriesPayload } from './read-model.ts';
import { renderReport } from './report.ts';

export type WebOptions = {
  store: RunStore;
  token: string;
  /** The address it binds: loopback unless asked. */
  host: string;
  /** How to start vigil itself (node, its flags, the CLI script): actions run vigil's commands. */
  vigil: readonly string[];
};

const KEEPALIVE_MS = 15_000;
const DEFAULT_CHART_WIDTH = 800;
const MAX_CHART_WIDTH = 4000;

/** The built page: dist/web beside the CLI bundle (dist/cli), or from src/web when run from the sources. */
function pageDirectory(): string | null {
  for (const relative of ['../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

export function webApp(options: WebOptions): Hono {
  const { store } = options;
  const changes = new DatabaseChanges(store.db);
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });
  app.use('*', guard({ token: options.token, loopback: isLoopback(options.host) }));

  const runOf = (id: string) => store.getRun(id);
  const gpus = new GpuWatch();
  gpus.current(Date.now());
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
    const [from, to] = [Number(c.req.query('from_step')), Number(c.req.query('to_step'))];
    const range = Number.isFinite(from) && Number.isFinite(to) && c.req.query('from_step') && c.req.query('to_step') ? { from, to } : null;
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
    return c.html(await renderReport(store, run));
  });

  app.get('/api/live', (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribe = changes.subscribe(() => void stream.writeSSE({ event: 'runs', data: JSON.stringify({ at: Date.now() }) }));
      stream.onAbort(unsubscribe);
      while (!stream.aborted) {
        await stream.sleep(KEEPALIVE_MS);
        if (!stream.aborted) await stream.write(': keepalive\n\n');
      }
      unsubscribe();
    }),
  );
  app.get('/api/runs/:id/log/live', (c) => {
    const run = runOf(c.req.param('id'));
    if (!run) return c.json({ error: 'no such run' }, 404);
    const attempts = store.attempts(run.id);
    const n = c.req.query('attempt') ? Number(c.req.query('attempt')) : (attempts.at(-1)?.n ?? 1);
    const attempt = attempts.find((a) => a.n === n);
    if (!attempt) return c.json({ error: 'no such attempt' }, 404);
    const offset = Math.max(0, Number(c.req.query('offset')) || 0);
    return streamSSE(c, async (stream) => {
      const redact = logRedactor();
      // `end`: where the next chunk starts in the file (redaction changes the text's length, not the file's).
      const stopFollowing = followLog(attempt.logPath, offset, (text, at, end) => {
        void stream.writeSSE({ event: 'append', data: JSON.stringify({ offset: at, end, text: redact(text) }) });
      });
      // A restart opens a new log: say so, the page moves to it.
      const unsubscribe = changes.subscribe(() => {
        const latest = store.attempts(run.id).at(-1)?.n ?? n;
        if (latest > n) void stream.writeSSE({ event: 'attempt', data: JSON.stringify({ n: latest }) });
      });
      stream.onAbort(() => {
        stopFollowing();
        unsubscribe();
      });
      while (!stream.aborted) {
        await stream.sleep(KEEPALIVE_MS);
        if (!stream.aborted) await stream.write(': keepalive\n\n');
      }
      stopFollowing();
      unsubscribe();
    });
  });

  const act = (action: Action) => async (c: import('hono').Context) => {
    const body = (await c.req.json().catch(() => ({}))) as { force?: unknown };
    const result = await runAction(options.vigil, action, c.req.param('id') as string, { force: body.force === true });
    return c.json(result, result.ok ? 200 : 409);
  };
  app.post('/api/runs/:id/stop', act('stop'));
  app.post('/api/runs/:id/pause', act('pause'));
  app.post('/api/runs/:id/resume', act('resume'));
  app.post('/api/runs/:id/restart', act('restart'));
  app.post('/api/jobs/:id/cancel', act('cancel'));
  app.all('/api/*', (c) => c.json({ error: 'no such endpoint' }, 404));

  const pages = pageDirectory();
  if (pages) {
    app.use('/assets/*', serveStatic({ root: pages }));
    app.get('*', serveStatic({ root: pages, rewriteRequestPath: () => '/index.html' }));
  } else app.get('*', (c) => c.text('the page is not built (npm run build); the API under /api works', 503));
  return app;
}

/** A log's text as the page may see it: secrets of this server's environment and token shapes taken out (as in the report). */
function logRedactor(): (text: string) => string {
  const redactor = new Redactor(secretValuesOf(process.env));
  return (text) => redactor.text(text);
}

export type RunningWebServer = { url: string; port: number; close: () => Promise<void> };

export function startWebServer(options: WebOptions & { port: number }): Promise<RunningWebServer> {
  const app = webApp(options);
  return new Promise((resolve, reject) => {
    let server: ServerType | null = null;
    server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}/`,
        port: info.port,
        // Open event streams would hold a plain close() forever.
        close: () =>
          new Promise<void>((done) => {
            if (!server) return done();
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
