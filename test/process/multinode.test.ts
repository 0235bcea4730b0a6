/**
 * Multi-node torchrun, for real, on one machine: two "machines" as network namespaces on one bridge
 * (test/helpers/netns.ts), each with its own `vigil run` and its own VIGIL_HOME (its own SQLite
 * file), torchrun's c10d rendezvous hosted by node 1, gloo between four ranks that all_reduce on
 * every step (test/fixtures/jobs/multinode/train.py). Needs root.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { makeNodes, type Node, type Nodes } from '../helpers/netns.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { torchPython } from '../helpers/python.ts';
import { collect, envFor, JOBS, psJson, type Result, showJson, tempHome, VIGIL, vigil } from '../helpers/vigil.ts';

const python = torchPython();
const TRAIN = join(JOBS, 'multinode', 'train.py');
const RDZV_PORT = 29400; // each test's nodes are fresh namespaces: nothing else listens there

function clusterFor(t: TestContext, n: number): Nodes {
  const cluster = makeNodes(n);
  t.after(() => cluster.cleanup()); // also when the test fails
  return cluster;
}

type NodeRun = { node: Node; home: string; result: Result; seconds: number };

/** `vigil run -- torchrun …` on every node at once (torch 1.13's torchrun spells its options with underscores only). */
async function runTorchrun(
  t: TestContext,
  nodes: Node[],
  env: Record<string, string>,
  options: (node: Node) => string[] = () => [],
): Promise<NodeRun[]> {
  const first = nodes[0] as Node;
  const started = Date.now();
  return Promise.all(
    nodes.map(async (node) => {
      const home = tempHome();
      const args = ['run', '-q', ...options(node), '--', python, join(JOBS, 'torchrun.py')];
      args.push('--nnodes', String(nodes.length), '--node_rank', String(node.index - 1), '--nproc_per_node', '2');
      args.push('--rdzv_backend', 'c10d', '--rdzv_endpoint', `${first.address}:${RDZV_PORT}`, '--rdzv_id', 'job');
      args.push('--monitor_interval', '0.5', TRAIN);
      const child = node.spawn(process.execPath, [VIGIL, ...args], {
        env: envFor(home, { NODE: String(node.index), GLOO_SOCKET_IFNAME: node.ifname, ...env }),
      });
      const result = await collect(child, 120_000);
      const seconds = (Date.now() - started) / 1000;
      t.diagnostic(`node ${node.index}: vigil exited ${result.code} after ${seconds.toFixed(1)} s`);
      return { node, home, result, seconds };
    }),
  );
}

const PROBE = `
import socket, sys
peer, port = sys.argv[1], int(sys.argv[2])
socket.create_connection((peer, port), timeout=5).sendall(socket.gethostname().encode())
`;
const LISTEN = `
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen()
print("listening", flush=True)
server.settimeout(10)
for _ in range(int(sys.argv[3])):
    connection, _ = server.accept()
    print(connection.recv(100).decode(), flush=True)
`;

