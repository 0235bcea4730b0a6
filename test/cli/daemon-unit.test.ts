import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { installUnit, systemdUserUnit } from '../../src/cli/daemon-unit.ts';
import { VigilError } from '../../src/errors.ts';

const INPUTS = {
  node: '/usr/bin/node',
  cli: '/opt/vigil/dist/cli/main.js',
  home: '/home/ada/.vigil',
  path: '/home/ada/.venv/bin:/usr/bin:/bin',
};

describe('systemdUserUnit', () => {
  test('the daemon in the foreground, restarted, its runs spared, started with the user manager', () => {
    const lines = systemdUserUnit(INPUTS).split('\n');
    for (const line of [
      '[Service]',
      'ExecStart="/usr/bin/node" "/opt/vigil/dist/cli/main.js" "daemon"',
      'Environment="VIGIL_HOME=/home/ada/.vigil"',
      'Environment="PATH=/home/ada/.venv/bin:/usr/bin:/bin"',
      'Restart=always',
      'RestartSec=2',
      'KillMode=process',
      '[Install]',
      'WantedBy=default.target',
    ])
      assert.ok(lines.includes(line), `has ${line}`);
  });

  test('spaces, %, $, quotes and backslashes survive systemd’s unquoting', () => {
    const unit = systemdUserUnit({ node: '/opt/my node/bin/node', cli: '/a/100%/"x"\\y$HOME.js', home: '/h/50% off', path: '/p $q:/bin' });
    assert.match(unit, /^ExecStart="\/opt\/my node\/bin\/node" "\/a\/100%%\/\\"x\\"\\\\y\$\$HOME\.js" "daemon"$/m);
    assert.match(unit, /^Environment="VIGIL_HOME=\/h\/50%% off"$/m);
    assert.match(unit, /^Environment="PATH=\/p \$q:\/bin"$/m, 'Environment= does not expand $');
  });

  test('a relative path is refused', () => {
    assert.throws(() => systemdUserUnit({ ...INPUTS, cli: 'dist/cli/main.js' }), VigilError);
  });
});

describe('installUnit', () => {
  const configHome = () => mkdtempSync(join(tmpdir(), 'vigil-xdg-'));

  test('under $XDG_CONFIG_HOME/systemd/user, with the commands to enable it and keep it without a login', () => {
    const xdg = configHome();
    const installed = installUnit(INPUTS, { env: { XDG_CONFIG_HOME: xdg, HOME: '/nonexistent' } });
    assert.equal(installed.path, join(xdg, 'systemd/user/vigil-daemon.service'));
    assert.equal(readFileSync(installed.path, 'utf8'), systemdUserUnit(INPUTS));
    assert.deepEqual(installed.commands, [
      'systemctl --user daemon-reload && systemctl --user enable --now vigil-daemon.service',
      'loginctl enable-linger $USER',
    ]);
    assert.equal(installed.unchanged, false);
    assert.equal(installUnit(INPUTS, { env: { XDG_CONFIG_HOME: xdg } }).unchanged, true, 'the same text again: nothing to do');
  });

  test('without XDG_CONFIG_HOME: ~/.config', () => {
    const home = configHome();
    assert.equal(installUnit(INPUTS, { env: { HOME: home } }).path, join(home, '.config/systemd/user/vigil-daemon.service'));
  });

  test('a different file there is refused with a line saying how to replace it; --force replaces it', () => {
    const xdg = configHome();
    const path = join(xdg, 'systemd/user/vigil-daemon.service');
    mkdirSync(join(xdg, 'systemd/user'), { recursive: true });
    writeFileSync(path, '[Service]\nExecStart=/usr/local/bin/my-own\n');
    assert.throws(
      () => installUnit(INPUTS, { env: { XDG_CONFIG_HOME: xdg } }),
      (error: unknown) =>
        error instanceof VigilError &&
        error.exitCode === 2 &&
        error.message === `daemon install: ${path} exists and differs: vigil daemon install --force replaces it`,
    );
    assert.equal(readFileSync(path, 'utf8'), '[Service]\nExecStart=/usr/local/bin/my-own\n', 'left alone');
    installUnit(INPUTS, { env: { XDG_CONFIG_HOME: xdg }, force: true });
    assert.equal(readFileSync(path, 'utf8'), systemdUserUnit(INPUTS));
  });
});

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const noAnalyze = analyze.error ? 'systemd-analyze is not installed (apt-get install systemd)' : false;

describe('systemd-analyze verify', { skip: noAnalyze }, () => {
  test('systemd reads the unit without a complaint, and finds node behind a path with a space and a %', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-unit-'));
    // ExecStart's program must exist: verify checks it, so a mis-escaped path fails here.
    const bin = join(root, 'my 100%h node'); // %h: a specifier, were it not escaped
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const xdg = join(root, 'config');
    const { path } = installUnit(
      { node: join(bin, 'node'), cli: join(root, 'cli dir', 'main.js'), home: join(root, '50% home'), path: '/usr/bin:/bin' },
      { env: { XDG_CONFIG_HOME: xdg } },
    );
    // --user needs a runtime directory, which a container without a login session lacks.
    const runtime = mkdtempSync(join(tmpdir(), 'vigil-runtime-'));
    const result = spawnSync('systemd-analyze', ['--user', '--man=no', 'verify', path], {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime, XDG_CONFIG_HOME: xdg },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '', 'no warnings (an unknown key or value is only a warning)');
  });
});
