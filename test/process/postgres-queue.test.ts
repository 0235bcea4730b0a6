/**
 * Two machines, one queue: two daemons with their own VIGIL_HOME and VIGIL_NODE on one PostgreSQL
 * (VIGIL_DATABASE_URL; a throwaway cluster), jobs submitted from several processes at once. Each
 * job runs exactly once, across both machines (both run some); `vigil queue` from a third home
 * shows them all, and each machine finds the runs it started in its own home.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type PostgresCluster, startPostgres } from '../helpers/postgres.ts';
import { collect, envFor, startVigil, tempHome, VIGIL, vigil, waitUntil } from '../helpers/vigil.ts';

const LIGHT = ['-q', '--no-python-hooks', '--no-cgroup'];

let cluster: PostgresCluster;
const daemons: ChildProcess[] = [];
before(async () => {
  cluster = await startPostgres();
});
after(() => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
  cluster?.stop();
});

type JobJson = { id: string; state: string; runs: string[]; claimed_by: string | null };

function queueJson(home: string, env: NodeJS.ProcessEnv): { jobs: JobJson[] } {
  const result = spawnSync(process.execPath, [VIGIL, 'queue', '--all', '--json'], { env: envFor(home, env), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil queue failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('a queue shared by two machines (PostgreSQL)', () => {
  test(
    '40 jobs submitted from 4 processes: each runs exactly once, on one machine or the other; any home sees them all',
    { timeout: 240_000 },
    async () => {
      const shared = { VIGIL_DATABASE_URL: await cluster.createDatabase() };
      const machines = ['machine-a', 'machine-b'].map((node) => ({ node, home: tempHome(), env: { ...shared, VIGIL_NODE: node } }));
      for (const machine of machines) {
        const daemon = startVigil(machine.home, ['daemon', '--max-running', '3'], { env: machine.env });
        daemons.push(daemon);
        let log = '';
        daemon.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
        await waitUntil(`${machine.node}'s daemon to serve`, () => /on a shared queue/.test(log) || null, 30_000);
      }

      const submitter = { home: tempHome(), env: { ...shared, VIGIL_NODE: 'laptop', VIGIL_NO_AUTOSTART: '1' } };
      const script = `for i in 0 1 2 3 4 5 6 7 8 9; do "${process.execPath}" "${VIGIL}" submit ${LIGHT.join(' ')} -- sh -c 'sleep 0.3' "$1" "$i" || exit 1; done`;
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, s) =>
          collect(
            spawn('sh', ['-c', script, 'sh', `submitter-${s}`], {
              env: envFor(submitter.home, submitter.env),
              stdio: ['ignore', 'pipe', 'pipe'],
            }),
            120_000,
          ),
        ),
      );
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const ids = results.flatMap((result) => result.stdout.trim().split('\n'));
      assert.equal(new Set(ids).size, 40);

      const ended = await waitUntil(
        'all 40 jobs to end',
        () => {
          const jobs = queueJson(submitter.home, submitter.env).jobs;
          return jobs.length === 40 && jobs.every((job) => job.state !== 'queued' && job.state !== 'starting') ? jobs : null;
        },
        180_000,
        500,
      );
      assert.deepEqual(new Set(ended.map((job) => job.state)), new Set(['succeeded']), 'a home that ran none shows how each ended');
      assert.deepEqual(new Set(ended.map((job) => job.id)), new Set(ids));

      // Each machine's own home has the runs it started: one run per job, across both.
      const ranOn = new Map<string, string[]>();
      for (const machine of machines) {
        const seen = queueJson(machine.home, machine.env).jobs;
        for (const job of seen)
          if (job.runs.length > 0) {
            ranOn.set(job.id, [...(ranOn.get(job.id) ?? []), machine.node]);
            assert.equal(job.runs.length, 1, `job ${job.id} ran once on ${machine.node}`);
            assert.equal(job.claimed_by, machine.node, `job ${job.id} is recorded as claimed by the machine that ran it`);
          }
        const runs = JSON.parse((await vigil(machine.home, ['ps', '--all', '--json'], { env: machine.env })).stdout) as {
          status: string;
        }[];
        assert.ok(runs.length > 0, `${machine.node} ran some jobs`);
        assert.ok(
          runs.every((run) => run.status === 'succeeded'),
          `${machine.node}'s runs all succeeded`,
        );
      }
      assert.equal(ranOn.size, 40, 'every job ran');
      assert.ok(
        [...ranOn.values()].every((nodes) => nodes.length === 1),
        'no job ran on both machines',
      );
      const counts = machines.map((machine) => `${machine.node}: ${[...ranOn.values()].filter(([node]) => node === machine.node).length}`);
      process.stderr.write(`jobs run per machine: ${counts.join(', ')}\n`);
    },
  );
});
