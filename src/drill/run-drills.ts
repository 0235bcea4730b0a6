/**
 * Runs the drills one after another, each on a run of its own, within one budget: a drill that
 * runs out of it fails, those left are skipped. Whatever a drill does, its run is stopped and
 * nothing of it is left running; its verdict is recorded with the run.
 */

import type { DrillKind, DrillResult } from '../core/drill/judge.ts';
import { failed, skipped } from '../core/drill/judge.ts';
import { DrilledRun } from './drilled-run.ts';
import { type DrillPlan, SCENARIOS } from './scenarios.ts';

export async function runDrills(
  kinds: readonly DrillKind[],
  plan: DrillPlan,
  budgetMs: number,
  onResult: (r: DrillResult) => void,
): Promise<DrillResult[]> {
  const deadline = Date.now() + budgetMs;
  const results: DrillResult[] = [];
  for (const kind of kinds) {
    const result = Date.now() >= deadline ? skipped(kind, 'no budget left (--budget)') : await drill(kind, plan, deadline);
    results.push(result);
    onResult(result);
  }
  return results;
}

async function drill(kind: DrillKind, plan: DrillPlan, deadline: number): Promise<DrillResult> {
  const run = new DrilledRun(plan, `drill-${kind}-${Date.now().toString(36)}`);
  try {
    if (!(await run.started(Math.min(deadline, Date.now() + 60_000)))) return failed(kind, 'vigil run did not start the job');
    const result = await SCENARIOS[kind](run, plan, deadline);
    run.recordResult(result);
    return result;
  } catch (error) {
    return failed(kind, `the drill itself failed: ${(error as Error).message}`);
  } finally {
    await run.stop();
    run.close();
  }
}
