/** The API's actions (POST; the guard has checked the token): vigil's own commands, their words as the answer. */

import type { Context, Hono } from 'hono';
import { type Action, runAction } from '../actions.ts';

export function addActionRoutes(app: Hono, vigil: readonly string[]): void {
  const act = (action: Action) => async (c: Context) => {
    const body = (await c.req.json().catch(() => ({}))) as { force?: unknown };
    const result = await runAction(vigil, action, c.req.param('id') as string, { force: body.force === true });
    return c.json(result, result.ok ? 200 : 409);
  };
  app.post('/api/runs/:id/stop', act('stop'));
  app.post('/api/runs/:id/pause', act('pause'));
  app.post('/api/runs/:id/resume', act('resume'));
  app.post('/api/runs/:id/restart', act('restart'));
  app.post('/api/jobs/:id/cancel', act('cancel'));
}
