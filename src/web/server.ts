/**
 * `vigil web`: the dashboard. A page (ui/, built into dist/web) and the JSON API it uses, on one
 * port: what `vigil ps` and `vigil show` say, live, with each run's curve, cause and log. The
 * daemon serves the same app when it runs. See the README's "Dashboard" section for the API.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import type { RunStore } from '../store/runs.ts';
import { guard, isLoopback } from './auth.ts';
import { DatabaseChanges } from './live.ts';
import { addActionRoutes } from './routes/action-routes.ts';
import { addLiveRoutes } from './routes/live-routes.ts';
import { addReadRoutes } from './routes/read-routes.ts';

export type WebOptions = {
  store: RunStore;
  token: string;
  /** The address it binds: loopback unless asked. */
  host: string;
  /** How to start vigil itself (node, its flags, the CLI script): actions run vigil's commands. */
  vigil: readonly string[];
};

/** The built page: dist/web beside the CLI bundle (dist/cli), or from src/web when run from the sources. */
function pageDirectory(): string | null {
  for (const relative of ['../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

export function webApp(options: WebOptions): Hono {
  const app = new Hono();
  app.use('*', securityHeaders);
  app.use('*', guard({ token: options.token, loopback: isLoopback(options.host) }));
  addReadRoutes(app, options.store);
  addLiveRoutes(app, options.store, new DatabaseChanges(options.store.db));
  addActionRoutes(app, options.vigil);
  app.all('/api/*', (c) => c.json({ error: 'no such endpoint' }, 404));
  addPage(app);
  return app;
}

/** No sniffing, no referrer, no framing: the page is never embedded in another site's. */
const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
};

/** The page's files; every other path is the page itself (it routes `/runs/ID` on its own). */
function addPage(app: Hono): void {
  const pages = pageDirectory();
  if (pages) {
    app.use('/assets/*', serveStatic({ root: pages }));
    app.get('*', serveStatic({ root: pages, rewriteRequestPath: () => '/index.html' }));
  } else app.get('*', (c) => c.text('the page is not built (npm run build); the API under /api works', 503));
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
