import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NodeDiagnosis } from '../../../src/core/group/root-cause.ts';
import { commonVerifiedStep, decideGroupRestart, type RoundReport, START_MARGIN_MS } from '../../../src/core/group/restart-together.ts';
import { type AttemptSummary, DEFAULT_RESTART_POLICY, type RestartPolicy } from '../../../src/core/restart/policy.ts';

const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, mode: 'on-failure', backoff: { minMs: 1000, maxMs: 1000 } };
const diagnosis = (category: NodeDiagnosis['category'], retryable: boolean): NodeDiagnosis => ({
  category,
  summary: category,
  retryable,
  process: null,
  where: null,
  exception: null,
  evidence: [],
});
const report = (
  node: string,
  nodeRank: number,
  d: NodeDiagnosis | null,
  verifiedSteps: number[],
  outcome: RoundReport['outcome'] = 'failed',
): RoundReport => ({
  runId: `run-${node}`,
  node,
  nodeRank,
  addresses: [],
  outcome,
  endedAt: 1000 + nodeRank,
  diagnosis: d,
  verifiedSteps,
});
const mine: AttemptSummary[] = [
  { n: 1, startedAt: 0, endedAt: 1000, outcome: 'failed', category: 'nccl_error', retryable: true, step: 8, checkpointStep: 8 },
];

describe("a group's restart", () => {
  test("decided on the group's root cause, not on the deciding node's own: a bug elsewhere stops everyone", () => {
    const decision = decideGroupRestart(
      [report('a', 0, diagnosis('nccl_error', true), [2, 4]), report('b', 1, diagnosis('shape_error', false), [3])],
      mine,
      policy,
      5000,
    );
    assert.equal(decision.restart, false);
    assert.match(
      decision.reason,
      /^the group's decision for its 2 nodes: shape_error is not retryable.*\(root cause: node b \(node rank 1\), shape_error\)$/,
    );
    assert.deepEqual(decision.runIds, ['run-a', 'run-b']);
  });

  test('a retryable root: every node restarts at one moment, from the newest step all hold verified', () => {
    const decision = decideGroupRestart(
      [report('a', 0, diagnosis('nccl_error', true), [2, 4, 6, 8]), report('b', 1, diagnosis('gpu_hardware_error', true), [3, 6])],
      mine,
      policy,
      5000,
      () => 0.5,
    );
    assert.equal(decision.restart, true);
    assert.equal(decision.resumeStep, 6);
    assert.ok(decision.startAt >= 5000 + START_MARGIN_MS && decision.startAt <= 6000 + START_MARGIN_MS, String(decision.startAt));
    assert.deepEqual(decision.root, { node: 'b', nodeRank: 1, category: 'gpu_hardware_error' });
  });

  test('a node stopped by its user stops the group; all succeeded is no restart', () => {
    assert.equal(
      decideGroupRestart([report('a', 0, null, [], 'stopped'), report('b', 1, diagnosis('nccl_error', true), [])], mine, policy, 0).restart,
      false,
    );
    assert.equal(
      decideGroupRestart([report('a', 0, null, [], 'succeeded'), report('b', 1, null, [], 'succeeded')], mine, policy, 0).restart,
      false,
    );
  });

  test('a node asked to restart (vigil restart, of it or of the group): every node restarts at once, whatever the others saw', () => {
    const asked = { ...report('a', 0, null, [2, 4], 'stopped'), restartAsked: true };
    const decision = decideGroupRestart([asked, report('b', 1, diagnosis('shape_error', false), [4])], mine, policy, 5000);
    assert.equal(decision.restart, true);
    assert.equal(decision.startAt, 5000 + START_MARGIN_MS, 'at once, once every node can have read it');
    assert.equal(decision.resumeStep, 4);
    assert.match(decision.reason, /asked for \(vigil restart\)/);
  });

  test('the common step: the newest in every set; none in common, none at all', () => {
    assert.equal(commonVerifiedStep([{ verifiedSteps: [2, 4, 6, 8] }, { verifiedSteps: [3, 6] }, { verifiedSteps: [6, 9] }]), 6);
    assert.equal(commonVerifiedStep([{ verifiedSteps: [2, 4] }, { verifiedSteps: [3] }]), null);
    assert.equal(commonVerifiedStep([{ verifiedSteps: [5] }, { verifiedSteps: [] }]), null);
    assert.equal(commonVerifiedStep([]), null);
  });
});
