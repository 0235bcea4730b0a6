/**
 * One scenario per drill kind: start the job under vigil, wait for the moment the fault matters
 * (its first verified checkpoint, steady progress, DataLoader workers), inject the fault, and
 * gather what vigil recorded for the judgement (core/drill/judge.ts). Every scenario ends its
 * run; files it plants are its own, removed whatever happens.
 */

import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MANIFEST_SUFFIX, nameCheckpoint, REASON_SUFFIX } from '../core/checkpoints/naming.ts';
import type { CheckpointRecord } from '../core/checkpoints/record.ts';
import {
  type DrillKind,
  type DrillResult,
  failed,
  judgeCorruptCheckpoint,
  judgeCrash,
  judgeFingerprint,
  judgeHang,
  judgeSupervisor,
  judgeWorker,
  type RestartObservation,
  skipped,
} from '../core/drill/judge.ts';
import type { Fingerprint } from '../core/fingerprint.ts';
import { childrenOf, isPythonProcess } from '../platform/proc.ts';
import { sendSignal } from '../platform/run-processes.ts';
import { listCheckpoints } from '../supervisor/checkpoints.ts';
import { fingerprintsPath } from '../supervisor/resume.ts';
import { DrilledRun, type DrillSetup } from './drilled-run.ts';

/** What the user's options say, as far as a drill needs to know before it starts. */
export type DrillPlan = DrillSetup & { restarts: boolean; checkpoints: boolean; fingerprints: boolean; progressTimeoutMs: number | null };

type Scenario = (run: DrilledRun, plan: DrillPlan, deadline: number) => Promise<DrillResult>;

