/**
 * Alerts on real runs, to a real local HTTP server (node:http): a crash sends one alert with its
 * cause (also to an `exec:` command, and `URL/fail` to the heartbeat); a flapping stall one ntfy
 * push per episode; targets that are down (nothing listening; a server that never answers) cost
 * the run nothing and are reported once; the heartbeat pings while the job progresses and stops
 * when it hangs; `vigil notify test` reaches the server.
 */

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type AlertServer, jsonAlerts, startAlertServer } from '../helpers/alert-server.ts';
import { torchPython } from '../helpers/python.ts';
import { collect, freePort, JOBS, showJson, startVigil, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';

const ALERTS = join(JOBS, 'alerts');
const python = torchPython();
const servers: AlertServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function server(options: { hang?: boolean } = {}): Promise<AlertServer> {
  const started = await startAlertServer(options);
  servers.push(started);
  return started;
}

/** `vigil run` of a fixture job that stalls, a 1 s progress timeout, alerts to `target`. */
function stallingRun(target: string, onHang: 'kill' | 'wait', [script, ...args]: string[]): string[] {
  return [
    'run',
    '-q',
    '--notify',
    target,
    '--progress-timeout',
    '1s',
    '--on-hang',
    onHang,
    '--',
    python,
    join(ALERTS, script as string),
    ...args,
  ];
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now();
  const result = await work();
  return { result, ms: Date.now() - start };
}

describe('alerts', () => {
  test('a run that crashes sends exactly one alert, with its cause, to the webhook and the exec: command; the heartbeat gets /fail', async () => {
    const home = tempHome();
    const hook = await server();
    const received = join(home, 'alert.json');
    const script = join(home, 'page-me.sh');
    writeFileSync(script, `#!/bin/sh\ncat > '${received}'\n`);
    chmodSync(script, 0o755);
    const result = await vigil(home, [
      'run',
      '-q',
      '--notify',
      `${hook.url}/hook`,
      '--notify',
      `exec:${script}`,
      '--heartbeat',
      `${hook.url}/hb`,
      '--heartbeat-every',
      '200ms',
      '--',
      python,
      join(ALERTS, 'crash.py'),
    ]);
    assert.equal(result.code, 1, result.stderr);
    const run = showJson(home);
    const alerts = jsonAlerts(hook);
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    const [alert] = alerts as [Record<string, any>];
    assert.equal(alert.kind, 'failed');
    assert.equal(alert.level, 'error');
    assert.deepEqual(alert.run, { id: run.id, name: null });
    assert.equal(alert.figures.cause, 'file_not_found');
    assert.match(alert.title, /^failed: file not found/);
    assert.match(alert.figures.exception, /^FileNotFoundError: .*shard-0004\.parquet/);
    assert.match(alert.figures.where, /crash\.py:\d+/);
    assert.ok(alert.figures.fix, 'the one-line fix is given');
    assert.equal(alert.command, `vigil show ${run.id}`);
    assert.ok(existsSync(received), 'the exec: command ran before vigil exited');
    assert.deepEqual(JSON.parse(readFileSync(received, 'utf8')), alert);
    assert.ok(
      hook.requests.some((request) => request.method === 'GET' && request.path === '/hb/fail'),
      JSON.stringify(hook.requests.map((r) => r.path)),
    );
    assert.doesNotMatch(result.stderr, /not getting through|did not get through/);
  });

  test('a stall that clears and comes back sends one ntfy push per episode', async () => {
    const home = tempHome();
    const ntfy = await server();
    const [go1, go2] = [join(home, 'go1'), join(home, 'go2')];
    const child = startVigil(home, [
      'run',
      '-q',
      '--notify',
      `ntfy:${ntfy.url}/vigil-topic`,
      '--progress-timeout',
      '1s',
      '--on-hang',
      'wait',
      '--',
      python,
      join(ALERTS, 'flapping_stall.py'),
      go1,
      go2,
    ]);
    const done = collect(child, 60_000);
    const pushes = () => ntfy.requests.filter((request) => request.path === '/vigil-topic');
    const hangs = () => pushes().filter((request) => request.headers.tags === 'vigil,hang');
    await waitUntil('the first stall pushed', () => hangs().length === 1);
    writeFileSync(go1, '');
    await waitUntil('the second stall pushed', () => hangs().length === 2);
    writeFileSync(go2, '');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(hangs().length, 2, 'one push per episode');
    assert.equal(
      pushes().length,
      2,
      pushes()
        .map((r) => r.headers.title)
        .join('\n'),
    );
    const first = pushes()[0] as (typeof ntfy.requests)[number];
    assert.equal(first.method, 'POST');
    assert.equal(first.headers.priority, '4');
    assert.match(
      String(first.headers.title),
      /^\[vigil\] \w+: stalled: no progress for .* after step 5: main in flapping_stall\.py:\d+ wait_for$/,
    );
    assert.match(first.body, /look further: vigil show \w+/);
  });

  test('a hang the watchdog kills sends one alert, the failure, and it carries the stall', async () => {
    const home = tempHome();
    const hook = await server();
    const result = await vigil(home, stallingRun(`${hook.url}/hook`, 'kill', ['progress_then_hang.py', '5']));
    assert.notEqual(result.code, 0, result.stderr);
    const alerts = jsonAlerts(hook);
    assert.deepEqual(
      alerts.map((alert) => alert.kind),
      ['failed'],
      JSON.stringify(alerts.map((alert) => alert.title)),
    );
    const [alert] = alerts as [Record<string, any>];
    assert.equal(alert.figures.cause, 'hang');
    assert.match(alert.title, /^failed: .*no progress for .* after step \d+/);
  });

  test('past the rate limit, the stalls held back arrive as one digest when the run ends', async () => {
    const home = tempHome();
    const hook = await server();
    const result = await vigil(home, stallingRun(`${hook.url}/hook`, 'wait', ['stall_episodes.py', '5', '2.2']));
    assert.equal(result.code, 0, result.stderr);
    const alerts = jsonAlerts(hook);
    // Three stalls of a kind within the window go out as they happen; the other two wait for the digest.
    assert.deepEqual(
      alerts.map((alert) => `${alert.kind} ${alert.episode}`),
      ['hang 1', 'hang 2', 'hang 3', 'digest 1'],
      JSON.stringify(alerts.map((alert) => alert.title)),
    );
    assert.equal((alerts[3] as Record<string, any>).title, '2 more alerts: hang ×2');
  });

  test('targets that are down (nothing listening; no answer) delay nothing and are reported once each', async () => {
    const job = ['--', python, join(ALERTS, 'crash.py')];
    const baseline = await timed(() => vigil(tempHome(), ['run', '-q', ...job]));
    const home = tempHome();
    const silent = await server({ hang: true });
    const deadPort = await freePort();
    const withAlerts = await timed(() =>
      vigil(home, ['run', '-q', '--notify', `http://127.0.0.1:${deadPort}/hook`, '--notify', `${silent.url}/hook`, ...job]),
    );
    assert.equal(withAlerts.result.code, 1, withAlerts.result.stderr);
    const run = showJson(home);
    // The job itself: as long as without alerts (the sends happen beside it).
    assert.ok(run.duration_ms < 3000, `the job took ${run.duration_ms} ms`);
    // vigil: at most its bounded flush at exit (2 s) more, for the server that never answers.
    assert.ok(withAlerts.ms <= baseline.ms + 2000 + 1500, `with alerts ${withAlerts.ms} ms, without ${baseline.ms} ms`);
    const stderr = withAlerts.result.stderr;
    assert.equal(stderr.match(new RegExp(`alerts to http://127\\.0\\.0\\.1:${deadPort}/…`, 'g'))?.length, 1, stderr);
    assert.match(stderr, new RegExp(`alerts to http://127\\.0\\.0\\.1:${deadPort}/… are not getting through \\(ECONNREFUSED\\)`));
    const silentPort = new URL(silent.url).port;
    assert.equal(stderr.match(new RegExp(`alerts to http://127\\.0\\.0\\.1:${silentPort}/…`, 'g'))?.length, 1, stderr);
    assert.equal(silent.requests.length, 1, 'the silent server was sent the alert');
  });

  test('the heartbeat pings while the job progresses and stops once it hangs', async () => {
    const home = tempHome();
    const hc = await server();
    const child = startVigil(home, [
      'run',
      '-q',
      '--heartbeat',
      `${hc.url}/ping/abc`,
      '--heartbeat-every',
      '300ms',
      '--notify',
      `${hc.url}/hook`,
      '--progress-timeout',
      '1s',
      '--on-hang',
      'wait',
      '--',
      python,
      join(ALERTS, 'progress_then_hang.py'),
      '25',
    ]);
    const done = collect(child, 60_000);
    const pings = () => hc.requests.filter((request) => request.method === 'GET' && request.path === '/ping/abc');
    await waitUntil('three pings while the job progresses', () => pings().length >= 3);
    const hang = await waitUntil('the hang alert', () => jsonAlerts(hc).find((alert) => alert.kind === 'hang'));
    const hangAt = (hc.requests.find((request) => request.path === '/hook') as { at: number }).at;
    // Ten heartbeat intervals with the job hung: none may ping (one already on its way may land).
    const quietUntil = hangAt + 3000;
    await waitUntil('three seconds of the hang', () => Date.now() >= quietUntil, 10_000);
    const stop = await vigil(home, ['stop', hang.run.id]);
    assert.equal(stop.code, 0, stop.stderr);
    await done;
    const late = pings().filter((request) => request.at > hangAt + 300);
    assert.deepEqual(
      late.map((request) => request.at - hangAt),
      [],
      'no ping after the hang',
    );
    assert.ok(!hc.requests.some((request) => request.path === '/ping/abc/fail'), 'stopped by the user: not a failure');
  });
});

describe('vigil notify test', () => {
  test('reaches the targets given, and those of vigil.yaml; a malformed mailto: is refused in one line', async () => {
    const home = tempHome();
    const hook = await server();
    const given = await vigil(home, ['notify', 'test', `${hook.url}/given`]);
    assert.equal(given.code, 0, given.stderr);
    assert.match(given.stdout, /sent a test alert to http:\/\/127\.0\.0\.1:\d+\/…/);
    const config = join(home, 'vigil.yaml');
    writeFileSync(config, `notify:\n  - ${hook.url}/from-yaml\n`);
    const fromFile = await vigil(home, ['notify', 'test', '-c', config]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual(
      hook.requests.map((request) => [request.path, JSON.parse(request.body).kind]),
      [
        ['/given', 'test'],
        ['/from-yaml', 'test'],
      ],
    );
    const mail = await vigil(home, ['notify', 'test', 'mailto:me']);
    assert.equal(mail.code, 2);
    assert.match(mail.stderr, /^vigil: mailto:me: expected mailto:NAME@HOST/);
    const deadPort = await freePort();
    const down = await vigil(home, ['notify', 'test', `http://127.0.0.1:${deadPort}/x`]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /could not send to http:\/\/127\.0\.0\.1:\d+\/…: ECONNREFUSED/);
  });
});

describe('email alerts', () => {
  test('a failing run mails its cause through a real local SMTP server (smtp-server), with authentication', async () => {
    const mails: { from: string; to: string[]; body: string; user: string | undefined }[] = [];
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            body: Buffer.concat(chunks).toString('utf8'),
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    after(() => smtp.close());
    const port = (smtp.server.address() as AddressInfo).port;
    const home = tempHome();
    const env = { VIGIL_SMTP_URL: `smtp://alerts@127.0.0.1:${port}`, VIGIL_SMTP_PASSWORD: 'pw', VIGIL_SMTP_FROM: 'vigil@gpu-box' };
    const result = await vigil(home, ['run', '-q', '--notify', 'mailto:me@example.com', '--', python, join(ALERTS, 'crash.py')], { env });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(mails.length, 1, result.stderr);
    const [mail] = mails as [(typeof mails)[number]];
    assert.deepEqual([mail.from, mail.to, mail.user], ['vigil@gpu-box', ['me@example.com'], 'alerts']);
    assert.match(mail.body, /Subject: \[vigil\] [0-9a-f]+: failed: file not found/);
    assert.match(mail.body, /cause: file_not_found/);
    // Without a server the target says so, once, and the run is not held up.
    const none = await vigil(home, ['notify', 'test', 'mailto:me@example.com'], { env: { VIGIL_SMTP_URL: '' } });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /VIGIL_SMTP_URL/);
  });
});

describe('desktop alerts', () => {
  // No desktop session runs here: a stand-in notify-send on PATH records what it is given.
  test('desktop: notify-send gets the headline and the urgency when a session bus is set; without one it is skipped in one line', async () => {
    const home = tempHome();
    const bin = join(home, 'bin');
    mkdirSync(bin);
    const said = join(home, 'notify-send.args');
    writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${said}'\n`);
    chmodSync(join(bin, 'notify-send'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}`, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus' };
    const sent = await vigil(home, ['notify', 'test', 'desktop'], { env });
    assert.equal(sent.code, 0, sent.stderr);
    const args = readFileSync(said, 'utf8');
    assert.match(args, /--app-name=vigil/);
    assert.match(args, /--urgency=/);
    assert.match(args, /\[vigil\]/);
    const skipped = await vigil(home, ['notify', 'test', 'desktop'], { env: { DBUS_SESSION_BUS_ADDRESS: '' } });
    assert.equal(skipped.code, 1);
    assert.match(skipped.stderr, /no desktop session bus/);
  });
});
