/** What vigil prints: broken pipes, durations, terminal escapes, widths, colour, and small wording defects. */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { type RunRecord, RunStore } from '../../src/store/runs.ts';
import { type Result, collect, envFor, showJson, tempHome, VIGIL, vigil } from '../helpers/vigil.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

const ESC = '\x1b';

/** Records runs straight into the store (as a long-gone vigil would have), each with one ended attempt unless told otherwise. */
function storeRuns(home: string, runs: Partial<RunRecord>[], withAttempt = true): RunRecord[] {
  const store = new RunStore(openDatabase(join(home, 'vigil.db')));
  const now = Date.now();
  const stored = runs.map((fields, i) => {
    const id = fields.id ?? `5${String(i).padStart(11, '0')}`;
    const run = runRecord(home, { createdAt: now + i, endedAt: now + i, ...fields, id });
    store.exclusively(() => {
      store.insertRun(run);
      if (withAttempt) store.insertAttempt(attemptRecord(run, { pid: 1, pgid: 1, startedAt: now, endedAt: now, exitCode: 0 }));
    });
    return run;
  });
  store.db.close();
  return stored;
}

/** Runs vigil with its stdout read up to the first chunk and then closed, as `| head -c 1` does. */
function readFirstChunkOnly(home: string, args: string[]): Promise<Result> {
  const child = spawn(process.execPath, [VIGIL, ...args], { env: envFor(home), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.once('data', () => child.stdout.destroy());
  return collect(child);
}

describe('a reader that goes away (EPIPE)', () => {
  test('logs, show and ps stop quietly when their stdout is closed', async () => {
    const home = tempHome();
    const made = await vigil(home, ['run', '-q', '--', 'sh', '-c', 'yes "a line of the log" | head -n 300000']);
    assert.equal(made.code, 0, made.stderr);
    const logged = showJson(home).id as string;
    // Enough rows that `ps --all` writes more than a pipe holds, even with its commands cut.
    const runs = storeRuns(home, [
      { command: ['echo', 'x'.repeat(2 << 20)] },
      ...Array.from({ length: 500 }, () => ({ command: ['echo', 'y'.repeat(300)] })),
    ]);
    for (const args of [
      ['logs', logged],
      ['show', (runs[0] as RunRecord).id],
      ['ps', '--all'],
      ['ps', '--all', '--json'],
    ]) {
      const result = await readFirstChunkOnly(home, args);
      assert.equal(result.stderr, '', `vigil ${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.code, 0, `vigil ${args.join(' ')}`);
    }
  });
});

describe('durations', () => {
  test('--help shows defaults as they are typed and documents the syntax', async () => {
    const help = (await vigil(tempHome(), ['run', '--help'])).stdout;
    assert.match(help, /--stop-timeout[\s\S]*\(default: 30s\)/);
    assert.match(help, /\(default: 10m\)/);
    assert.match(help, /\(default: 1m\)/);
    assert.doesNotMatch(help, /default: (30000|600000|60000)\b/);
    assert.match(help, /Durations: a number with a unit \(250ms, 30s, 5m, 1h30m, 2d\), or bare seconds up to 999/);
  });

  test('a bare number too large to be seconds is refused, saying what it would have meant', async () => {
    const result = await vigil(tempHome(), ['run', '--stop-timeout', '30000', '--', 'true']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /30000 would be 8h20m: write 8h20m, or 30000ms if milliseconds were meant/);
  });

  test('--startup-timeout 0 and off mean never', async () => {
    for (const value of ['0', 'off']) {
      const home = tempHome();
      const result = await vigil(home, ['run', '--startup-timeout', value, '--', 'sh', '-c', 'sleep 1']);
      assert.equal(result.code, 0, `${value}: ${result.stderr}`);
      assert.deepEqual(showJson(home).flags, [], value);
    }
  });
});

describe('text from users and jobs cannot drive the terminal', () => {
  test('a run name with escapes and a command with newlines are printed escaped, in ps and show', async () => {
    const home = tempHome();
    const name = `${ESC}]0;pwned${ESC}\\evil${ESC}[2J`;
    const result = await vigil(home, ['run', '--name', name, '--', 'sh', '-c', 'echo one\necho two']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stderr.includes(ESC), JSON.stringify(result.stderr));
    for (const args of [
      ['ps', '--all'],
      ['show', 'last'],
    ]) {
      const shown = (await vigil(home, args)).stdout;
      assert.ok(!shown.includes(ESC), `${args.join(' ')}: ${JSON.stringify(shown)}`);
      assert.match(shown, /evil/);
      assert.ok(shown.includes(`sh -c $'echo one\\necho two'`), `${args.join(' ')}: ${JSON.stringify(shown)}`);
    }
    assert.equal(showJson(home).name, name, '--json stays exact');
    assert.deepEqual(showJson(home).command, ['sh', '-c', 'echo one\necho two']);
  });

  test('explain drops OSC sequences ended by ST and other escapes from what it quotes of the log', async () => {
    const home = tempHome();
    const log = join(home, 'osc.log');
    const osc = `${ESC}]8;;https://evil.example${ESC}\\here${ESC}]8;;${ESC}\\`;
    writeFileSync(
      log,
      `Traceback (most recent call last):\n  File "/x/train.py", line 3, in <module>\nKeyError: 'a ${osc} ${ESC}]0;title${ESC}\\ b'\n`,
    );
    const result = await vigil(home, ['explain', log]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(ESC), JSON.stringify(result.stdout));
    assert.match(result.stdout, /KeyError: 'a here {2}b'/);
  });

  test('ps cuts a 2 MB command to a sane width when piped; --json keeps it whole', async () => {
    const home = tempHome();
    const huge = `python3 ${'y'.repeat(2 << 20)}`;
    storeRuns(home, [{ command: ['sh', '-c', huge] }]);
    const listed = (await vigil(home, ['ps', '--all'])).stdout.split('\n');
    const line = listed[1] as string;
    assert.ok(line.length < 400, `a ${line.length}-character line`);
    assert.ok(line.endsWith('…'), line.slice(-20));
    const json = await vigil(home, ['ps', '--all', '--json']); // too big for psJson's spawnSync buffer
    assert.equal(JSON.parse(json.stdout)[0].command[2], huge);
  });
});

describe('vigil logs', () => {
  test('--tail 0 prints nothing', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'sh', '-c', 'echo a; echo b']);
    const result = await vigil(home, ['logs', 'last', '--tail', '0']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
  });

  test('a log file that is gone is one line and exit 1, not an internal error', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'echo', 'hi']);
    rmSync(showJson(home).log_path);
    for (const args of [
      ['logs', 'last'],
      ['logs', 'last', '--tail', '3'],
      ['logs', 'last', '-f'],
    ]) {
      const result = await vigil(home, args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^vigil: cannot read the log of run \w+ attempt 1: .*attempt-1\.log \(ENOENT\)\n$/);
    }
  });
});

