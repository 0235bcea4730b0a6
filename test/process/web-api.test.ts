/**
 * `vigil web`'s API on real runs, through real HTTP: the runs list and a run's view say what
 * `vigil ps`/`show` say (with the cause); a chart series and a log tail; a log line reaches an open
 * event stream within a second; stop needs the token (refused without, ends a real job with it);
 * another Host is refused on loopback; off loopback every read needs the token; the server holds
 * no secret the job was given.
 */

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.ts';
import { torchPython } from '../helpers/python.ts';
import { collect, JOBS, psJson, showJson, startVigil, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';
import { api, startWeb, type WebServer } from '../helpers/web.ts';

const python = torchPython();
const servers: WebServer[] = [];
after(() => Promise.all(servers.map((server) => server.stop())));

const runningId = (home: string): string | undefined => psJson(home).find((run) => run.status === 'running')?.id;

async function web(home: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WebServer> {
  const server = await startWeb(home, extra, env);
  servers.push(server);
  return server;
}

describe('vigil web: reads', () => {
  test('a failed run: listed with its step, loss and cause; its view, series and log tail', async () => {
    const home = tempHome();
    const ran = await vigil(home, ['run', '-q', '--', python, join(JOBS, 'alerts', 'crash.py')]);
    assert.equal(ran.code, 1, ran.stderr);
    const shown = showJson(home);
    const server = await web(home);
    const runs = await api(server, '/api/runs');
    assert.equal(runs.status, 200);
    const [row] = runs.body.runs;
    assert.equal(row.id, shown.id);
    assert.equal(row.status, 'failed');
    assert.equal(row.cause, 'file_not_found');
    assert.equal(row.step, shown.progress?.step ?? null);
    const run = await api(server, `/api/runs/${shown.id}`);
    assert.equal(run.body.attempts[0].diagnosis.category, 'file_not_found');
    assert.ok(run.body.timeline.length >= 2, JSON.stringify(run.body.timeline));
    const series = await api(server, `/api/runs/${shown.id}/series?width=100`);
    assert.equal(series.body.points.step.length, series.body.points.loss.length);
    const log = await api(server, `/api/runs/${shown.id}/log`);
    assert.match(log.body.text, /FileNotFoundError/);
    assert.equal((await api(server, '/api/runs/nosuchrun')).status, 404);
  });

  test('a line the job prints reaches an open log stream within a second', async () => {
    const home = tempHome();
    const go = join(home, 'go');
    const job = startVigil(home, ['run', '-q', '--', python, '-c', LINE_ON_SIGNAL(go)]);
    const done = collect(job, 60_000);
    const id = await waitUntil('the run', () => runningId(home));
    const server = await web(home);
    const lines: { at: number; text: string }[] = [];
    const stream = await fetch(new URL(`/api/runs/${id}/log/live?offset=0`, server.base));
    const reader = stream.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        lines.push({ at: Date.now(), text: decoder.decode(value) });
      }
    })();
    await waitUntil('the first line', () => lines.some((l) => l.text.includes('waiting')));
    const wrote = Date.now();
    (await import('node:fs')).writeFileSync(go, '');
    const arrived = await waitUntil('the new line', () => lines.find((l) => l.text.includes('the new line')));
    assert.ok(arrived.at - wrote <= 1000, `${arrived.at - wrote} ms`);
    await reader.cancel();
    await reading.catch(() => undefined);
    assert.equal((await done).code, 0);
  });
});

/** A job that prints `waiting`, then `the new line` once `go` exists, then exits. */
const LINE_ON_SIGNAL = (go: string) =>
  `import os, time\nprint("waiting", flush=True)\nwhile not os.path.exists(${JSON.stringify(go)}): time.sleep(0.02)\nprint("the new line", flush=True)\n`;

