/** A group (one job over several machines) for people: `vigil show GROUP`, and its line in `vigil ps`. */

import { type GroupView, groupView } from '../core/group/view.ts';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { printable } from '../core/text/printable.ts';
import { formatDuration } from '../core/duration.ts';
import type { RunStatus } from '../core/run-status.ts';
import type { RunRepository } from '../store/run-repository.ts';
import type { GroupMember, RunStore } from '../store/runs.ts';
import { observeRun } from '../supervisor/reconcile.ts';
import { out } from './colours.ts';
import { colourStatus } from './format.ts';
import { renderDiagnosis } from './render-diagnosis.ts';

/** The group's view from the shared store (VIGIL_DATABASE_URL): every node's runs; null when none is of that group. */
export async function readSharedGroupView(runs: RunRepository, id: string): Promise<GroupView | null> {
  const members = await runs.groupRuns(id);
  if (members.length === 0) return null;
  const facts = await Promise.all(
    members.map(async (run) => ({
      ...run,
      status: run.status as RunStatus,
      group: run.group as GroupMember,
      attempts: await runs.attempts(run.id),
    })),
  );
  return groupView(id, facts);
}

/** The group's view from its runs in this store; null when no run belongs to a group of that id. */
export function readGroupView(store: RunStore, id: string): GroupView | null {
  const runs = store.groupRuns(id);
  if (runs.length === 0) return null;
  return groupView(
    id,
    runs.map((run) => ({
      ...run,
      status: observeRun(store, run).observedStatus,
      group: run.group as GroupMember,
      attempts: store.attempts(run.id),
    })),
  );
}

export function renderGroup(view: GroupView): string {
  const expected = view.expected_nodes !== null && view.expected_nodes !== view.nodes.length ? ` of ${view.expected_nodes}` : '';
  const lines = [
    `group    ${printable(view.id)}`,
    `status   ${colourStatus(view.status, out)}`,
    `nodes    ${view.nodes.length}${expected} (${view.runs} run${view.runs === 1 ? '' : 's'})`,
  ];
  for (const node of view.nodes) {
    const rank = node.node_rank === null ? '' : ` (node rank ${node.node_rank})`;
    const step = node.step === null ? '' : `, step ${node.step}${node.total !== null ? `/${node.total}` : ''}`;
    const cause = node.cause === null ? '' : `, ${node.cause}`;
    const silent = node.silent_ms === null ? '' : out.yellow(`, its supervisor silent for ${formatDuration(node.silent_ms)}`);
    lines.push(
      `  ${printable(node.node)}${rank}: run ${node.run_id}, ${colourStatus(node.status, out)}, ${node.attempts} attempt${node.attempts === 1 ? '' : 's'}${step}${cause}${silent}`,
    );
  }
  const root = view.root_cause;
  if (root !== null) {
    const rank = root.node_rank === null ? '' : ` (node rank ${root.node_rank})`;
    lines.push(
      `${out.bold(out.red('root'))}     ${printable(root.node)}${rank}, run ${root.run_id} attempt ${root.attempt}: ${printable(root.reason)}`,
    );
    if (root.diagnosis)
      lines.push(
        renderDiagnosis(root.diagnosis as Diagnosis, out)
          .trimEnd()
          .replace(/^/gm, '  '),
      );
    for (const echo of root.echoes)
      lines.push(
        out.dim(`  echo: ${printable(echo.node)}, run ${echo.run_id}: ${echo.category ?? 'no cause found'} (after the root's failure)`),
      );
  }
  return `${lines.join('\n')}\n`;
}