export const SCENARIOS: Record<DrillKind, Scenario> = {
  crash: async (run, plan, deadline) => {
    if (!plan.checkpoints)
      return failed('crash', 'no checkpoint directory given (--checkpoints DIR): a restart could only start over', run.id);
    if (!plan.restarts)
      return failed('crash', 'restarts are off (--restart no): a crash would end the run; add --restart on-failure', run.id);
    const ready = await firstCheckpoint(run, deadline);
    if (!ready) return failed('crash', 'the job wrote no verified checkpoint within the budget', run.id);
    const killedAt = run.injectFault('crash', ready.attempt, 'SIGKILL');
    return judgeCrash(run.id, await afterRestart(run, ready, killedAt, deadline));
  },

  'corrupt-checkpoint': async (run, plan, deadline) => {
    if (!plan.checkpoints) return failed('corrupt-checkpoint', 'no checkpoint directory given (--checkpoints DIR)', run.id);
    if (!plan.restarts) return failed('corrupt-checkpoint', 'restarts are off (--restart no): nothing would resume', run.id);
    const ready = await firstCheckpoint(run, deadline);
    if (!ready) return failed('corrupt-checkpoint', 'the job wrote no verified checkpoint within the budget', run.id);
    const planted = plantTruncatedCopy(ready.newest, run.record().checkpointGlob ?? undefined);
    if (!planted) return skipped('corrupt-checkpoint', `cannot name a newer checkpoint beside ${basename(ready.newest.path)}`);
    try {
      const killedAt = run.injectFault('corrupt-checkpoint', ready.attempt, 'SIGKILL');
      return judgeCorruptCheckpoint(run.id, planted, await afterRestart(run, ready, killedAt, deadline));
    } finally {
      removePlanted(run, planted);
    }
  },

  fingerprint: async (run, plan, deadline) => {
    if (!plan.fingerprints)
      return failed('fingerprint', 'no --fingerprint given: a changed dataset or config would go unnoticed on resume', run.id);
    if (!plan.restarts) return failed('fingerprint', 'restarts are off (--restart no): nothing would resume', run.id);
    const ready = await firstCheckpoint(run, deadline);
    if (!ready) return failed('fingerprint', 'the job wrote no verified checkpoint within the budget', run.id);
    // The job is held still first, so that every checkpoint it wrote gets sealed with its real
    // fingerprints before they are altered: none sealed later can offer an unaltered resume.
    sendSignal(ready.attempt.pid as number, 'SIGSTOP');
    const sealed = (await run.until(async () => allSealed(run), Math.min(deadline, Date.now() + 30_000))) ?? ready.verified;
    const restore = alterFingerprints(sealed);
    try {
      const killedAt = run.injectFault('fingerprint', ready.attempt, 'SIGKILL');
      return judgeFingerprint(run.id, await afterRestart(run, ready, killedAt, deadline, { refusalEnds: true }));
    } finally {
      restore();
    }
  },

  hang: async (run, plan, deadline) => {
    if (!plan.restarts)
      return failed('hang', 'restarts are off (--restart no): a hang would end the run; add --restart on-failure', run.id);
    if (plan.progressTimeoutMs !== null && Date.now() + plan.progressTimeoutMs > deadline)
      return failed('hang', `the progress timeout (${plan.progressTimeoutMs / 1000} s) is longer than the budget left`, run.id);
    const attempt = await run.until(() => {
      const first = run.attempts()[0];
      return first?.pid && progressed(run) ? first : null;
    }, deadline);
    if (!attempt) return failed('hang', 'the job showed no progress within the budget: vigil has no pace to judge a stall by', run.id);
    const stoppedAt = Date.now();
    sendSignal(attempt.pid as number, 'SIGSTOP');
    const stall = await run.until(() => run.events('hang')[0] ?? run.events('startup_stall')[0], deadline);
    const second = stall ? await run.until(() => run.attempts()[1], deadline) : null;
    const stacks = (stall?.data as { stacks?: number } | undefined)?.stacks ?? 0;
    return judgeHang(run.id, {
      stoppedAt,
      timeoutMs: plan.progressTimeoutMs,
      detectedAt: stall?.at ?? null,
      stacks,
      restartedAt: second?.startedAt ?? null,
    });
  },

  worker: async (run, _plan, deadline) => {
    const worker = await run.until(
      () => {
        const main = run.attempts()[0]?.pid;
        return main ? childrenOf(main).find(isPythonProcess) : null;
      },
      Math.min(deadline, Date.now() + 120_000),
    );
    if (!worker) return skipped('worker', 'the job started no DataLoader worker (no Python child of its main process)');
    sendSignal(worker, 'SIGKILL');
    // The attempt's end is recorded, then its diagnosis: wait for both.
    const ended = await run.until(() => {
      const first = run.attempts()[0];
      return first?.endedAt && (first.diagnosis || run.record().status !== 'running') ? first : null;
    }, deadline);
    if (!ended) return failed('worker', `worker ${worker} was killed and the job went on: nothing noticed it within the budget`, run.id);
    const diagnosis = ended.diagnosis as { category: string; process: string | null; summary: string } | null;
    return judgeWorker(run.id, { workerPid: worker, diagnosis });
  },

  supervisor: async (run, _plan, deadline) => {
    const running = await run.until(() => (run.attempts()[0]?.pid ? true : null), deadline);
    if (!running) return failed('supervisor', 'the job did not start within the budget', run.id);
    const killedAt = run.killSupervisor();
    const orphanedAt = await run.until(() => (run.observed().observedStatus === 'orphaned' ? Date.now() : null), deadline);
    if (orphanedAt !== null) run.adopt();
    const adopted = orphanedAt !== null && (await run.until(() => run.events('adopted')[0], deadline)) !== null;
    return judgeSupervisor(run.id, { killedAt, orphanedAt, adopted });
  },
};

type Ready = { attempt: NonNullable<ReturnType<DrilledRun['attempts']>[number]>; newest: CheckpointRecord; verified: CheckpointRecord[] };

/** The first attempt once a checkpoint it wrote has been verified (sealed with its manifest). */
async function firstCheckpoint(run: DrilledRun, deadline: number): Promise<Ready | null> {
  const since = run.record().createdAt;
  return run.until(async () => {
    const attempt = run.attempts()[0];
    if (!attempt?.pid || attempt.endedAt !== null) return null;
    const record = run.record();
    const all = await listCheckpoints(record.checkpointDirs ?? [], record.checkpointGlob ? { glob: record.checkpointGlob } : {});
    const verified = all.filter((c) => c.status === 'verified');
    const newest = verified.find((c) => c.modified_at >= since);
    return newest ? { attempt, newest, verified } : null;
  }, deadline);
}

