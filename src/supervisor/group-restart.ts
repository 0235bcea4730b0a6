/**
 * A node's part in its group's restart (core/group/restart-together.ts), through the shared store:
 * report how this node's attempt ended and which steps it holds verified, wait for the other
 * live nodes' reports (or ROUND_WAIT_MS), then take the round's one decision — made by whichever
 * node gets there first, under a lock — and follow it. A shared store that cannot be reached
 * leaves the node to its own policy, said once.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { decideGroupRestart, type GroupDecision, type RoundReport } from '../core/group/restart-together.ts';
import { newestPerNode, silentForMs } from '../core/group/view.ts';
import type { AttemptSummary, RestartPolicy } from '../core/restart/policy.ts';
import type { PostgresRuns } from '../store/postgres/runs.ts';
import type { GroupMember } from '../store/runs.ts';
import type { SharedRecord } from './shared-record.ts';

/** How long a node waits for the others' reports: a node that lost its peer ends within seconds. */
const ROUND_WAIT_MS = 60_000;
const POLL_MS = 250;

export type RoundEnd = {
  outcome: AttemptSummary['outcome'];
  endedAt: number;
  diagnosis: Diagnosis | null;
  verifiedSteps: number[];
  restartAsked: boolean;
};

export class GroupRestart {
  readonly #shared: SharedRecord;
  readonly #runId: string;
  readonly #member: GroupMember;
  readonly #policy: RestartPolicy;
  readonly #warn: (message: string) => void;

  constructor(shared: SharedRecord, runId: string, member: GroupMember, policy: RestartPolicy, warn: (message: string) => void) {
    this.#shared = shared;
    this.#runId = runId;
    this.#member = member;
    this.#policy = policy;
    this.#warn = warn;
  }

  /** The group's decision after round `n`, or null when this node must decide alone (no shared store now). */
  async decide(n: number, end: RoundEnd, history: readonly AttemptSummary[]): Promise<GroupDecision | null> {
    try {
      return await this.#shared.withRuns((runs) => this.#decide(runs, n, end, history));
    } catch (error) {
      this.#warn(`the group's decision could not be taken (${(error as Error).message.split('\n')[0]}): this node follows its own policy`);
      return null;
    }
  }

  async #decide(runs: PostgresRuns, n: number, end: RoundEnd, history: readonly AttemptSummary[]): Promise<GroupDecision> {
    const groupId = this.#member.id;
    await runs.reportRound(groupId, n, {
      runId: this.#runId,
      node: this.#member.node,
      nodeRank: this.#member.nodeRank,
      addresses: this.#member.addresses,
      outcome: end.outcome,
      endedAt: end.endedAt,
      diagnosis: end.diagnosis,
      verifiedSteps: end.verifiedSteps,
      restartAsked: end.restartAsked,
    } satisfies RoundReport);
    const deadline = Date.now() + ROUND_WAIT_MS;
    let members = await this.#liveMembers(runs);
    for (;;) {
      if (await runs.roundDecision(groupId, n, this.#runId)) break;
      const reported = new Set((await runs.roundReports(groupId, n, members)).map((report) => report.runId));
      if (members.every((id) => reported.has(id)) || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      members = await this.#liveMembers(runs);
    }
    return runs.decideRound(groupId, n, this.#runId, this.#member.node, async () => {
      const reports = await runs.roundReports(groupId, n, members);
      // For every live node, those that have not reported yet included: they follow it when they get here.
      return { ...decideGroupRestart(reports, history, this.#policy, Date.now()), runIds: [...members].sort() };
    });
  }

  /** The group's runs that are this round's: each node's newest, its supervisor alive (beating), this one always. */
  async #liveMembers(runs: PostgresRuns): Promise<string[]> {
    const now = Date.now();
    const members = (await runs.groupRuns(this.#member.id)).filter((run): run is typeof run & { group: GroupMember } => run.group != null);
    const ids = newestPerNode(members)
      .filter((run) => run.status === 'running' && silentForMs(run, now) === null)
      .map((run) => run.id);
    return ids.includes(this.#runId) ? ids : [...ids, this.#runId];
  }
}
