/**
 * `vigil run` as a Kubernetes container's entrypoint, without a cluster: run as Kubernetes runs
 * it — PID 1 of its own PID namespace (unshare), told to stop with SIGTERM — it exits with the
 * cause's code (`--exit-codes cause`: 76 for a failure that will repeat, 143 for a stop) and leaves
 * the run's end and cause in the termination-message file (`--termination-log`).
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { collect, envFor, JOBS, tempHome, VIGIL, waitUntil } from '../helpers/vigil.ts';

const python = torchPython();

/** `vigil run --exit-codes cause --termination-log FILE [extra] -- job` as PID 1 of a new PID namespace (its own /proc), as a container's entrypoint runs. */
function asEntrypoint(home: string, message: string, extra: string[], job: string[]) {
  const args = ['run', '-q', '--exit-codes', 'cause', '--termination-log', message, ...extra, '--', ...job];
  return spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, VIGIL, ...args], {
    env: envFor(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The process unshare forked: vigil, PID 1 inside. */
function childOf(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(/\s+/)[0]) : null;
  } catch {
    return null;
  }
}

describe('vigil run as a Kubernetes entrypoint', () => {
  test('a failure that will repeat: exit 76, its cause in the termination message', async () => {
    const home = tempHome();
    const message = join(home, 'termination-log');
    const child = asEntrypoint(home, message, [], [python, join(JOBS, 'alerts', 'crash.py')]);
    const result = await collect(child, 60_000);
    assert.equal(result.code, 76, result.stderr);
    const said = readFileSync(message, 'utf8');
    assert.match(said, /failed, exit code 1\ncause: file_not_found: .*\nretry: will not help/);
  });

  test('SIGTERM to PID 1 (a pod deleted): the job is stopped within the grace period, exit 143, the message says stopped', async () => {
    const home = tempHome();
    const message = join(home, 'termination-log');
    const child = asEntrypoint(
      home,
      message,
      ['--stop-timeout', '2s'],
      [
        python,
        '-c',
        'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("up", flush=True)\nwhile True: time.sleep(0.1)',
      ],
    );
    const done = collect(child, 60_000);
    const vigilPid = await waitUntil('vigil inside the namespace', () => childOf(child.pid as number));
    await waitUntil('the job running', () => existsSync(join(home, 'runs')) && readdirHasLog(join(home, 'runs')));
    const sent = Date.now();
    process.kill(vigilPid, 'SIGTERM');
    const result = await done;
    assert.equal(result.code, 143, result.stderr);
    assert.ok(Date.now() - sent < 2000 + 8000, 'within the stop timeout and some slack: before a pod grace period of 30 s ends');
    assert.match(readFileSync(message, 'utf8'), /: stopped, killed by SIGKILL/);
  });
});

function readdirHasLog(runs: string): boolean {
  return readdirSync(runs).some((run) => {
    const log = join(runs, run, 'attempt-1.log');
    return existsSync(log) && readFileSync(log, 'utf8').includes('up');
  });
}
