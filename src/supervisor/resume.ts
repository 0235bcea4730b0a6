/**
 * Before every attempt — a restart, and the first attempt of a new run over the same checkpoint
 * directories (the user re-running the command next morning) — the newest checkpoint that still
 * verifies is chosen (checkpoints.ts), broken ones are quarantined, never deleted, and the choice
 * reaches the job as `{checkpoint}` in its command and VIGIL_RESUME_CHECKPOINT. After each
 * attempt, the complete checkpoints it wrote get their manifests.
 */

import { statfsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { type DiskForecast, forecastDisk } from '../core/disk-forecast.ts';
import { basename, dirname, join } from 'node:path';
import { FINGERPRINTS_SUFFIX, MANIFEST_SUFFIX } from '../core/checkpoints/naming.ts';
import { planRetention, type RetentionPolicy } from '../core/retention.ts';
import { compareFingerprints, decideOnFingerprintChange, type Fingerprint, type OnFingerprintChange } from '../core/fingerprint.ts';
import { fingerprintPaths } from '../platform/fingerprint-paths.ts';
import { writeFileAtomically } from '../platform/atomic-write.ts';
import { substituteCheckpoint } from '../core/checkpoints/placeholder.ts';
import type { PreparedRun } from './prepare.ts';
import { chooseResumeCheckpoint, listCheckpoints, sealCheckpoints } from './checkpoints.ts';
import type { CheckpointRecord } from '../core/checkpoints/record.ts';
import type { RunWriter } from './store-writer.ts';

export type CheckpointSpec = {
  dirs: string[];
  glob: string | null;
  settleMs: number;
  /** `--fingerprint`: the job's inputs (dataset, config), compared with those a checkpoint was written with. */
  fingerprints: string[];
  onFingerprintChange: OnFingerprintChange;
  /** `--keep-last`/`--keep-best`/`--keep-every` (null: keep everything); `--best-metric` names the metric keep-best ranks by. */
  retention: RetentionPolicy | null;
  bestMetric: string | null;
};

export type Resume = {
  /** The command's words after the program, with {checkpoint} filled in (or removed with its option). */
  args: string[];
  env: Record<string, string>;
  from: { path: string; step: number | null; verified: boolean } | null;
  /** The fingerprints of the inputs now: sealed with the checkpoints this attempt writes. */
  fingerprints: Fingerprint[];
  /** Set when the inputs changed since the chosen checkpoint and --on-fingerprint-change refuse: no attempt may start. */
  refused: string | null;
};

export async function chooseResume(
  run: PreparedRun,
  n: number,
  args: string[],
  writer: RunWriter,
  warn: (message: string) => void,
  /** The group's step (all nodes resume from it; null: no step is common, all start fresh); absent: the newest. */
  groupStep?: number | null,
): Promise<Resume> {
  const { dirs, glob, settleMs } = run.spec.checkpoints;
  const fingerprints = await fingerprintInputs(run);
  if (dirs.length === 0 || groupStep === null)
    return { args: substituteCheckpoint(args, null), env: {}, from: null, fingerprints, refused: null };
  const choice = await chooseResumeCheckpoint(dirs, {
    settleMs,
    writerEnded: true, // before an attempt starts, nothing of this run writes them
    ...(glob ? { glob } : {}),
    ...(groupStep === undefined ? {} : { atMostStep: groupStep }),
    quarantineDir: join(run.dir, 'quarantine'),
  });
  for (const bad of choice.quarantined) {
    writer.addEvent({ runId: run.id, attempt: n, at: Date.now(), kind: 'checkpoint_quarantined', data: bad });
    warn(`checkpoint ${bad.from} is broken (${bad.reason}): quarantined as ${bad.to}, never deleted`);
  }
  let from = choice.chosen;
  if (from) {
    const decision = decideOnFingerprintChange(
      compareFingerprints(await readSealedFingerprints(from.path), fingerprints),
      run.spec.checkpoints.onFingerprintChange,
      basename(from.path),
    );
    if (decision.action === 'refuse') return { args, env: {}, from: null, fingerprints, refused: decision.message };
    if (decision.action === 'fresh') {
      warn(decision.message);
      from = null;
    } else if (decision.warning) warn(decision.warning);
  }
  if (from && !from.verified)
    warn(`resuming from ${from.path}: it has no manifest (written before vigil watched it); its format checks out`);
  return {
    args: substituteCheckpoint(args, from?.path ?? null),
    env: { VIGIL_RESUME_CHECKPOINT: from?.path ?? '' },
    from,
    fingerprints,
    refused: null,
  };
}

/** Hashed once per attempt (cached by size, mtime and inode in the run directory). */
async function fingerprintInputs(run: PreparedRun): Promise<Fingerprint[]> {
  const paths = run.spec.checkpoints.fingerprints;
  return paths.length === 0 ? [] : fingerprintPaths(paths, { cwd: run.spec.cwd, cacheDir: run.dir });
}

export const fingerprintsPath = (checkpoint: string) => join(dirname(checkpoint), `.${basename(checkpoint)}${FINGERPRINTS_SUFFIX}`);

async function readSealedFingerprints(checkpoint: string): Promise<Fingerprint[]> {
  try {
    return JSON.parse(await readFile(fingerprintsPath(checkpoint), 'utf8')) as Fingerprint[];
  } catch {
    return []; // sealed before --fingerprint was given, or by another tool: nothing to compare
  }
}

/** Writes the manifests of the checkpoints an attempt left complete (`announced`: the helper's `vigil.checkpoint` paths). */
export async function sealAfterAttempt(
  run: PreparedRun,
  announced: ReadonlySet<string>,
  fingerprints: readonly Fingerprint[],
  warn: (message: string) => void,
): Promise<void> {
  const { dirs, glob, settleMs } = run.spec.checkpoints;
  if (dirs.length === 0) return;
  try {
    await sealCheckpoints(dirs, {
      settleMs,
      writerEnded: true,
      announced,
      beforeManifest: sealFingerprints(fingerprints),
      ...(glob ? { glob } : {}),
    });
  } catch (error) {
    warn(
      `could not seal checkpoints: ${describeSealError(error as NodeJS.ErrnoException, dirs)}: those left unsealed stay unverified (format-checked before a resume), and retention deletes none of them`,
    );
  }
}

/**
 * The fingerprints of the inputs an attempt started with, beside each checkpoint it sealed (never
 * inside it: the user's files stay as the job wrote them), atomically, before its manifest: a
 * checkpoint is never verified without them, or a change of dataset would pass unseen.
 */
function sealFingerprints(fingerprints: readonly Fingerprint[]): ((checkpoint: string) => Promise<void>) | undefined {
  if (fingerprints.length === 0) return undefined;
  return (checkpoint) => writeFileAtomically(fingerprintsPath(checkpoint), JSON.stringify(fingerprints), 0o600);
}

/** A full disk said as such (the write that hit it names no path: it can only be the checkpoints' own). */
function describeSealError(error: NodeJS.ErrnoException, dirs: readonly string[]): string {
  return error.code === 'ENOSPC' ? `the disk of ${dirs.join(', ')} is full (ENOSPC)` : error.message;
}

/**
 * `--keep-last`, `--keep-best`, `--keep-every` after each attempt: what the pure plan
 * (core/retention.ts) lets go is deleted — only verified checkpoints, never the newest verified
 * one, never without a newer verified one — each deletion an event with its reason.
 */
export async function applyRetention(
  run: PreparedRun,
  n: number,
  writer: RunWriter,
  metricAt: (step: number) => number | null,
  listed?: readonly CheckpointRecord[],
): Promise<string[]> {
  const { dirs, glob, retention } = run.spec.checkpoints;
  if (dirs.length === 0 || !retention) return [];
  const records = listed ?? (await listCheckpoints(dirs, glob ? { glob } : {}));
  const plan = planRetention(
    records
      .filter((record) => record.step !== null)
      .map((record) => ({
        path: record.path,
        step: record.step as number,
        status: record.status,
        verified_at: record.verified_at,
        metric: metricAt(record.step as number),
      })),
    retention,
  );
  for (const doomed of plan.delete) {
    await rm(doomed.path, { recursive: true, force: true });
    for (const sidecar of [MANIFEST_SUFFIX, FINGERPRINTS_SUFFIX])
      await rm(join(dirname(doomed.path), `.${basename(doomed.path)}${sidecar}`), { force: true });
    writer.addEvent({ runId: run.id, attempt: n, at: Date.now(), kind: 'checkpoint_deleted', data: doomed });
  }
  return plan.delete.map(({ path }) => path);
}

/**
 * Before each attempt and after each, the free space where the checkpoints go against the size
 * of the newest one × the saves still to come (`core/disk-forecast.ts`). Returns the forecast
 * (null when there is nothing to judge yet); the caller warns, or refuses to start a run that
 * cannot complete a single save.
 */
export async function forecastCheckpointDisk(
  run: PreparedRun,
  progress: { step: number | null; total: number | null },
  listed?: readonly CheckpointRecord[],
): Promise<DiskForecast | null> {
  const { dirs, glob, retention } = run.spec.checkpoints;
  const first = dirs[0];
  if (!first) return null;
  const records = (listed ?? (await listCheckpoints(dirs, glob ? { glob } : {}))).filter((record) => record.step !== null);
  const newest = records.sort((a, b) => (b.step as number) - (a.step as number))[0];
  if (!newest) return null;
  const second = records[1];
  let freeBytes: number;
  try {
    const stats = statfsSync(dirname(newest.path));
    freeBytes = stats.bavail * stats.bsize;
  } catch {
    return null;
  }
  return forecastDisk({
    freeBytes,
    checkpointBytes: newest.bytes,
    totalSteps: progress.total,
    saveIntervalSteps: second ? (newest.step as number) - (second.step as number) : null,
    currentStep: progress.step ?? (newest.step as number),
    ...(retention?.keepLast !== undefined ? { accumulateAtMost: Math.max(1, retention.keepLast + 1 - records.length) } : {}),
  });
}

/**
 * While an attempt runs: every settle period, the checkpoints it has completed get their
 * manifests, retention applies, and the disk forecast is checked — so that a single long attempt
 * neither fills the disk with old checkpoints nor runs into a full disk unwarned. Returns the
 * function that stops it (awaiting a pass in progress).
 */
export function keepCheckpointsDuringAttempt(
  run: PreparedRun,
  n: number,
  writer: RunWriter,
  warn: (message: string) => void,
  metricAt: (step: number) => number | null,
  /** The inputs' fingerprints as the attempt started (chooseResume's): sealed with what it writes. */
  fingerprints: readonly Fingerprint[],
): () => Promise<void> {
  const { dirs, glob, settleMs } = run.spec.checkpoints;
  if (dirs.length === 0) return async () => undefined;
  let pass: Promise<void> | null = null;
  let warnedLevel: string | null = null;
  const housekeep = async () => {
    await sealCheckpoints(dirs, {
      settleMs,
      writerEnded: false,
      beforeManifest: sealFingerprints(fingerprints),
      ...(glob ? { glob } : {}),
    }).catch(() => []);
    const forecast = await retainAndForecast(run, n, writer, warn, metricAt, { step: null, total: null });
    if (forecast?.level !== warnedLevel) warnOfDisk(run, n, forecast, writer, warn);
    warnedLevel = forecast?.level ?? warnedLevel;
  };
  const timer = setInterval(
    () => {
      pass ??= housekeep().finally(() => (pass = null));
    },
    Math.max(1000, settleMs),
  );
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}

/**
 * Retention, then the disk forecast over what it left: the directories are listed once for both
 * (a pass over a directory of 1,000 checkpoints is work done beside the job).
 */
export async function retainAndForecast(
  run: PreparedRun,
  n: number,
  writer: RunWriter,
  warn: (message: string) => void,
  metricAt: (step: number) => number | null,
  progress: { step: number | null; total: number | null },
): Promise<DiskForecast | null> {
  const { dirs, glob } = run.spec.checkpoints;
  if (dirs.length === 0) return null;
  const listed = await listCheckpoints(dirs, glob ? { glob } : {}).catch(() => []);
  const deleted = new Set(
    await applyRetention(run, n, writer, metricAt, listed).catch((error: Error) => {
      warn(`retention: ${error.message}`);
      return [];
    }),
  );
  const remaining = listed.filter((record) => !deleted.has(record.path));
  return forecastCheckpointDisk(run, progress, remaining).catch(() => null);
}

/** A forecast that is short: a warning and an event (`disk_forecast`). */
export function warnOfDisk(
  run: PreparedRun,
  n: number,
  forecast: DiskForecast | null,
  writer: RunWriter,
  warn: (message: string) => void,
): void {
  if (!forecast || forecast.level === 'ok') return;
  writer.addEvent({
    runId: run.id,
    attempt: n,
    at: Date.now(),
    kind: 'disk_forecast',
    data: { level: forecast.level, message: forecast.message },
  });
  warn(`disk: ${forecast.message}`);
}
