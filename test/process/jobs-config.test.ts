/** vigil.yaml's jobs through the built CLI: the run options of a job, as words, are ones `vigil run` accepts. */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadJobsConfig } from '../../src/cli/config/load-jobs.ts';
import { VIGIL, collect, envFor, showJson, tempHome } from '../helpers/vigil.ts';

test("a job's runOptions start a run as vigil run's own options would", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-'));
  writeFileSync(
    join(dir, 'vigil.yaml'),
    `restart: on-failure
stop-timeout: 45s
startup-timeout: off
jobs:
  train:
    command: [sh, -c, 'echo {BATCH}']
    max-restarts: 5
    backoff: 1s..2s
    quiet: true
    cgroup: false
    python-hooks: false
    retry-on: [hang]
    param: {BATCH: 32}
    on:
      cuda_oom: {halve: BATCH}
    checkpoints: ckpt
    checkpoint-glob: "step-*.pt"
    keep-last: 2
    best-mode: max
`,
  );
  const [job] = loadJobsConfig('vigil.yaml', dir).jobs;
  assert.ok(job);
  const home = tempHome();
  const child = spawn(process.execPath, [VIGIL, 'run', ...job.runOptions, '--', ...job.command], {
    cwd: job.cwd,
    env: envFor(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { code, stdout, stderr } = await collect(child);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, '', 'quiet');
  assert.equal(showJson(home).status, 'succeeded');
});
