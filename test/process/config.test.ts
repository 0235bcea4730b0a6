/** vigil.yaml through the built CLI: options and the command from the file, the command line over it, errors before anything starts. */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { VIGIL, collect, envFor, psJson, showJson, tempHome } from '../helpers/vigil.ts';

/** Runs the built vigil in a working directory holding this vigil.yaml. */
function vigilIn(yaml: string | null, args: string[]) {
  const home = tempHome();
  const cwd = mkdtempSync(join(tmpdir(), 'vigil-cwd-'));
  if (yaml !== null) writeFileSync(join(cwd, 'vigil.yaml'), yaml);
  const child = spawn(process.execPath, [VIGIL, ...args], { cwd, env: envFor(home), stdio: ['ignore', 'pipe', 'pipe'] });
  return { home, result: collect(child) };
}

describe('vigil run with a vigil.yaml', () => {
  test('the command and options come from the file; the command line wins', async () => {
    const { home, result } = vigilIn("command: [sh, -c, 'echo from-file']\nname: from-file\nquiet: true\n", ['run', '--name', 'typed']);
    const { code, stdout } = await result;
    assert.equal(code, 0);
    assert.equal(stdout, '', 'quiet: true from the file');
    const run = showJson(home);
    assert.equal(run.name, 'typed');
    assert.deepEqual(run.command, ['sh', '-c', 'echo from-file']);
  });

  test('a bad vigil.yaml: one line with file, line, key, expected and found; exit 2; no run', async () => {
    const { home, result } = vigilIn('restart: on-failure\nmax-restarts: three\n', ['run', '--', 'true']);
    const { code, stderr } = await result;
    assert.equal(code, 2);
    assert.equal(stderr, 'vigil: vigil.yaml:2: max-restarts: expected a whole number (0 or more), found "three"\n');
    assert.deepEqual(psJson(home), []);
  });

  test('-c of a missing file: exit 2 before anything starts', async () => {
    const { home, result } = vigilIn(null, ['run', '-c', 'nope.yaml', '--', 'true']);
    const { code, stderr } = await result;
    assert.equal(code, 2);
    assert.equal(stderr, 'vigil: -c nope.yaml: no such file\n');
    assert.deepEqual(psJson(home), []);
  });

  test('an --on rule over a parameter that is not there: exit 2', async () => {
    const { result } = vigilIn(null, ['run', '--on', 'cuda_oom:halve=BATCH', '--', 'true']);
    const { code, stderr } = await result;
    assert.equal(code, 2);
    assert.equal(stderr, 'vigil: --on cuda_oom:halve=BATCH: BATCH is not a parameter (add --param BATCH=VALUE)\n');
  });
});
