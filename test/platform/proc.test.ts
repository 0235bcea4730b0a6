/**
 * A process on its way out is not alive: the kernel tears down a large address space for a while
 * after exit() with the process still in state R (only its PF_EXITING flag says so), and a signal
 * sent then is never acted on. `vigil stop` asks isSameProcessAlive before it signals the job: a
 * job that exited on its own in that window was recorded as stopped (1 in 700 stop/exit races).
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { test } from 'node:test';
import { isSameProcessAlive, signalDisposition } from '../../src/platform/proc.ts';

const PF_EXITING = 0x4;

test('a process tearing down its memory after exit() is not alive, though its state is still R', async () => {
  // 1 GiB written, so that the kernel's teardown lasts milliseconds rather than microseconds.
  const program = "import os, sys\nheld = b'x' * (1 << 30)\nprint('ready', flush=True)\nsys.stdin.readline()\nos._exit(0)";
  const child = spawn('python3', ['-c', program], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pid = child.pid as number;
  await once(child.stdout, 'data');
  assert.equal(isSameProcessAlive(pid, null), true, 'alive before it exits');
  child.stdin.write('go\n');
  let exitingSeen = 0;
  const aliveWhileExiting: string[] = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const stat = rawStat(pid);
    if (stat === null || stat.state === 'Z') break;
    if ((stat.flags & PF_EXITING) === 0) continue;
    exitingSeen += 1; // the flag is never cleared: the process can only go on to Z
    if (isSameProcessAlive(pid, null)) aliveWhileExiting.push(stat.state);
  }
  await once(child, 'exit');
  assert.ok(exitingSeen > 0, 'the exit window was seen at least once (else this test proves nothing)');
  assert.deepEqual(aliveWhileExiting, [], `counted alive while exiting (${exitingSeen} looks in the window)`);
});

function rawStat(pid: number): { state: string; flags: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] as string, flags: Number(fields[6]) };
  } catch {
    return null;
  }
}

test("a process's disposition of a signal, from /proc: left to its default, caught by a handler, blocked", async () => {
  const python = (code: string) => {
    const child = spawn('/usr/bin/python3', ['-c', `import signal, time\n${code}\nprint('ready', flush=True)\ntime.sleep(30)`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return { child, ready: once(child.stdout as NodeJS.ReadableStream, 'data') };
  };
  const cases = [
    { code: 'pass', expected: 'default' },
    { code: 'signal.signal(signal.SIGTERM, lambda *_: None)', expected: 'caught' },
    { code: 'signal.signal(signal.SIGTERM, signal.SIG_IGN)', expected: 'ignored' },
    { code: 'signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})', expected: 'blocked' },
  ];
  for (const { code, expected } of cases) {
    const { child, ready } = python(code);
    await ready;
    assert.equal(signalDisposition(child.pid as number, 'SIGTERM'), expected, code);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(signalDisposition(child.pid as number, 'SIGTERM'), null, 'gone');
  }
});
