/**
 * `vigil report` of a real failed PyTorch run: the cause is in it, the secrets the job was given
 * and printed are not, it stays under 2 MB even for a 1 GB log, and the HTML opens in headless
 * Chromium with no network, the chart and the cause drawn.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { readPng } from '../helpers/png.ts';
import { torchPython } from '../helpers/python.ts';
import { envFor, JOBS, showJson, tempHome, vigil, VIGIL } from '../helpers/vigil.ts';

const JOB = join(JOBS, 'report', 'train_crash.py');
const MAX_BYTES = 2 * 1024 * 1024;
const SECRETS = {
  HF_TOKEN: 'hf_' + 'Qw3rTy7uIoP9aSdFgH2jKlZxCvBnM4qWeRt',
  MY_SERVICE_PASSWORD: 'correct-horse-battery-staple',
  API: 'sk-' + 'live1234567890abcdefGHIJKLmnop',
};

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('which', [name]).status === 0);
// Any host name resolves to nothing: the report must not need the network to show.
const OFFLINE = ['--headless', '--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND', '--window-size=1200,2000'];

function assertNoSecret(text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${name}'s value is in the report`);
}

describe('vigil report of a real failed PyTorch run', () => {
  const home = tempHome();
  const out = mkdtempSync(join(tmpdir(), 'vigil-report-'));
  const env = { HF_TOKEN: SECRETS.HF_TOKEN, MY_SERVICE_PASSWORD: SECRETS.MY_SERVICE_PASSWORD };

  before(async () => {
    const run = await vigil(home, ['run', '--name', 'crash', '--', torchPython(), JOB, '--api-key', SECRETS.API], {
      env,
      timeoutMs: 120_000,
    });
    assert.notEqual(run.code, 0, run.stderr);
    assert.equal(showJson(home).attempts[0].diagnosis.category, 'shape_error');
  });

  test('html and md: the cause is there, no planted secret, what was redacted is said, under 2 MB', async () => {
    for (const format of ['html', 'md']) {
      const file = join(out, `report.${format}`);
      const result = await vigil(home, ['report', 'crash', '-o', file, '--format', format], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /written to/);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /shape_error/);
      assert.match(text, /mat1 and mat2 shapes cannot be multiplied/);
      assert.match(text, /step 20 loss/, 'the log tail');
      assert.match(text, /API token|secret value from the environment/);
      assert.match(text, /\d+ × password in a URL/);
      assertNoSecret(text);
      assert.ok(statSync(file).size <= MAX_BYTES);
      if (format === 'html') assert.match(text, /<svg [^>]*aria-label="loss by step"/);
    }
  });

  test(
    'the HTML opens in headless Chromium without network: the cause and the chart are rendered',
    { skip: chromium ? false : 'chromium is not installed (apt-get install chromium)' },
    () => {
      const file = join(out, 'report.html');
      if (!existsSync(file))
        assert.equal(
          spawnSync(process.execPath, [join(import.meta.dirname, '../../dist/cli/main.js'), 'report', 'crash', '-o', file], {
            env: { ...process.env, VIGIL_HOME: home },
          }).status,
          0,
        );
      const dom = spawnSync(chromium as string, [...OFFLINE, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 90_000 });
      assert.equal(dom.status, 0, dom.stderr);
      assert.match(dom.stdout, /<svg[^>]*aria-label="loss by step"/);
      assert.match(dom.stdout, /<path d="M/, 'the loss line');
      assert.match(dom.stdout, /mat1 and mat2 shapes cannot be multiplied/);

      const png = join(out, 'report.png');
      const shot = spawnSync(chromium as string, [...OFFLINE, `--screenshot=${png}`, `file://${file}`], {
        encoding: 'utf8',
        timeout: 90_000,
      });
      assert.equal(shot.status, 0, shot.stderr);
      const image = readPng(readFileSync(png));
      assert.equal(image.width, 1200);
      let inked = 0;
      let chartBlue = 0;
      let causeRed = 0;
      for (let y = 0; y < image.height; y += 2)
        for (let x = 0; x < image.width; x += 2) {
          const [r, g, b] = image.pixel(x, y);
          if (r + g + b < 600) inked += 1;
          if (Math.abs(r - 0x1f) < 30 && Math.abs(g - 0x77) < 30 && Math.abs(b - 0xb4) < 30) chartBlue += 1;
          if (Math.abs(r - 0xd6) < 30 && Math.abs(g - 0x27) < 30 && Math.abs(b - 0x28) < 30) causeRed += 1;
        }
      assert.ok(inked > 2000, `the page is blank (${inked} dark pixels)`);
      assert.ok(chartBlue > 20, `no loss line drawn (${chartBlue} blue pixels)`);
      assert.ok(causeRed > 20, `no cause box drawn (${causeRed} red pixels)`);
    },
  );
});

test('a run whose log is 1 GB: the report reads only its tail, stays under 2 MB, in under 2 s', async () => {
  const home = tempHome();
  const run = await vigil(home, ['run', '--', torchPython(), JOB], { env: { HF_TOKEN: SECRETS.HF_TOKEN }, timeoutMs: 120_000 });
  assert.notEqual(run.code, 0);
  const log = showJson(home).attempts[0].log_path as string;
  // A sparse gigabyte, then a real megabyte of training lines and the traceback at its end.
  truncateSync(log, 1024 ** 3);
  const lines = Array.from({ length: 40_000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(5)} token=${SECRETS.HF_TOKEN}`);
  appendFileSync(log, `\n${lines.join('\n')}\nRuntimeError: mat1 and mat2 shapes cannot be multiplied (64x3 and 5x2)\n`);
  assert.ok(statSync(log).size > 1024 ** 3);
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-report-')), 'big.html');
  const started = process.hrtime.bigint();
  const result = await vigil(home, ['report', 'last', '-o', file]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(result.code, 0, result.stderr);
  const text = readFileSync(file, 'utf8');
  assert.ok(statSync(file).size <= MAX_BYTES, `${statSync(file).size} bytes`);
  assert.match(text, /step 39999 loss/);
  assertNoSecret(text);
  process.stderr.write(`# report of a 1 GB log: ${ms.toFixed(0)} ms, ${statSync(file).size} bytes\n`);
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
});

describe('vigil report: the code that ran', () => {
  test('the git commit and dirty state are those of when the run started, not of when the report is made', async () => {
    const home = tempHome();
    const repo = mkdtempSync(join(tmpdir(), 'vigil-report-git-'));
    const git = (...args: string[]) => {
      const done = spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
      assert.equal(done.status, 0, done.stderr);
      return done.stdout.trim();
    };
    git('init', '-q');
    writeFileSync(join(repo, 'train.py'), 'raise SystemExit(3)\n');
    git('add', 'train.py');
    git('commit', '-q', '-m', 'first');
    const commit = git('rev-parse', 'HEAD');
    const ran = spawnSync(process.execPath, [VIGIL, 'run', '-q', '--', 'python3', 'train.py'], {
      cwd: repo,
      env: envFor(home),
      encoding: 'utf8',
    });
    assert.equal(ran.status, 3, ran.stderr);
    // The checkout moves on after the run: the report must still say what ran.
    writeFileSync(join(repo, 'train.py'), 'raise SystemExit(4)\n');
    const report = await vigil(home, ['report', 'last', '-o', '-', '--format', 'md']);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, new RegExp(`${commit} \\(clean, as the run started\\)`));
  });

  test('python, torch and the GPUs are those of when the run started, even when that interpreter is gone', async () => {
    const home = tempHome();
    // The job's own interpreter (as a virtualenv's would be), removed once the run is over.
    const venv = mkdtempSync(join(tmpdir(), 'vigil-report-venv-'));
    const interpreter = join(venv, 'python3');
    writeFileSync(interpreter, `#!/bin/sh\nexec ${torchPython()} "$@"\n`);
    chmodSync(interpreter, 0o755);
    const ran = spawnSync(process.execPath, [VIGIL, 'run', '-q', '--', interpreter, '-c', 'raise SystemExit(3)'], {
      env: envFor(home),
      encoding: 'utf8',
    });
    assert.equal(ran.status, 3, ran.stderr);
    rmSync(venv, { recursive: true });
    const report = await vigil(home, ['report', 'last', '-o', '-', '--format', 'md']);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /python 3\.\d+\.\d+; torch \d/);
    assert.doesNotMatch(report.stdout, /could not be asked|asked when the report was made/);
    assert.match(report.stdout, /as the run started/);
  });
});
