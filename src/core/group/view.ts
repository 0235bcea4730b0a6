/**
 * A group as people look at it (`vigil ps`, `vigil show GROUP`, the dashboard): each node with its
 * newest run, the group's state, and — once it failed — the root cause across nodes.
 */

import type { Progress } from '../progress/progress-tracker.ts';
import type { AttemptFacts } from '../runs/views.ts';
import type { RunStatus } from '../run-status.ts';
import type { GroupMembership } from './identity.ts';
import { groupRootCause, type NodeDiagnosis, type NodeFailure } from './root-cause.ts';

export type GroupRunFacts = {
  id: string;
  status: RunStatus;
  createdAt: number;
  progress?: unknown;
  group: GroupMembership & { addresses?: readonly string[] };
  attempts: readonly AttemptFacts[];
  /** On a shared store: when the node's supervisor last spoke (null: not known). */
  heartbeatAt?: number | null;
};

/** A live run whose supervisor has not spoken for this long is lost (it beats every second). */
const SILENT_AFTER_MS = 5000;

/** How long a run recorded as running has had a silent supervisor, past SILENT_AFTER_MS; null while it beats (or never said). */
export function silentForMs(run: { status: string; heartbeatAt?: number | null }, now: number): number | null {
  if (run.status !== 'running' || run.heartbeatAt == null) return null;
  const silent = now - run.heartbeatAt;
  return silent > SILENT_AFTER_MS ? silent : null;
}

export type GroupNodeView = {
  node: string;
  node_rank: number | null;
  run_id: string;
  status: RunStatus;
  attempts: number;
  step: number | null;
  total: number | null;
  /** The category of its last failed attempt, if it failed. */
  cause: string | null;
  /** A live run whose supervisor stopped beating: how long ago it last spoke. */
  silent_ms: number | null;
};

export type GroupView = {
  id: string;
  status: RunStatus;
  /** Nodes by rank (then name); a node that ran more than once (requeued) shows its newest run. */
  nodes: GroupNodeView[];
  /** How many nodes the engine said the job has, when it said. */
  expected_nodes: number | null;
  runs: number;
  root_cause: GroupRootCauseView | null;
};

export type GroupRootCauseView = {
  node: string;
  node_rank: number | null;
  run_id: string;
  attempt: number;
  reason: string;
  diagnosis: NodeDiagnosis | null;
  echoes: { node: string; node_rank: number | null; run_id: string; category: string | null }[];
};

/** Worst first: the group's state is its worst node's, but a live node makes it live. */
const SEVERITY: readonly RunStatus[] = ['failed', 'orphaned', 'unknown', 'stopped', 'succeeded'];

export function groupView(id: string, runs: readonly GroupRunFacts[], now = Date.now()): GroupView {
  const newest = newestPerNode(runs);
  const nodes = newest
    .map((run) => nodeView(run, now))
    .sort((a, b) => (a.node_rank ?? Infinity) - (b.node_rank ?? Infinity) || a.node.localeCompare(b.node));
  return {
    id,
    status: groupStatus(nodes.map((node) => node.status)),
    nodes,
    expected_nodes: Math.max(0, ...runs.map((run) => run.group.nodes ?? 0)) || null,
    runs: runs.length,
    root_cause: rootCauseView(newest),
  };
}

/** Each node's newest run (a node requeued or rerun has several). */
export function newestPerNode<R extends { createdAt: number; group: { node: string } }>(runs: readonly R[]): R[] {
  const byNode = new Map<string, R>();
  for (const run of runs) {
    const seen = byNode.get(run.group.node);
    if (!seen || run.createdAt > seen.createdAt) byNode.set(run.group.node, run);
  }
  return [...byNode.values()];
}

function nodeView(run: GroupRunFacts, now: number): GroupNodeView {
  const progress = (run.progress ?? null) as Progress | null;
  const failed = lastDiagnosis(run);
  const silentMs = silentForMs(run, now);
  return {
    node: run.group.node,
    node_rank: run.group.nodeRank,
    run_id: run.id,
    // Its supervisor died with the machine, or was killed: nobody watches that node now.
    status: silentMs === null ? run.status : 'orphaned',
    silent_ms: silentMs,
    attempts: run.attempts.length,
    step: progress?.step ?? null,
    total: progress?.total ?? null,
    cause: run.status === 'failed' ? (failed?.category ?? null) : null,
  };
}

function groupStatus(statuses: readonly RunStatus[]): RunStatus {
  if (statuses.includes('running')) return 'running';
  return SEVERITY.find((status) => statuses.includes(status)) ?? statuses[0] ?? 'unknown';
}

function lastDiagnosis(run: GroupRunFacts): NodeDiagnosis | null {
  return (run.attempts.at(-1)?.diagnosis ?? null) as NodeDiagnosis | null;
}

function rootCauseView(newest: readonly GroupRunFacts[]): GroupRootCauseView | null {
  const failures: NodeFailure[] = newest
    .filter((run) => run.status === 'failed')
    .map((run) => {
      const attempt = run.attempts.at(-1);
      return {
        node: run.group.node,
        nodeRank: run.group.nodeRank,
        runId: run.id,
        attempt: attempt?.n ?? 0,
        failedAt: attempt?.endedAt ?? run.createdAt,
        addresses: run.group.addresses ?? [],
        diagnosis: lastDiagnosis(run),
      };
    });
  const found = groupRootCause(failures);
  if (found === null) return null;
  const { root } = found;
  return {
    node: root.node,
    node_rank: root.nodeRank,
    run_id: root.runId,
    attempt: root.attempt,
    reason: found.reason,
    diagnosis: root.diagnosis,
    echoes: found.echoes.map((echo) => ({
      node: echo.node,
      node_rank: echo.nodeRank,
      run_id: echo.runId,
      category: echo.diagnosis?.category ?? null,
    })),
  };
}
