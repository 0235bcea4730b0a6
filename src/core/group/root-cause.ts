/**
 * The root cause of a group's failure, from each node's own diagnosis. When one rank of a
 * multi-node job fails, every other node fails too, each saying something: the collectives lose
 * their peer ("Connection closed by peer", NCCL errors and timeouts), the rendezvous closes,
 * torchrun stops its healthy workers. Those are the echo. The cause is the node whose failure is
 * a cause in itself — an exception in the user's code, an OOM — and, among several, the first.
 *
 * Clocks differ between machines, so times closer than CLOCK_SKEW_MS count as simultaneous; the
 * logs' own causal hints break the tie: a node whose peers say it closed the connection (they
 * name its address) went first.
 */

import type { Category } from '../diagnosis/categories.ts';

/** What a node's diagnosis must say for the group to weigh it. */
export type NodeDiagnosis = {
  category: Category;
  summary: string;
  retryable: boolean;
  process: string | null;
  where: { file: string; line: number; function: string } | null;
  exception: { type: string; message: string } | null;
  evidence: readonly { line: number; text: string }[];
};

export type NodeFailure = {
  node: string;
  nodeRank: number | null;
  runId: string;
  attempt: number;
  /** When it failed, by the node's own clock: its first decisive line's time, else its attempt's end. */
  failedAt: number;
  /** The node's addresses, to read who a peer blames (`closed by peer [10.0.0.2]:…`). */
  addresses: readonly string[];
  diagnosis: NodeDiagnosis | null;
};

export type GroupRootCause = {
  root: NodeFailure;
  /** The other failed nodes, as the echo of the root's failure. */
  echoes: NodeFailure[];
  /** Why the root was chosen, in words. */
  reason: string;
};

/** Times closer than this, from different machines' clocks, are not ordered by the clock. */
export const CLOCK_SKEW_MS = 2000;

/** What a node reports when a peer failed: lost collectives, a closed rendezvous, a stall waiting. */
const ECHO_CATEGORIES: ReadonlySet<Category> = new Set(['nccl_error', 'nccl_timeout', 'dist_init_error', 'hang', 'preempted']);

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/g;

export function groupRootCause(failures: readonly NodeFailure[]): GroupRootCause | null {
  if (failures.length === 0) return null;
  const blamed = blamedAddresses(failures);
  const weighed = failures.map((failure) => ({
    failure,
    weight: causeWeight(failure.diagnosis),
    blamed: failure.addresses.some((address) => blamed.has(address)),
  }));
  const strongest = Math.max(...weighed.map(({ weight }) => weight));
  const contenders = weighed.filter(({ weight }) => weight === strongest);
  const earliest = Math.min(...contenders.map(({ failure }) => failure.failedAt));
  // Within the clocks' skew of the first, the logs' hints decide, then the clock, then the node rank.
  const top = contenders
    .filter(({ failure }) => failure.failedAt - earliest < CLOCK_SKEW_MS)
    .sort(
      (a, b) =>
        Number(b.blamed) - Number(a.blamed) ||
        a.failure.failedAt - b.failure.failedAt ||
        (a.failure.nodeRank ?? Infinity) - (b.failure.nodeRank ?? Infinity),
    )[0]!;
  const rest = weighed.filter((other) => other !== top).sort((a, b) => a.failure.failedAt - b.failure.failedAt);
  return { root: top.failure, echoes: rest.map(({ failure }) => failure), reason: reasonFor(top, rest) };
}

/** 2: a cause in itself; 1: a failure that names nothing (no exception, no rule); 0: the echo of a peer's failure. */
function causeWeight(diagnosis: NodeDiagnosis | null): number {
  if (diagnosis === null) return 1;
  if (ECHO_CATEGORIES.has(diagnosis.category)) return 0;
  if (diagnosis.category === 'other' && diagnosis.exception === null) return 1;
  return 2;
}

/** Addresses the echoing nodes name in their decisive lines: the peers they lost. */
function blamedAddresses(failures: readonly NodeFailure[]): Set<string> {
  const blamed = new Set<string>();
  for (const failure of failures) {
    if (failure.diagnosis === null || causeWeight(failure.diagnosis) !== 0) continue;
    for (const { text } of failure.diagnosis.evidence) {
      for (const match of text.matchAll(IPV4)) if (!failure.addresses.includes(match[1]!)) blamed.add(match[1]!);
    }
  }
  return blamed;
}

type Weighed = { failure: NodeFailure; weight: number; blamed: boolean };

function reasonFor(top: Weighed, rest: readonly Weighed[]): string {
  const name = nodeName(top.failure);
  if (rest.length === 0) return `only ${name} failed`;
  if (top.weight === 2 && rest.every((other) => other.weight < 2))
    return `${name} failed on its own; the other nodes lost their peer afterwards`;
  if (top.weight === 2) return `${name} failed first (by its clock, within ${CLOCK_SKEW_MS / 1000} s of skew)`;
  if (top.blamed) return `the other nodes name ${name} as the peer that went away`;
  return `every node reports a lost peer; ${name} reported it first`;
}

export function nodeName(failure: Pick<NodeFailure, 'node' | 'nodeRank'>): string {
  return failure.nodeRank === null ? `node ${failure.node}` : `node ${failure.node} (node rank ${failure.nodeRank})`;
}