/** What vigil recorded once the killed attempt was followed by another (or the resume refused). */
async function afterRestart(
  run: DrilledRun,
  ready: Ready,
  killedAt: number,
  deadline: number,
  options: { refusalEnds?: boolean } = {},
): Promise<RestartObservation> {
  await run.until(() => {
    if (options.refusalEnds && run.events('resume_refused').length > 0) return true;
    const [first, second] = run.attempts();
    return second && first?.resumedFrom !== undefined ? true : run.record().status !== 'running' ? true : null;
  }, deadline);
  const [first, second] = run.attempts();
  const steps = ready.verified
    .map((c) => c.step)
    .filter((s): s is number => s !== null)
    .sort((a, b) => b - a);
  const refusal = run.events('resume_refused')[0]?.data as { reason?: string } | undefined;
  return {
    killedAt,
    checkpointStep: ready.newest.step,
    saveInterval: steps.length >= 2 ? (steps[0] as number) - (steps[1] as number) : (steps[0] ?? null),
    restartedAt: second?.startedAt ?? null,
    resumedFrom: first?.resumedFrom ?? null,
    lostSteps: first?.lostSteps ?? null,
    refusedBecause: refusal?.reason ?? null,
    quarantined: run.events('checkpoint_quarantined').map((e) => (e.data as { from: string }).from),
  };
}

/** Every checkpoint in the run's directories, once none is waiting for its manifest (null until then). */
async function allSealed(run: DrilledRun): Promise<CheckpointRecord[] | null> {
  const record = run.record();
  const all = await listCheckpoints(record.checkpointDirs ?? [], record.checkpointGlob ? { glob: record.checkpointGlob } : {});
  return all.every((c) => c.status === 'verified' || c.status === 'quarantined') ? all.filter((c) => c.status === 'verified') : null;
}

function progressed(run: DrilledRun): boolean {
  const progress = run.record().progress as { step?: number | null } | undefined;
  return typeof progress?.step === 'number' && progress.step > 0;
}

/** Beside the newest checkpoint, a copy of it cut in half under a far newer step: the drill's own file. */
function plantTruncatedCopy(newest: CheckpointRecord, glob: string | undefined): string | null {
  if (newest.step === null) return null;
  const name = basename(newest.path);
  const at = name.lastIndexOf(String(newest.step));
  if (at === -1) return null;
  const step = newest.step + 1_000_000;
  const plantedName = `${name.slice(0, at)}${step}${name.slice(at + String(newest.step).length)}`;
  const named = nameCheckpoint(plantedName, statSync(newest.path).isDirectory(), glob);
  if (named?.step !== step) return null;
  const planted = join(dirname(newest.path), plantedName);
  cpSync(newest.path, planted, { recursive: true });
  const largest = largestFile(planted);
  truncateSync(largest, Math.floor(statSync(largest).size / 2));
  return planted;
}

function largestFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  return files.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
}

/** The planted copy, where it is and wherever quarantine moved it, with vigil's files about it. */
function removePlanted(run: DrilledRun, planted: string): void {
  const moved = run
    .events('checkpoint_quarantined')
    .map((e) => e.data as { from: string; to: string })
    .filter((q) => q.from === planted)
    .map((q) => q.to);
  for (const path of [planted, ...moved])
    for (const file of [path, `${path}${REASON_SUFFIX}`, join(dirname(path), `.${basename(path)}${MANIFEST_SUFFIX}`)])
      rmSync(file, { recursive: true, force: true });
}

/**
 * Every verified checkpoint's recorded fingerprints with one hash changed, as if the dataset had
 * changed since; the originals are kept in a scratch directory and put back by the returned function.
 */
function alterFingerprints(verified: readonly CheckpointRecord[]): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'vigil-drill-fingerprints-'));
  const saved: [string, string][] = [];
  for (const [i, checkpoint] of verified.entries()) {
    const file = fingerprintsPath(checkpoint.path);
    if (!existsSync(file)) continue;
    const copy = join(scratch, String(i));
    copyFileSync(file, copy);
    saved.push([file, copy]);
    const prints = JSON.parse(readFileSync(file, 'utf8')) as Fingerprint[];
    const changed = prints.map((p, k) => (k === 0 ? { ...p, sha256: p.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : p));
    writeFileSync(file, JSON.stringify(changed));
  }
  return () => {
    for (const [file, copy] of saved) copyFileSync(copy, file);
    rmSync(scratch, { recursive: true, force: true });
  };
}