describe('vigil web: actions and security', () => {
  test('stop is refused without the token and ends a real job with it', async () => {
    const home = tempHome();
    const job = startVigil(home, ['run', '-q', '--', python, '-c', 'import time\nwhile True: time.sleep(0.1)']);
    const done = collect(job, 60_000);
    const id = await waitUntil('the run', () => runningId(home));
    const server = await web(home);
    const refused = await api(server, `/api/runs/${id}/stop`, { method: 'POST', body: '{}' });
    assert.equal(refused.status, 401);
    const wrong = await api(server, `/api/runs/${id}/stop`, { method: 'POST', body: '{}', token: 'x'.repeat(43) });
    assert.equal(wrong.status, 401);
    assert.equal(showJson(home).status, 'running', 'still running after the refused stops');
    const crossSite = await api(server, `/api/runs/${id}/stop`, {
      method: 'POST',
      body: '{}',
      token: server.token,
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(crossSite.status, 403);
    const stopped = await api(server, `/api/runs/${id}/stop`, { method: 'POST', body: '{}', token: server.token });
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    assert.equal(stopped.body.ok, true);
    await done;
    assert.equal(showJson(home).status, 'stopped');
  });

  test('on loopback another Host name is refused (DNS rebinding); off loopback every read needs the token', async () => {
    const home = tempHome();
    const local = await web(home);
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL('/api/runs', local.base);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(rebound, 403);
    const exposed = await web(home, ['--host', '0.0.0.0']);
    await waitUntil('the warning about serving off loopback', () => /warning: serving on 0\.0\.0\.0/.test(exposed.stderr()));
    const base = { base: exposed.base.replace('0.0.0.0', '127.0.0.1') };
    assert.equal((await api(base, '/api/runs')).status, 401);
    assert.equal((await api(base, '/api/runs', { token: exposed.token })).status, 200);
    assert.equal((await api(base, `/api/runs?token=${exposed.token}`)).status, 200);
    assert.equal(exposed.token, local.token, 'one token per home');
    assert.equal(statSync(join(home, 'web-token')).mode & 0o777, 0o600, 'the token file is private');
  });
});

describe('vigil web: served by the daemon', () => {
  test('vigil daemon --web serves the same API, and stops it with itself', async () => {
    const home = tempHome();
    const daemon = startVigil(home, ['daemon', '--web', '0']);
    let log = '';
    daemon.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const url = await waitUntil(`the dashboard line (log: ${log})`, () => /dashboard: (http:\/\/\S+\/)/.exec(log)?.[1]);
    const runs = await api({ base: url }, '/api/runs');
    assert.equal(runs.status, 200);
    assert.deepEqual(runs.body.runs, []);
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;
    await assert.rejects(fetch(new URL('/api/runs', url)), 'the dashboard stops with the daemon');
  });
});

describe('vigil web: secrets', () => {
  test('a token the job was given and printed, and one on its command line, never reach the page', async () => {
    const home = tempHome();
    const secret = 'hf_' + 'Zq8WxErT5yUiOp3AsDfGh7JkLzXcVbNm1Q';
    const ran = await vigil(
      home,
      [
        'run',
        '-q',
        '--',
        python,
        '-c',
        'import os, sys; print("token", os.environ["HF_TOKEN"], sys.argv[1:]); raise SystemExit(2)',
        '--api-key',
        'p4ss-w0rd-9f8e7d6c',
      ],
      { env: { HF_TOKEN: secret } },
    );
    assert.equal(ran.code, 2, ran.stderr);
    const id = showJson(home).id;
    const server = await web(home);
    const answers = await Promise.all(
      [`/api/runs`, `/api/runs/${id}`, `/api/runs/${id}/log`, `/api/runs/${id}/report`].map((path) => api(server, path)),
    );
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      assert.ok(!text.includes(secret), `the token leaked: ${text.slice(0, 300)}`);
      assert.ok(!text.includes('p4ss-w0rd-9f8e7d6c'), `the --api-key value leaked: ${text.slice(0, 300)}`);
    }
    assert.match(answers[2]!.body.text, /\[redacted\]/);
  });
});

describe('vigil web: GPUs (a stand-in nvidia-smi: no GPU driver here)', () => {
  test('the listing names the GPU a live run holds (its CUDA_VISIBLE_DEVICES) and which are free', async () => {
    const home = tempHome();
    const smi = fakeNvidiaSmi({
      gpus: [
        { memoryTotalMiB: 81920, memoryUsedMiB: 100 },
        { memoryTotalMiB: 81920, memoryUsedMiB: 30_000 },
        { memoryTotalMiB: 81920, memoryUsedMiB: 20_000 },
      ],
    });
    const job = startVigil(home, ['run', '-q', '--', python, '-c', 'import time\nwhile True: time.sleep(0.1)'], {
      env: { CUDA_VISIBLE_DEVICES: '1' },
    });
    const done = collect(job, 60_000);
    const id = await waitUntil('the run', () => runningId(home));
    const server = await web(home, [], { PATH: `${smi.dir}:${process.env.PATH}` });
    const listed = await waitUntil('the GPUs listed', async () => (await api(server, '/api/runs')).body.gpus);
    assert.deepEqual(
      listed.map((gpu: { index: number; run: string | null; free: boolean }) => [gpu.index, gpu.run, gpu.free]),
      [
        [0, null, true],
        [1, id, false],
        [2, null, false],
      ],
    );
    assert.deepEqual((await api(server, '/api/runs')).body.runs[0].gpus, [1]);
    assert.equal((await vigil(home, ['stop', id])).code, 0);
    await done;
  });
});
