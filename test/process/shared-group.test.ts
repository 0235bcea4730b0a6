/**
 * One job over two machines with a shared store: two real gloo ranks, each under its own
 * `vigil run` with its own VIGIL_HOME (two machines' SQLite files) and one PostgreSQL
 * (VIGIL_DATABASE_URL, a throwaway cluster). From a third home: the group shows both nodes and the
 * root cause across them; the group's state reaches the shared store within a second of the event;
 * `vigil stop GROUP` stops every node through it; a node whose supervisor is killed is seen as lost.
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { after, before, describe, test } from 'node:test';
import { type PostgresCluster, startPostgres } from '../helpers/postgres.ts';
import { torchPython } from '../helpers/python.ts';
import { JOBS, collect, freePort, showJson, startVigil, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';

const PAIR = join(JOBS, 'group', 'pair.py');

let cluster: PostgresCluster;
before(async () => {
  cluster = await startPostgres();
});
after(() => cluster?.stop());

type Machine = { node: string; home: string; env: NodeJS.ProcessEnv };

function machines(url: string): [Machine, Machine, Machine] {
  const make = (node: string) => ({ node, home: tempHome(), env: { VIGIL_DATABASE_URL: url, VIGIL_NODE: node } });
  return [make('left'), make('right'), make('desk')];
}

function rank(machine: Machine, n: number, port: number, group: string, env: NodeJS.ProcessEnv = {}, options: string[] = []) {
  return startVigil(machine.home, ['run', '--group', group, '-q', ...options, '--', torchPython(), PAIR, String(n), String(port)], {
    env: { ...machine.env, VIGIL_NODE_RANK: String(n), ...env },
  });
}

async function groupRows(
  url: string,
  group: string,
): Promise<{ id: string; node: string; status: string; ended_at: number | null; heartbeat_at: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, node, status, ended_at::float8, heartbeat_at::float8 FROM runs WHERE group_id = $1', [
      group,
    ]);
    return rows;
  } finally {
    await client.end();
  }
}

/** Until both nodes of the group are in the shared store, past their second step (as `vigil show GROUP` on a third machine says). */
async function bothStepping(desk: Machine, group: string, step = 2): Promise<void> {
  await waitUntil(
    `both nodes of ${group} stepping`,
    async () => {
      const view = await vigil(desk.home, ['show', group, '--json'], { env: desk.env });
      return (
        view.code === 0 && JSON.parse(view.stdout).nodes.filter((node: { step: number | null }) => (node.step ?? 0) >= step).length === 2
      );
    },
    60_000,
  );
}

