import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NodeDiagnosis, NodeFailure } from '../../../src/core/group/root-cause.ts';
import { CLOCK_SKEW_MS, groupRootCause } from '../../../src/core/group/root-cause.ts';

const diagnosis = (
  category: NodeDiagnosis['category'],
  evidence: string[] = [],
  exception: NodeDiagnosis['exception'] = null,
): NodeDiagnosis => ({
  category,
  summary: category,
  retryable: false,
  process: null,
  where: null,
  exception,
  evidence: evidence.map((text, line) => ({ line, text })),
});

const failure = (node: string, nodeRank: number, failedAt: number, d: NodeDiagnosis | null, addresses: string[] = []): NodeFailure => ({
  node,
  nodeRank,
  runId: `run-${node}`,
  attempt: 1,
  failedAt,
  addresses,
  diagnosis: d,
});

const lostPeer = (peer: string) =>
  diagnosis('nccl_error', [`RuntimeError: [../third_party/gloo/gloo/transport/tcp/pair.cc:598] Connection closed by peer [${peer}]:26871`]);
const valueError = diagnosis('other', ['ValueError: bad batch'], { type: 'ValueError', message: 'bad batch' });

describe('the root cause of a group', () => {
  test("a node's own error wins over the peers that lost it, even when their failure was recorded first", () => {
    const result = groupRootCause([failure('a', 0, 1000, lostPeer('10.9.0.12')), failure('b', 1, 1500, valueError)]);
    assert.equal(result?.root.node, 'b');
    assert.deepEqual(
      result?.echoes.map((echo) => echo.node),
      ['a'],
    );
    assert.match(result!.reason, /node b \(node rank 1\) failed on its own/);
  });

  test('two real causes: the first by the clock wins; closer than the skew, the node the others name wins', () => {
    const oom = diagnosis('host_oom');
    const a = (at: number) => failure('a', 0, at, oom, ['10.9.0.11']);
    const b = failure('b', 1, 10_000, valueError, ['10.9.0.12']);
    const c = failure('c', 2, 9_000, lostPeer('10.9.0.11'), ['10.9.0.13']);
    assert.equal(groupRootCause([a(10_000 + CLOCK_SKEW_MS + 1), b, c])?.root.node, 'b', 'a failed later than the skew allows');
    assert.equal(groupRootCause([a(10_000 + CLOCK_SKEW_MS - 500), b, c])?.root.node, 'a', 'within the skew, c names a');
    assert.equal(groupRootCause([a(10_000 + CLOCK_SKEW_MS - 500), b])?.root.node, 'b', 'with no hint, the clock');
  });

  test('when every node only lost a peer, the one the others name as the peer that went away is the root', () => {
    const result = groupRootCause([
      failure('a', 0, 1000, lostPeer('10.9.0.12'), ['10.9.0.11']),
      failure('b', 1, 1200, lostPeer('10.9.0.11'), ['10.9.0.12']),
      failure('c', 2, 900, lostPeer('10.9.0.12'), ['10.9.0.13']),
    ]);
    // a and c name b, b names a: both are named, c is not; between the named ones the clock decides.
    assert.equal(result?.root.node, 'a');
    const one = groupRootCause([
      failure('a', 0, 1000, lostPeer('10.9.0.12'), ['10.9.0.11']),
      failure('b', 1, 1200, diagnosis('hang'), ['10.9.0.12']),
    ]);
    assert.equal(one?.root.node, 'b', 'b is named by a');
    assert.match(one!.reason, /name node b/);
  });

  test('a failure that names nothing still outweighs an echo; one node alone is its own root', () => {
    assert.equal(groupRootCause([failure('a', 0, 1000, lostPeer('10.9.0.12')), failure('b', 1, 3000, null)])?.root.node, 'b');
    assert.match(groupRootCause([failure('a', 0, 1, valueError)])!.reason, /only node a/);
    assert.equal(groupRootCause([]), null);
  });
});
