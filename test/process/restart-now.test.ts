/**
 * `vigil restart RUN` on a real job: its attempt ends (stop reason `vigil restart`) and the next
 * starts at once although the run asked for no restarts; the dashboard's restart does the same
 * with the token; a run that is not running is refused with exit 14.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { collect, JOBS, psJson, showJson, startVigil, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';
import { api, startWeb, type WebServer } from '../helpers/web.ts';

const python = torchPython();
const servers: WebServer[] = [];
after(() => Promise.all(servers.map((server) => server.stop())));
const HANGS = [python, join(JOBS, 'web', 'train.py'), '3', '0.05', 'hang'];

test('vigil restart: the attempt ends, the next starts at once under --restart no; then from the dashboard', async () => {
  const home = tempHome();
  const job = startVigil(home, ['run', '-q', '--name', 'again', '--', ...HANGS]);
  const done = collect(job, 120_000);
  await waitUntil('the run', () => psJson(home).find((run) => run.status === 'running'));
  const restarted = await vigil(home, ['restart', 'again']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stdout, /attempt 2 started/);
  const shown = showJson(home, 'again');
  assert.equal(shown.status, 'running');
  assert.equal(shown.attempts[0].stop_reason, 'vigil restart');
  assert.equal(shown.attempts[0].restart_reason, 'asked for (vigil restart)');

  const server = await startWeb(home);
  servers.push(server);
  assert.equal((await api(server, `/api/runs/${shown.id}/restart`, { method: 'POST', body: '{}' })).status, 401);
  const fromPage = await api(server, `/api/runs/${shown.id}/restart`, { method: 'POST', body: '{}', token: server.token });
  assert.equal(fromPage.status, 200, JSON.stringify(fromPage.body));
  assert.match(fromPage.body.message, /attempt 3 started/);

  const stopped = await vigil(home, ['stop', 'again']);
  assert.equal(stopped.code, 0, stopped.stderr);
  await done;
  const ended = showJson(home, 'again');
  assert.equal(ended.status, 'stopped');
  assert.equal(ended.attempts.length, 3);
  const refused = await vigil(home, ['restart', 'again']);
  assert.equal(refused.code, 14);
  assert.match(refused.stderr, /not running/);
});
