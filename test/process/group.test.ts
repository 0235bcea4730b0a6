/**
 * A group on one store: two real gloo ranks, each under its own `vigil run` as two nodes of one
 * job (VIGIL_NODE names them; one VIGIL_HOME stands for a shared store). One rank raises in its
 * own code; the other loses its peer inside gloo. The group's root cause is the first, whatever
 * the order their failures were recorded in; `vigil stop GROUP` stops every node.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { torchPython } from '../helpers/python.ts';
import { JOBS, freePort, psJson, showJson, startVigil, collect, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';

const PAIR = join(JOBS, 'group', 'pair.py');

function node(home: string, name: string, rank: number, port: number, group: string, env: NodeJS.ProcessEnv = {}) {
  return startVigil(home, ['run', '--group', group, '-q', '--', torchPython(), PAIR, String(rank), String(port)], {
    env: { VIGIL_NODE: name, VIGIL_NODE_RANK: String(rank), ...env },
  });
}

describe('a group of runs', () => {
  test('the rank that raised is the root cause; the node that lost its peer is its echo', { timeout: 120_000 }, async () => {
    const home = tempHome();
    const port = await freePort();
    const env = { FAIL_RANK: '1', FAIL_STEP: '4' };
    const [first, second] = await Promise.all([
      collect(node(home, 'left', 0, port, 'exp-1', env), 90_000),
      collect(node(home, 'right', 1, port, 'exp-1', env), 90_000),
    ]);
    assert.notEqual(first.code, 0, first.stderr);
    assert.notEqual(second.code, 0, second.stderr);

    const group = showJson(home, 'exp-1');
    assert.equal(group.status, 'failed');
    assert.deepEqual(
      group.nodes.map((n: { node: string; node_rank: number }) => [n.node, n.node_rank]),
      [
        ['left', 0],
        ['right', 1],
      ],
    );
    assert.equal(group.root_cause.node, 'right', JSON.stringify(group.root_cause));
    assert.equal(group.root_cause.diagnosis.exception.type, 'ValueError');
    assert.equal(group.root_cause.diagnosis.where.function, 'check_batch');
    assert.deepEqual(
      group.root_cause.echoes.map((e: { node: string }) => e.node),
      ['left'],
    );
    const text = await vigil(home, ['show', 'exp-1']);
    assert.match(text.stdout, /^root {5}right \(node rank 1\), run [0-9a-f]{12} attempt 1: node right \(node rank 1\) failed on its own/m);
    assert.match(text.stdout, /echo: left, run [0-9a-f]{12}: \w+/);

    const rows = psJson(home);
    assert.deepEqual(rows.map((row) => row.group?.id).sort(), ['exp-1', 'exp-1']);
  });

  test('vigil stop GROUP stops every live node of it, and only those', { timeout: 120_000 }, async () => {
    const home = tempHome();
    const port = await freePort();
    const nodes = [node(home, 'left', 0, port, 'exp-2'), node(home, 'right', 1, port, 'exp-2')];
    const ended = nodes.map((child) => collect(child, 90_000));
    const other = startVigil(home, ['run', '-q', '--', 'sleep', '60']);
    const otherEnded = collect(other, 90_000);
    await waitUntil('both nodes to step', () => psJson(home, false).filter((row) => row.group && row.step >= 2).length === 2, 60_000);
    const stop = await vigil(home, ['stop', 'exp-2'], { timeoutMs: 60_000 });
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout.match(/^stopped run [0-9a-f]{12} \(stopped\)$/gm)?.length, 2, stop.stdout);
    await Promise.all(ended);
    assert.equal(showJson(home, 'exp-2').status, 'stopped');
    const live = psJson(home, false);
    assert.equal(live.length, 1, 'the run outside the group goes on');
    assert.equal(live[0]!.group, null);
    await vigil(home, ['stop', live[0]!.id]);
    await otherEnded;
  });
});
