/**
 * vigil under a real Slurm (test/helpers/slurm.ts: one host, started here): `vigil submit
 * --slurm` writes a batch script that execs `vigil run`; Slurm's notice (USR1 to the batch shell,
 * as a preemption with send_user_signal or `--signal=B:USR1@N` sends it) makes the job save
 * through `vigil.should_stop()`; with --requeue vigil then requeues the job and the requeued run
 * resumes from that checkpoint; a step killed at its --mem is diagnosed host_oom from Slurm's cgroup.
 * The three jobs run side by side (the node has room for them) to keep the file short.
 */

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type SlurmCluster, slurmMissing, startSlurmCluster } from '../helpers/slurm.ts';
import { JOBS, psJson, showJson, tempHome, VIGIL, waitUntil } from '../helpers/vigil.ts';

const TRAINER = join(JOBS, 'slurm', 'save_on_notice.py');
const missing = slurmMissing();

describe('vigil under Slurm', { skip: missing ?? false, concurrency: true }, () => {
  let cluster: SlurmCluster;
  before(async () => {
    cluster = await startSlurmCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  /** `vigil submit --slurm …` in a fresh VIGIL_HOME; returns the Slurm job id and the home. */
  function submit(sbatch: string, runOptions: string[], jobArgs: string[]) {
    const home = tempHome();
    const work = mkdtempSync(join(tmpdir(), 'vigil-slurm-job-'));
    const result = spawnSync(
      process.execPath,
      [
        VIGIL,
        'submit',
        '--slurm',
        '--sbatch',
        `--output=${work}/slurm-%j.out ${sbatch}`,
        ...runOptions,
        '--',
        '/usr/bin/python3',
        TRAINER,
        ...jobArgs,
      ],
      { cwd: work, env: { ...cluster.env, VIGIL_HOME: home }, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const jobId = result.stdout.trim();
    assert.match(jobId, /^\d+$/);
    return { home, work, jobId };
  }

  const runs = (home: string) => (existsSync(join(home, 'vigil.db')) ? psJson(home) : []);
  const logOf = (home: string, runId: string) => readFileSync(showJson(home, runId).log_path, 'utf8');
  /** The run's events as stored, read straight from the database. */
  const events = (home: string, runId: string): string[] => {
    const db = new Database(join(home, 'vigil.db'), { readonly: true });
    try {
      return (db.prepare('SELECT kind FROM events WHERE run_id = ? ORDER BY at, id').all(runId) as { kind: string }[]).map((e) => e.kind);
    } finally {
      db.close();
    }
  };

  async function listening(home: string): Promise<string> {
    const runId = await waitUntil(
      'the job under vigil, stepping',
      () => runs(home).find((run) => run.status === 'running')?.id as string | undefined,
      20_000,
    );
    const eventsFile = join(home, 'runs', runId, 'attempt-1.events');
    await waitUntil(
      'the job checks should_stop()',
      () => existsSync(eventsFile) && readFileSync(eventsFile, 'utf8').includes('"stop_listener"'),
      20_000,
    );
    return runId;
  }

  test('a preemption notice: the job saves, vigil requeues it, and the requeued run resumes from that checkpoint', async (t) => {
    t.diagnostic(`cluster start-up ${cluster.startupMs} ms (memory cgroups: ${cluster.memoryCgroup})`);
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-slurm-ckpt-'));
    const { home, work, jobId } = submit(
      '',
      ['--requeue', '--checkpoints', ckpt, '--checkpoint-glob', 'step-*.ckpt', '--save-grace', '20s'],
      ['--ckpt-dir', ckpt, '--resume', '{checkpoint}', '--steps', '150'],
    );
    const first = await listening(home);
    // slurmctld may not answer in time on a loaded machine ("Socket timed out on send/recv"): ask again, as a person would.
    let refusal = '';
    await waitUntil(
      'scancel to deliver USR1',
      () => {
        const sent = spawnSync('scancel', ['--signal=USR1', '--batch', jobId], { env: cluster.env, encoding: 'utf8' });
        refusal = sent.stderr;
        return sent.status === 0;
      },
      20_000,
      500,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; scancel said: ${refusal}`);
    });
    const saved = await waitUntil('the save', () => /saved at step (\d+)/.exec(logOf(home, first))?.[1], 20_000);
    // Slurm holds a requeued job for two minutes (its BeginTime) before it may start again: release it now.
    await waitUntil(
      'the job requeued and held',
      () => {
        const job = cluster.job(jobId);
        return job?.restarts === 1 && job.state === 'PENDING' && job.reason === 'BeginTime';
      },
      20_000,
    );
    // Not within the second the old job was killed in: slurmd revokes a killed job's credentials by the second, and a
    // requeued job of the same id launched in that same second is refused ("Job credential revoked": FAILED in 0 s, seen
    // under load). Slurm's own hold exists for this; the old batch step done and a new second begun are enough.
    await waitUntil(
      'the old batch step done, and a second after it begun',
      () => {
        const done = new RegExp(String.raw`\[([\d-]+T[\d:.]+)\] \[${jobId}\.batch\] done with job`).exec(cluster.logLines(jobId));
        return done !== null && Date.now() >= (Math.floor(new Date(done[1] as string).getTime() / 1000) + 1) * 1000;
      },
      20_000,
    );
    cluster.scontrol('update', `JobId=${jobId}`, 'StartTime=now');
    const second = await waitUntil(
      'the requeued run',
      () => runs(home).find((run) => run.id !== first)?.id as string | undefined,
      30_000,
    ).catch((error) => {
      throw new Error(
        `${error.message}; job ${cluster.scontrol('show', 'job', '-o', jobId)}; events ${events(home, first)}; log ${logOf(home, first).slice(-300)}; ` +
          `batch output ${readFileSync(join(work, `slurm-${jobId}.out`), 'utf8').slice(-1500)}; Slurm's logs ${cluster.logLines(jobId)}`,
      );
    });
    await waitUntil('the requeued run to finish', () => showJson(home, second).status !== 'running', 30_000);
    const firstRun = showJson(home, first);
    assert.equal(firstRun.status, 'stopped');
    assert.ok(events(home, first).includes('slurm_signal'));
    assert.ok(events(home, first).includes('slurm_requeue'));
    const resumed = logOf(home, second);
    assert.match(resumed, new RegExp(`resumed from step ${saved}\\b`));
    assert.match(resumed, /restart 1\)/); // SLURM_RESTART_COUNT: the same Slurm job, requeued
    assert.equal(showJson(home, second).status, 'succeeded');
    assert.equal(cluster.job(jobId)?.restarts, 1);
  });

  test("the time limit's signal (--time=1 --signal=B:USR1@58) makes the job save before the end", async () => {
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-slurm-ckpt-'));
    const { home, jobId } = submit('--time=1 --signal=B:USR1@58', ['--no-requeue', '--save-grace', '20s'], ['--ckpt-dir', ckpt]);
    const runId = await listening(home);
    // slurmctld checks time limits on its own clock: the notice comes within its check interval.
    await waitUntil('the run to end', () => showJson(home, runId).status !== 'running', 45_000, 200);
    const run = showJson(home, runId);
    assert.equal(run.status, 'stopped');
    const step = /saved at step (\d+)/.exec(logOf(home, runId))?.[1];
    assert.ok(step && existsSync(join(ckpt, `step-${step}.ckpt`)), 'the checkpoint was written');
    assert.ok(events(home, runId).includes('slurm_signal'));
    assert.ok(events(home, runId).includes('slurm_job'), 'the Slurm job was recorded');
    assert.equal(cluster.job(jobId)?.timeLimitMs, 60_000);
  });

  test('a job killed at its --mem by the cgroup OOM killer is diagnosed host_oom from Slurm', async (t) => {
    if (!cluster.memoryCgroup)
      return t.skip(
        'no writable cgroup v1 memory controller here: Slurm cannot enforce --mem (the mapping is unit-tested on a captured record)',
      );
    const { home, jobId } = submit('--mem=100M', [], ['--alloc-mib', '20']);
    const runId = await waitUntil(
      'the run to fail',
      () => runs(home).find((run) => run.status === 'failed')?.id as string | undefined,
      30_000,
      200,
    );
    const diagnosis = showJson(home, runId).attempts[0].diagnosis;
    assert.equal(diagnosis.category, 'host_oom');
    assert.equal(diagnosis.rule, 'slurm-out_of_memory');
    assert.match(diagnosis.summary, /memory cgroup/);
    await waitUntil("Slurm's own verdict", () => cluster.job(jobId)?.state === 'OUT_OF_MEMORY', 20_000);
  });
});