describe('a group over two machines, one shared store (PostgreSQL)', () => {
  test(
    'any machine sees both nodes and the root cause; each node is in the shared store within a second of its end',
    { timeout: 150_000 },
    async () => {
      const url = await cluster.createDatabase();
      const [left, right, desk] = machines(url);
      const port = await freePort();
      const env = { FAIL_RANK: '1', FAIL_STEP: '4' };
      const runs = [collect(rank(left, 0, port, 'exp-s', env), 90_000), collect(rank(right, 1, port, 'exp-s', env), 90_000)];
      // Watch the shared store while it happens: when each node's end reached it, by this machine's one clock.
      // One connection for the whole watch: a new one per look would add its own start-up to every lag measured.
      const seenEnded = new Map<string, number>();
      let done = false;
      const watcher = new pg.Client({ connectionString: url });
      await watcher.connect();
      const watching = (async () => {
        while (!done) {
          const { rows } = await watcher
            .query<{ id: string; status: string }>('SELECT id, status FROM runs WHERE group_id = $1', ['exp-s'])
            .catch(() => ({ rows: [] }));
          for (const row of rows) if (row.status !== 'running' && !seenEnded.has(row.id)) seenEnded.set(row.id, Date.now());
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const results = await Promise.all(runs);
      for (const result of results) assert.notEqual(result.code, 0, result.stderr);
      await waitUntil('both ends in the shared store', () => seenEnded.size === 2, 10_000);
      done = true;
      await watching;
      await watcher.end();

      for (const row of await groupRows(url, 'exp-s')) {
        const lagMs = (seenEnded.get(row.id) as number) - (row.ended_at as number);
        assert.ok(lagMs <= 1000, `node ${row.node}'s end reached the shared store ${lagMs} ms after it was recorded`);
      }
      const shown = await vigil(desk.home, ['show', 'exp-s', '--json'], { env: desk.env });
      assert.equal(shown.code, 0, shown.stderr);
      const group = JSON.parse(shown.stdout);
      assert.deepEqual(
        group.nodes.map((node: { node: string }) => node.node),
        ['left', 'right'],
      );
      assert.equal(group.root_cause.node, 'right');
      assert.equal(group.root_cause.diagnosis.exception.type, 'ValueError');
      assert.deepEqual(
        group.root_cause.echoes.map((echo: { node: string }) => echo.node),
        ['left'],
      );
      // vigil ps on any machine lists every machine's runs, each with its node.
      const listed = await vigil(desk.home, ['ps', '--all', '--json'], { env: desk.env });
      assert.deepEqual(
        JSON.parse(listed.stdout)
          .map((row: { node: string; group: { id: string; node_rank: number } }) => [row.node, row.group.id, row.group.node_rank])
          .sort(),
        [
          ['left', 'exp-s', 0],
          ['right', 'exp-s', 1],
        ],
      );
      assert.match((await vigil(desk.home, ['ps', '--all'], { env: desk.env })).stdout, /^ID +NAME +STATUS +NODE +PID .* GROUP +COMMAND$/m);
      // Each machine still has its own record.
      assert.equal(showJson(left.home).status, 'failed');
      assert.equal(showJson(right.home).status, 'failed');
    },
  );

  test(
    'vigil stop GROUP from a third machine stops every node; a node whose supervisor is killed is seen as lost',
    { timeout: 150_000 },
    async () => {
      const url = await cluster.createDatabase();
      const [left, right, desk] = machines(url);
      const port = await freePort();
      const nodes = [rank(left, 0, port, 'exp-t'), rank(right, 1, port, 'exp-t')];
      const ended = nodes.map((child) => collect(child, 120_000));
      await bothStepping(desk, 'exp-t');
      const started = Date.now();
      const stop = await vigil(desk.home, ['stop', 'exp-t'], { env: desk.env, timeoutMs: 90_000 });
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout.match(/^stopped run [0-9a-f]{12} on (left|right) \(stopped\)$/gm)?.length, 2, stop.stdout);
      await Promise.all(ended);
      assert.ok(Date.now() - started < 20_000, 'both nodes stopped promptly');
      assert.equal(showJson(left.home).status, 'stopped');

      // A second run of the group; its left supervisor is SIGKILLed: the group sees that node go silent.
      const port2 = await freePort();
      const again = [rank(left, 0, port2, 'exp-u'), rank(right, 1, port2, 'exp-u')];
      const againEnded = again.map((child) => collect(child, 120_000).catch(() => null));
      await bothStepping(desk, 'exp-u');
      again[0]!.kill('SIGKILL');
      const lost = await waitUntil(
        'the left node to be seen as lost',
        async () => {
          const view = await vigil(desk.home, ['show', 'exp-u', '--json'], { env: desk.env });
          const node = JSON.parse(view.stdout).nodes.find((n: { node: string }) => n.node === 'left');
          return node?.status === 'orphaned' ? node : null;
        },
        20_000,
      );
      assert.ok(lost.silent_ms > 5000);
      const text = await vigil(desk.home, ['show', 'exp-u'], { env: desk.env });
      assert.match(text.stdout, /left \(node rank 0\): run [0-9a-f]{12}, orphaned, .*its supervisor silent for \d/);
      // The silent node cannot answer: named at once with what to run there, not waited for; the live one stops.
      const stopping = Date.now();
      const partial = await vigil(desk.home, ['stop', 'exp-u'], { env: desk.env, timeoutMs: 60_000 });
      assert.equal(partial.code, 1, partial.stderr);
      assert.match(
        partial.stdout,
        /^run [0-9a-f]{12} on left: its supervisor has been silent for .*: on that machine, vigil stop [0-9a-f]{12}$/m,
      );
      assert.match(partial.stdout, /^stopped run [0-9a-f]{12} on right \(stopped\)$/m);
      assert.ok(Date.now() - stopping < 20_000, `the live node alone was waited for (${Date.now() - stopping} ms)`);
      await vigil(left.home, ['stop', '--force', 'last'], { env: left.env });
      await Promise.all(againEnded);
    },
  );

  test(
    'a node whose job fails after the group was asked to stop, before its supervisor read the request (its peer stopped first), ends as stopped',
    { timeout: 120_000 },
    async () => {
      const url = await cluster.createDatabase();
      const [left, right, desk] = machines(url);
      const port = await freePort();
      const nodes = [rank(left, 0, port, 'exp-w'), rank(right, 1, port, 'exp-w')];
      const ended = nodes.map((child) => collect(child, 90_000));
      await bothStepping(desk, 'exp-w');
      const leftJob = showJson(left.home).attempts[0].pid as number;
      // Left's supervisor frozen: it reads nothing from the shared store until it is let go.
      const leftSupervisor = nodes[0]!.pid as number;
      process.kill(leftSupervisor, 'SIGSTOP');
      try {
        const stopping = vigil(desk.home, ['stop', 'exp-w'], { env: desk.env, timeoutMs: 60_000 });
        await waitUntil(
          'the right node stopped',
          async () => (await groupRows(url, 'exp-w')).find((row) => row.node === 'right')?.status === 'stopped',
          30_000,
        );
        // Its peer gone, left's job fails (its collective's error, or else killed here), the request still unread.
        try {
          process.kill(leftJob, 'SIGKILL');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
        process.kill(leftSupervisor, 'SIGCONT');
        const stop = await stopping;
        assert.equal(stop.code, 0, stop.stdout + stop.stderr);
        assert.equal(stop.stdout.match(/^stopped run [0-9a-f]{12} on (left|right) \(stopped\)$/gm)?.length, 2, stop.stdout);
      } finally {
        try {
          process.kill(leftSupervisor, 'SIGCONT'); // never left frozen, whatever failed above
        } catch {
          // it has ended
        }
      }
      await Promise.all(ended);
      const leftRun = showJson(left.home);
      assert.equal(leftRun.status, 'stopped');
      assert.equal(leftRun.attempts.length, 1, 'no restart after the stop');
    },
  );

  test(
    'the group restarts as one: a bug on one node stops every node; a retryable fault restarts both from the newest step both hold verified',
    { timeout: 240_000 },
    async () => {
      const url = await cluster.createDatabase();
      const [left, right] = machines(url);
      const restart = (dir: string) => [
        '--restart',
        'on-failure',
        '--backoff',
        '1s..1s',
        '--checkpoints',
        dir,
        '--checkpoint-glob',
        'step-*.pt',
      ];
      const dirs = [mkdtempSync(join(tmpdir(), 'vigil-ckpt-')), mkdtempSync(join(tmpdir(), 'vigil-ckpt-'))];

      // A shape error on the right: not retryable. Alone, the left (which only lost its peer) would restart.
      let port = await freePort();
      const bug = { FAIL_RANK: '1', FAIL_STEP: '4', FAIL_KIND: 'shape' };
      const ended = await Promise.all([
        collect(rank(left, 0, port, 'exp-r', { ...bug, CKPT_DIR: dirs[0] }, restart(dirs[0]!)), 120_000),
        collect(rank(right, 1, port, 'exp-r', { ...bug, CKPT_DIR: dirs[1] }, restart(dirs[1]!)), 120_000),
      ]);
      for (const result of ended) assert.notEqual(result.code, 0);
      const leftRun = showJson(left.home);
      assert.equal(leftRun.attempts.length, 1, 'the left node did not restart on its own');
      assert.match(
        leftRun.attempts[0].restart_reason,
        /^the group's decision for its 2 nodes: shape_error is not retryable.*root cause: node right/,
      );
      assert.match(ended[0]!.stderr, /not restarting: the group's decision/);

      // An uncorrectable ECC error on the right at step 8, once: retryable. The left saved every 2
      // steps (8 is its newest), the right every 3 (6): both resume from 6, at the same moment.
      port = await freePort();
      const marker = join(dirs[1]!, 'failed-once');
      const fault = {
        FAIL_RANK: '1',
        FAIL_STEP: '8',
        FAIL_KIND: 'ecc',
        FAIL_ONCE: marker,
        STEPS: '12',
        SAVE_EVERY_0: '2',
        SAVE_EVERY_1: '3',
      };
      for (const dir of dirs) rmSync(join(dir), { recursive: true, force: true });
      for (const dir of dirs) mkdirSync(dir);
      const again = await Promise.all([
        collect(rank(left, 0, port, 'exp-q', { ...fault, CKPT_DIR: dirs[0] }, restart(dirs[0]!)), 180_000),
        collect(rank(right, 1, port, 'exp-q', { ...fault, CKPT_DIR: dirs[1] }, restart(dirs[1]!)), 180_000),
      ]);
      for (const result of again) assert.equal(result.code, 0, result.stderr);
      const runs = [showJson(left.home), showJson(right.home)];
      for (const run of runs) {
        assert.equal(run.status, 'succeeded');
        assert.equal(run.attempts.length, 2);
        assert.match(
          run.attempts[0].restart_reason,
          /^the group's decision for its 2 nodes: cause gpu_hardware_error.*root cause: node right/,
        );
        assert.match(readFileSync(run.attempts[1].log_path, 'utf8'), /^rank \d resumed from step 6 \(step-6\.pt\)$/m);
      }
      const starts = runs.map((run) => Date.parse(run.attempts[1].started_at));
      assert.ok(Math.abs(starts[0]! - starts[1]!) < 1000, `the second attempts started ${Math.abs(starts[0]! - starts[1]!)} ms apart`);

      // vigil restart GROUP from a third machine: both nodes end their attempt and start the next together, from one step.
      port = await freePort();
      for (const dir of dirs) rmSync(join(dir), { recursive: true, force: true });
      for (const dir of dirs) mkdirSync(dir);
      const desk = machines(url)[2];
      const steady = { STEPS: '60', SAVE_EVERY_0: '2', SAVE_EVERY_1: '2' };
      const asked = [
        collect(rank(left, 0, port, 'exp-p', { ...steady, CKPT_DIR: dirs[0] }, restart(dirs[0]!)), 180_000),
        collect(rank(right, 1, port, 'exp-p', { ...steady, CKPT_DIR: dirs[1] }, restart(dirs[1]!)), 180_000),
      ];
      await bothStepping(desk, 'exp-p', 5);
      const restarted = await vigil(desk.home, ['restart', 'exp-p'], { env: desk.env, timeoutMs: 90_000 });
      assert.equal(restarted.code, 0, restarted.stdout + restarted.stderr);
      assert.match(restarted.stdout, /^group exp-p: every node started its next attempt/m);
      const resumedFrom = (home: string) =>
        /^rank \d resumed from step (\d+)/m.exec(readFileSync(showJson(home).attempts[1].log_path, 'utf8'))?.[1];
      const resumed = await waitUntil(
        'both second attempts to resume',
        () => {
          const steps = [resumedFrom(left.home), resumedFrom(right.home)];
          return steps.every((step) => step !== undefined) ? steps : null;
        },
        60_000,
      );
      await vigil(desk.home, ['stop', 'exp-p'], { env: desk.env, timeoutMs: 90_000 });
      await Promise.all(asked);
      const pair = [showJson(left.home), showJson(right.home)];
      assert.ok(resumed[0] !== undefined && resumed[0] === resumed[1], `both resumed from one step: ${resumed.join(', ')}`);
      for (const run of pair)
        assert.match(run.attempts[0].restart_reason, /^the group's decision for its 2 nodes: asked for \(vigil restart\)/);
      const restartedAt = pair.map((run) => Date.parse(run.attempts[1].started_at));
      assert.ok(Math.abs(restartedAt[0]! - restartedAt[1]!) < 1000, `restarted ${Math.abs(restartedAt[0]! - restartedAt[1]!)} ms apart`);
    },
  );
});
