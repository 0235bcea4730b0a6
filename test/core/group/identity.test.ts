import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type GroupFacts, groupMembership } from '../../../src/core/group/identity.ts';

const facts = (overrides: Partial<GroupFacts> = {}): GroupFacts => ({
  option: null,
  env: {},
  command: ['python', 'train.py'],
  hostname: 'gpu-a',
  ...overrides,
});

describe('which group a run belongs to', () => {
  test('a run alone belongs to no group', () => {
    assert.equal(groupMembership(facts()), null);
    assert.equal(groupMembership(facts({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } })), null, 'a pod of a plain Job');
  });

  test('--group names it; VIGIL_NODE and VIGIL_NODE_RANK name the node', () => {
    assert.deepEqual(groupMembership(facts({ option: 'exp-7' })), {
      id: 'exp-7',
      source: 'option',
      node: 'gpu-a',
      nodeRank: null,
      nodes: null,
    });
    assert.deepEqual(groupMembership(facts({ env: { VIGIL_GROUP: 'exp-7', VIGIL_NODE: 'left', VIGIL_NODE_RANK: '1' } })), {
      id: 'exp-7',
      source: 'environment',
      node: 'left',
      nodeRank: 1,
      nodes: null,
    });
  });

  test('a Slurm job: its id, node name and node index; an array task is its own group', () => {
    const env = { SLURM_JOB_ID: '4242', SLURMD_NODENAME: 'node17', SLURM_NODEID: '1', SLURM_JOB_NUM_NODES: '2' };
    assert.deepEqual(groupMembership(facts({ env })), { id: 'slurm-4242', source: 'slurm', node: 'node17', nodeRank: 1, nodes: 2 });
    assert.equal(groupMembership(facts({ env: { ...env, SLURM_ARRAY_JOB_ID: '4240', SLURM_ARRAY_TASK_ID: '2' } }))?.id, 'slurm-4240_2');
  });

  test("an Indexed Job's pod: the Job's name from the pod's, the completion index as the node rank", () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', JOB_COMPLETION_INDEX: '3' };
    assert.deepEqual(groupMembership(facts({ env, hostname: 'train-llm-3-x7k2q' })), {
      id: 'k8s-train-llm',
      source: 'kubernetes',
      node: 'train-llm-3-x7k2q',
      nodeRank: 3,
      nodes: null,
    });
    assert.equal(groupMembership(facts({ env, hostname: 'custom-host' })), null, 'a host name that is not the pod name says nothing');
  });

  test("torchrun's rendezvous id, node rank and node count, in either spelling", () => {
    const command = ['torchrun', '--nnodes', '1:4', '--node_rank=2', '--rdzv-id', 'job9', '--rdzv-backend', 'c10d', 'train.py'];
    assert.deepEqual(groupMembership(facts({ command })), {
      id: 'torchrun-job9',
      source: 'torchrun',
      node: 'gpu-a',
      nodeRank: 2,
      nodes: 4,
    });
    assert.equal(
      groupMembership(facts({ command: ['python', '-m', 'torch.distributed.run', '--rdzv_id=abc', 'x.py'] }))?.id,
      'torchrun-abc',
    );
  });

  test('an explicit group wins over the engine, and keeps what the engine says of the node', () => {
    const env = { SLURM_JOB_ID: '4242', SLURM_NODEID: '1', SLURM_NNODES: '2', SLURMD_NODENAME: 'node17' };
    assert.deepEqual(groupMembership(facts({ option: 'mine', env })), {
      id: 'mine',
      source: 'option',
      node: 'node17',
      nodeRank: 1,
      nodes: 2,
    });
  });
});
