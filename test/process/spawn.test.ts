/**
 * `vigil run` launching the job: byte-exact arguments and working directory, a deleted working
 * directory, and a command line the kernel refuses (E2BIG). Non-UTF-8 bytes cannot travel as
 * Node strings, so these tests start vigil through bash, whose $'...' quoting writes raw bytes.
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { collect, envFor, tempHome, VIGIL, vigil, type Result } from '../helpers/vigil.ts';

/** Runs `script` in bash with $VIGIL naming the built CLI (`"$VIGIL" run -- ...`). */
function vigilInBash(home: string, script: string): Promise<Result> {
  const child = spawn('/bin/bash', ['-c', script], {
    env: envFor(home, { VIGIL: `${process.execPath} ${VIGIL}` }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** A job that writes its cwd, then each argument, as raw bytes each ended by NUL, to $OUT. */
const RECORD_ARGV = `import os, sys; open(os.environ['OUT'], 'wb').write(b''.join(w + b'\\0' for w in [os.getcwdb()] + [os.fsencode(a) for a in sys.argv[1:]]))`;

function recorded(path: string): Buffer[] {
  const bytes = readFileSync(path);
  const words: Buffer[] = [];
  for (let start = 0, end; (end = bytes.indexOf(0, start)) !== -1; start = end + 1) words.push(bytes.subarray(start, end));
  return words;
}

describe('vigil run: launching the job', () => {
  for (const cgroup of ['', '--no-cgroup']) {
    test(`arguments and cwd that are not valid UTF-8 reach the job byte for byte ${cgroup}`, async () => {
      const home = tempHome();
      const base = mkdtempSync(join(tmpdir(), 'vigil-bytes-'));
      const out = join(base, 'argv');
      // The directory's name and two arguments hold bytes that are not UTF-8; the others are
      // the characters a shell script would mangle if quoted carelessly.
      const result = await vigilInBash(
        home,
        `mkdir $'${base}/caf\\xe9' && cd $'${base}/caf\\xe9' && OUT=${out} exec $VIGIL run ${cgroup} -- python3 -c "${RECORD_ARGV.replace(/"/g, '\\"')}" $'caf\\xe9' $'\\xff\\xfe%s\\\\n' "it's" '' $'new\\nline\\n' '-n' '$HOME "q"'`,
      );
      assert.equal(result.code, 0, result.stderr);
      const expected = [
        Buffer.from(`${base}/caf\xe9`, 'latin1'),
        Buffer.from('caf\xe9', 'latin1'),
        Buffer.from('\xff\xfe%s\\n', 'latin1'),
        Buffer.from("it's"),
        Buffer.alloc(0),
        Buffer.from('new\nline\n'),
        Buffer.from('-n'),
        Buffer.from('$HOME "q"'),
      ];
      assert.deepEqual(recorded(out), expected);
      rmSync(base, { recursive: true, force: true });
    });
  }

  test('{NAME} and {checkpoint} are filled in a command that is not UTF-8, its other bytes kept', async () => {
    const home = tempHome();
    const base = mkdtempSync(join(tmpdir(), 'vigil-bytes-'));
    const out = join(base, 'argv');
    const result = await vigilInBash(
      home,
      `cd ${base} && OUT=${out} exec $VIGIL run -q --param BATCH=16 -- python3 -c "${RECORD_ARGV.replace(/"/g, '\\"')}" $'caf\\xe9' '--batch={BATCH}' --resume '{checkpoint}' end`,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(recorded(out).slice(1), [Buffer.from('caf\xe9', 'latin1'), Buffer.from('--batch=16'), Buffer.from('end')]);
    rmSync(base, { recursive: true, force: true });
  });

  test('a deleted working directory is one clear line and exit 126', async () => {
    const home = tempHome();
    const base = mkdtempSync(join(tmpdir(), 'vigil-gone-'));
    const result = await vigilInBash(home, `cd ${base} && rmdir ${base} && exec $VIGIL run -- pwd`);
    assert.equal(result.code, 126, result.stderr);
    assert.equal(result.stderr, `vigil: the current directory no longer exists (${base} was deleted): cd to one that exists\n`);
  });

  test('a command line the kernel refuses (E2BIG) is one line naming the limit and the size, exit 126', async () => {
    const home = tempHome();
    // vigil's own exec fits just under the limit; the job's adds vigil's environment (the run's
    // tag and paths) and goes over it.
    const limit = argumentSpaceLimit();
    const env = envFor(home);
    const prefix = [process.execPath, VIGIL, 'run', '--', '/bin/true'];
    const envStrings = Object.entries(env).map(([key, value]) => `${key}=${value}`);
    const used = execSize([...prefix, ...envStrings]) + process.execPath.length + 1;
    const room = limit - used - 120; // 120 bytes of headroom for vigil itself: what vigil adds is several hundred
    const words: string[] = [];
    for (let left = room; left > 0;) {
      const size = Math.min(1000, left - 9); // each word costs its bytes, a NUL and an 8-byte pointer
      if (size < 1) break;
      words.push('a'.repeat(size));
      left -= size + 9;
    }
    const result = await vigil(home, ['run', '--', '/bin/true', ...words]);
    assert.equal(result.code, 126, result.stderr);
    assert.match(
      result.stderr,
      /\nvigil: cannot start the job: its arguments and environment take [\d,]+ bytes, over the kernel's limit of [\d,]+ \(a quarter of the stack size limit, ulimit -s; vigil adds [\d,]+ of them\)\n$/,
    );
    const shown = spawnSync(process.execPath, [VIGIL, 'show', 'last', '--json'], {
      env: envFor(home),
      maxBuffer: 64 << 20,
      encoding: 'utf8',
    });
    assert.equal(JSON.parse(shown.stdout).status, 'failed', 'the run is recorded as failed');
  });
});

/** What the kernel charges an exec for these strings: each one's bytes, its NUL and its pointer. */
function execSize(strings: string[]): number {
  return strings.reduce((sum, s) => sum + Buffer.byteLength(s) + 1 + 8, 0);
}

/** The kernel's room for argv + envp: a quarter of the stack limit, at most 6 MiB (fs/exec.c). */
function argumentSpaceLimit(): number {
  const soft = /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  const quarter = soft === undefined || soft === 'unlimited' ? Infinity : Number(soft) / 4;
  return Math.max(128 * 1024, Math.min(quarter, 6 * 1024 * 1024));
}
