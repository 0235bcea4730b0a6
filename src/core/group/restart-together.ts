/**
 * A group restarts as one (issue 17): when an attempt of a multi-node job ends, every node reports
 * how its attempt ended and which checkpoint steps it holds verified; the decision is made once,
 * for all of them, and each node follows it. Left to themselves the nodes would disagree — the one
 * that raised a ValueError would stop (not retryable) while the ones that only lost their peer
 * would restart (a communication error is) and wait forever in a rendezvous that never fills —
 * and each would resume from its own newest checkpoint, a mix of steps.
 *
 * The decision is the restart policy's (core/restart/policy.ts) applied to the GROUP's root cause
 * (core/group/root-cause.ts), not to any one node's; the resume step is the newest step whose
 * checkpoint verifies on every node that reported; all nodes start at the same moment.
 */

import type { Category } from '../diagnosis/categories.ts';
import { type AttemptSummary, decideRestart, type RestartPolicy } from '../restart/policy.ts';
import { groupRootCause, type NodeDiagnosis, nodeName } from './root-cause.ts';

/** One node's word on how its attempt of this round ended. */
export type RoundReport = {
  runId: string;
  node: string;
  nodeRank: number | null;
  addresses: readonly string[];
  outcome: AttemptSummary['outcome'];
  endedAt: number;
  diagnosis: NodeDiagnosis | null;
  /** Steps of its checkpoints whose manifests verify (sealed after the attempt). */
  verifiedSteps: readonly number[];
  /** Its attempt was ended by `vigil restart` (of this node, or of the group): the group restarts at once. */
  restartAsked?: boolean;
};

export type GroupDecision = {
  restart: boolean;
  reason: string;
  /** The step every node resumes from; null: no step is verified on every node, so all start fresh. */
  resumeStep: number | null;
  /** When every node starts its next attempt (ms since the epoch, the decider's clock). */
  startAt: number;
  /** The runs the decision is for: a node follows only a decision that names its run. */
  runIds: string[];
  root: { node: string; nodeRank: number | null; category: Category | null } | null;
};

/** How far ahead of the decision the common start is, at least: time for every node to read it. */
export const START_MARGIN_MS = 2000;

/**
 * `history`: the deciding node's attempts (the loop rules and backoff read it); its last entry is
 * replaced by the group's view of this round: failed when any node failed, with the root's cause.
 */
export function decideGroupRestart(
  reports: readonly RoundReport[],
  history: readonly AttemptSummary[],
  policy: RestartPolicy,
  now: number,
  random: () => number = Math.random,
): GroupDecision {
  const runIds = reports.map((report) => report.runId).sort();
  const failed = reports.filter((report) => report.outcome === 'failed');
  const root = groupRootCause(
    failed.map((report) => ({
      node: report.node,
      nodeRank: report.nodeRank,
      runId: report.runId,
      attempt: 0,
      failedAt: report.endedAt,
      addresses: report.addresses,
      diagnosis: report.diagnosis,
    })),
  );
  const last = history.at(-1);
  const outcome: AttemptSummary['outcome'] = reports.some((report) => report.outcome === 'stopped')
    ? 'stopped'
    : failed.length > 0
      ? 'failed'
      : 'succeeded';
  const groupLast: AttemptSummary | undefined = last && {
    ...last,
    outcome,
    category: root?.root.diagnosis?.category ?? (failed.length > 0 ? 'other' : null),
    retryable: root?.root.diagnosis?.retryable ?? null,
    restartAsked: reports.some((report) => report.restartAsked === true),
  };
  const decision = decideRestart(groupLast ? [...history.slice(0, -1), groupLast] : [], policy, random);
  const blame = root === null ? '' : ` (root cause: ${nodeName(root.root)}, ${root.root.diagnosis?.category ?? 'no cause found'})`;
  const resumeStep = commonVerifiedStep(reports);
  return {
    restart: decision.kind === 'restart',
    reason: `the group's decision for its ${reports.length} nodes: ${decision.reason}${blame}`,
    resumeStep,
    // At least START_MARGIN_MS ahead: every node reads the decision (each polls) before the common start.
    startAt: now + (decision.kind === 'restart' ? Math.max(decision.delayMs, START_MARGIN_MS) : 0),
    runIds,
    root: root === null ? null : { node: root.root.node, nodeRank: root.root.nodeRank, category: root.root.diagnosis?.category ?? null },
  };
}

/** The newest step every node holds verified; null when none is common to all. */
export function commonVerifiedStep(reports: readonly Pick<RoundReport, 'verifiedSteps'>[]): number | null {
  if (reports.length === 0) return null;
  const [first, ...rest] = reports.map((report) => new Set(report.verifiedSteps));
  const common = [...first!].filter((step) => rest.every((steps) => steps.has(step)));
  return common.length === 0 ? null : Math.max(...common);
}
