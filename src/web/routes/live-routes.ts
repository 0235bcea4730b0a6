/**
 * The API's event streams: the database changed (the page refetches), and a log's appended text.
 * A comment every KEEPALIVE_MS keeps proxies from closing an idle stream.
 */

import type { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { RunStore } from '../../store/runs.ts';
import { type DatabaseChanges, followLog } from '../live.ts';
import { pageRedactor } from '../read-model.ts';

const KEEPALIVE_MS = 15_000;

export function addLiveRoutes(app: Hono, store: RunStore, changes: DatabaseChanges): void {
  app.get('/api/live', (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribe = changes.subscribe(() => void stream.writeSSE({ event: 'runs', data: JSON.stringify({ at: Date.now() }) }));
      await keepOpen(stream, unsubscribe);
    }),
  );
  app.get('/api/runs/:id/log/live', (c) => {
    const run = store.getRun(c.req.param('id'));
    if (!run) return c.json({ error: 'no such run' }, 404);
    const attempts = store.attempts(run.id);
    const n = c.req.query('attempt') ? Number(c.req.query('attempt')) : (attempts.at(-1)?.n ?? 1);
    const attempt = attempts.find((a) => a.n === n);
    if (!attempt) return c.json({ error: 'no such attempt' }, 404);
    const offset = Math.max(0, Number(c.req.query('offset')) || 0);
    return streamSSE(c, async (stream) => {
      const redactor = pageRedactor();
      const redact = (text: string) => redactor.text(text);
      // `end`: where the next chunk starts in the file (redaction changes the text's length, not the file's).
      const stopFollowing = followLog(attempt.logPath, offset, (text, at, end) => {
        void stream.writeSSE({ event: 'append', data: JSON.stringify({ offset: at, end, text: redact(text) }) });
      });
      // A restart opens a new log: say so, the page moves to it.
      const unsubscribe = changes.subscribe(() => {
        const latest = store.attempts(run.id).at(-1)?.n ?? n;
        if (latest > n) void stream.writeSSE({ event: 'attempt', data: JSON.stringify({ n: latest }) });
      });
      await keepOpen(stream, () => {
        stopFollowing();
        unsubscribe();
      });
    });
  });
}

/** Holds the stream open until the page goes, a comment now and then; `release` runs once at the end. */
async function keepOpen(stream: SSEStreamingApi, release: () => void): Promise<void> {
  let released = false;
  const once = () => {
    if (!released) release();
    released = true;
  };
  stream.onAbort(once);
  while (!stream.aborted) {
    await stream.sleep(KEEPALIVE_MS);
    if (!stream.aborted) await stream.write(': keepalive\n\n');
  }
  once();
}