describe('multi-node torchrun on one machine (network namespaces)', () => {
  test('the nodes reach each other by hostname, and a server on the bridge address in the root namespace', async (t) => {
    const cluster = clusterFor(t, 2);
    const [one, two] = cluster.nodes as [Node, Node];
    const inNode = await listen(one.spawn('/usr/bin/python3', ['-c', LISTEN, one.address, '5000', '1']));
    const inRoot = await listen(
      spawn('/usr/bin/python3', ['-c', LISTEN, cluster.hostAddress, '5001', '2'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    for (const [node, peer, port] of [
      [two, one.name, '5000'], // by hostname: what torchrun hands the workers as MASTER_ADDR
      [one, cluster.hostAddress, '5001'],
      [two, cluster.hostAddress, '5001'],
    ] as const) {
      const probe = await node.exec('/usr/bin/python3', ['-c', PROBE, peer, port]);
      assert.equal(probe.code, 0, `${node.name} → ${peer}:${port}: ${probe.stderr}`);
    }
    assert.deepEqual(await inNode.heard, [two.name]);
    assert.deepEqual((await inRoot.heard).sort(), [one.name, two.name].sort());
  });

  test('a healthy 2-node run: both supervisors succeed, both nodes record their progress', async (t) => {
    const { nodes } = clusterFor(t, 2);
    const ckpt = tempHome();
    const [one, two] = (await runTorchrun(t, nodes, { STEPS: '10', SAVE_EVERY: '5', CKPT_DIR: ckpt })) as [NodeRun, NodeRun];
    for (const run of [one, two]) {
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.equal(showJson(run.home).status, 'succeeded');
      assert.deepEqual(readdirSync(join(ckpt, `node-${run.node.index}`)).sort(), ['step-10.pt', 'step-5.pt']);
    }
    assert.match(readFileSync(showJson(one.home).log_path, 'utf8'), /^step 10\/10 loss \d/m);
    assert.equal(psJson(one.home)[0]?.step, 10);
    // Each node's progress is its first rank's: node 2 has no global rank 0, its rank 2 reports.
    assert.equal(psJson(two.home)[0]?.step, 10);
    assert.deepEqual(showJson(two.home).flags, []);
    assert.match(readFileSync(showJson(two.home).log_path.replace(/\.log$/, '.events'), 'utf8'), /"ev": "step"/);
  });

  test('a rank on node 2 raises at step 5: both supervisors end failed; node 2 names the rank, its exception and frame', async (t) => {
    const { nodes } = clusterFor(t, 2);
    const [one, two] = (await runTorchrun(t, nodes, { STEPS: '10', FAIL_NODE: '2', FAIL_RANK: '1', FAIL_STEP: '5' })) as [NodeRun, NodeRun];
    for (const run of [one, two]) {
      assert.equal(run.result.code, 1, run.result.stderr);
      assert.equal(showJson(run.home).status, 'failed');
    }
    const raised = showJson(two.home).attempts[0].diagnosis;
    assert.equal(raised.process, 'rank 3', raised.summary); // node 2's local rank 1
    assert.deepEqual(raised.exception, { type: 'ValueError', message: 'node 2 rank 1 found a corrupt batch' });
    assert.equal(raised.where.function, 'forward');
    // `vigil explain` of node 2's log alone (no rank prefixes without --tee, no hooks' events)
    // says 'main', and when node 2's other rank logged its gloo error (it usually does: it sees
    // rank 3's socket close before torchrun stops it) it blames that victim: nccl_error.
    const log = showJson(two.home).log_path;
    const explained = JSON.parse((await vigil(two.home, ['explain', log, '--json'])).stdout);
    assert.equal(explained.process, 'main');
    if (/Connection (?:closed|reset) by peer/.test(readFileSync(log, 'utf8')))
      assert.equal(explained.category, 'nccl_error', explained.summary);
    else assert.deepEqual(explained.exception, raised.exception);

    // What node 1 says alone, with its own log: its ranks, waiting in all_reduce, lost their peer —
    // an nccl_error blaming its own rank 0, the culprit's node only as the peer address (torchrun's
    // own Root Cause names rank 0 too). The group, over a shared store, names rank 3: next test.
    const waited = showJson(one.home).attempts[0].diagnosis;
    assert.equal(waited.category, 'nccl_error', waited.summary);
    assert.equal(waited.process, 'rank 0');
    assert.equal(waited.where.function, 'average_gradients');
    // gloo says `closed` when the peer's socket ended cleanly, `reset` when data was still in flight (ECONNRESET): a race.
    assert.match(
      waited.exception.message,
      new RegExp(`Connection (?:closed|reset) by peer \\[${two.node.address.replaceAll('.', '\\.')}\\]`),
    );
  });

  test("over a shared store: the group names node 2's rank as the root cause, and both nodes restart together from the step both hold verified", async (t) => {
    const cluster = clusterFor(t, 2);
    const store = await startPostgres({ listen: cluster.hostAddress });
    t.after(() => store.stop());
    const url = await store.createDatabase();
    const ckpt = mkdtempSync(join(tmpdir(), 'vigil-mn-ckpt-'));
    // Node 1 saves every 2 steps (8 is its newest when node 2 fails at step 9), node 2 every 3 (6).
    const env = {
      VIGIL_DATABASE_URL: url,
      STEPS: '12',
      CKPT_DIR: ckpt,
      SAVE_EVERY_NODE_1: '2',
      SAVE_EVERY_NODE_2: '3',
      FAIL_NODE: '2',
      FAIL_RANK: '1',
      FAIL_STEP: '9',
      FAIL_ONCE: join(ckpt, 'failed-once'),
    };
    const restart = (node: Node) => [
      '--restart',
      'on-failure',
      '--backoff',
      '1s..1s',
      '--checkpoints',
      join(ckpt, `node-${node.index}`),
      '--checkpoint-glob',
      'step-*.pt',
    ];
    const [one, two] = (await runTorchrun(t, cluster.nodes, env, restart)) as [NodeRun, NodeRun];
    for (const run of [one, two]) {
      assert.equal(run.result.code, 0, run.result.stderr);
      const shown = showJson(run.home);
      assert.equal(shown.status, 'succeeded');
      assert.equal(shown.attempts.length, 2);
      assert.match(
        shown.attempts[0].restart_reason,
        new RegExp(`^the group's decision for its 2 nodes: .*root cause: node ${two.node.name} \\(node rank 1\\)`),
      );
      assert.match(
        readFileSync(shown.attempts[1].log_path, 'utf8'),
        new RegExp(`^node ${run.node.index} resumed from step 6 \\(step-6\\.pt\\)$`, 'm'),
      );
    }
    // From any machine with the URL (here the root namespace): the group, its nodes and its first round's root cause.
    const desk = tempHome();
    const group = JSON.parse((await vigil(desk, ['show', 'torchrun-job', '--json'], { env: { VIGIL_DATABASE_URL: url } })).stdout);
    assert.deepEqual(
      group.nodes.map((node: { node: string; node_rank: number; status: string }) => [node.node, node.node_rank, node.status]),
      [
        [one.node.name, 0, 'succeeded'],
        [two.node.name, 1, 'succeeded'],
      ],
    );
  });
});

/** Resolves once the listener is up, to the promise of the hostnames it was sent (wrapped: a promise would be flattened). */
async function listen(child: ChildProcess): Promise<{ heard: Promise<string[]> }> {
  let output = '';
  const up = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('listening\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`listener exited ${code} before listening`)));
  });
  const heard = new Promise<string[]>((resolve) => child.once('close', () => resolve(output.split('\n').slice(1).filter(Boolean))));
  await up;
  return { heard };
}
