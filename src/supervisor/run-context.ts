/**
 * What an incident report and the memory of failures need to know of a run besides its job: the
 * training variables, the code (git) and what ran it (Python, torch, GPUs). Asked beside the job,
 * never in its way: the job's start does not wait for the probes. The run's end waits for them a
 * bounded while, so that a job that fails at once still has its context recorded.
 */

import { trainingEnvironment } from '../core/runs/ml-environment.ts';
import { gitStateOf } from '../platform/git-state.ts';
import { runtimeEnvironmentOf } from '../platform/runtime-environment.ts';
import type { StoreWriter } from './store-writer.ts';

/** How long a run's end waits for probes still running (each is bounded by its own timeout too). */
const CONTEXT_WAIT_MS = 1500;

export type RunContextRecording = { settled(): Promise<void> };

export function recordRunContext(
  spec: { command: readonly string[]; cwd: string; env: NodeJS.ProcessEnv },
  runId: string,
  writer: StoreWriter,
): RunContextRecording {
  writer.updateRun(runId, { trainingEnv: trainingEnvironment(spec.env) });
  const probes = Promise.all([
    gitStateOf(spec.cwd).then((gitState) => gitState && writer.updateRun(runId, { gitState })),
    runtimeEnvironmentOf(spec.command, spec.cwd, spec.env).then((runtimeEnv) => writer.updateRun(runId, { runtimeEnv })),
  ]).catch(() => undefined);
  return {
    settled: () =>
      Promise.race([probes.then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, CONTEXT_WAIT_MS).unref())]),
  };
}