describe('colour follows the stream it is written to', () => {
  test('vigil run on a terminal with stderr in a file: no escapes in the file', () => {
    const home = tempHome();
    const errFile = join(home, 'stderr.txt');
    // `script` gives vigil a terminal for stdout; NO_COLOR unset so that colour is allowed at all.
    const env = { ...envFor(home), NO_COLOR: '', TERM: 'xterm' };
    const inTerminal = (command: string) => spawnSync('script', ['-qec', command, '/dev/null'], { env, encoding: 'utf8', timeout: 60_000 });
    const run = inTerminal(`${process.execPath} ${VIGIL} run -- sh -c 'exit 3' 2>${errFile}`);
    assert.equal(run.status, 3, run.stderr);
    const stderr = readFileSync(errFile, 'utf8');
    assert.match(stderr, /failed after/);
    assert.ok(!stderr.includes(ESC), JSON.stringify(stderr));
    const ps = inTerminal(`${process.execPath} ${VIGIL} ps --all 2>/dev/null`);
    assert.ok(ps.stdout.includes(`${ESC}[31mfailed`), `the terminal gets colour: ${JSON.stringify(ps.stdout)}`);
  });
});

describe('wording', () => {
  test('explain of a clean log says no error was found and makes no retry claim', async () => {
    const home = tempHome();
    const log = join(home, 'clean.log');
    writeFileSync(log, 'epoch 1 loss 0.5\ntraining finished\n');
    const result = await vigil(home, ['explain', log]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no error found/);
    assert.doesNotMatch(result.stdout, /retry|will not help/);
    const json = JSON.parse((await vigil(home, ['explain', log, '--json'])).stdout);
    assert.equal(json.retryable, false, 'the JSON shape is unchanged');
  });

  test('explain --signal takes signal names and numbers, and refuses others (exit 2)', async () => {
    const home = tempHome();
    const bogus = await vigil(home, ['explain', '--signal', 'bogus', '/dev/null']);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /argument 'bogus' is invalid/);
    for (const signal of ['SIGKILL', 'kill', '9']) {
      const json = JSON.parse((await vigil(home, ['explain', '--signal', signal, '/dev/null', '--json'])).stdout);
      assert.equal(json.category, 'host_oom', signal);
    }
  });

  test('show of a run with no attempt prints no "null"', async () => {
    const home = tempHome();
    storeRuns(home, [{}], false);
    const result = await vigil(home, ['show', 'last']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /null/);
    assert.match(result.stdout, /^logs {5}-$/m);
  });

  test('run and show give the same duration', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', 'true']);
    const ran = /succeeded after (\S+),/.exec(result.stderr)?.[1];
    const shown = /\(after (\S+)\)/.exec((await vigil(home, ['show', 'last'])).stdout)?.[1];
    assert.ok(ran, result.stderr);
    assert.equal(shown, ran);
    assert.equal(showJson(home).duration_ms, showJson(home).attempts[0].duration_ms);
  });

  test('a command that is no training job is not flagged no_progress', async () => {
    const home = tempHome();
    const result = await vigil(home, ['run', '--', 'echo', 'hi']);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stderr, /flags|did it train/);
    assert.deepEqual(showJson(home).flags, []);
  });
});
