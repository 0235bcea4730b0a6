/**
 * The checkpoints of a run's `--checkpoints` directories, as the restart loop and
 * `vigil checkpoints` see them: found by name, judged complete and whole, sealed with a manifest,
 * re-verified before a resume, and set aside when broken.
 *
 * Complete means: the helper said so (`vigil.checkpoint(path, step=N)`), or the files have not
 * changed for `settleMs`, or the attempt that wrote them has ended — and in every case the format
 * check passes.
 */

import { readPickledStep } from '../platform/checkpoints/pickled-step.ts';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chooseResume, newestFirst, type Candidate, type Verdict } from '../core/checkpoints/choose.ts';
import { isVigilFile, nameCheckpoint, QUARANTINE_SUFFIX, REASON_SUFFIX, type CheckpointLayout } from '../core/checkpoints/naming.ts';
import type { CheckpointRecord } from '../core/checkpoints/record.ts';
import { checkpointFiles, lastChangeMs, type CheckpointFile } from '../platform/checkpoints/files.ts';
import { checkCheckpointFormat } from '../platform/checkpoints/format.ts';
import { differenceFromManifest, isStale, readManifest, writeManifests } from '../platform/checkpoints/manifest.ts';
import { quarantineCheckpoint, type Quarantined } from '../platform/checkpoints/quarantine.ts';

export const DEFAULT_SETTLE_MS = 10_000;

export type FoundCheckpoint = Candidate & { layout: CheckpointLayout; isDirectory: boolean };

/** How far a glob may reach into sub-directories. */
const MAX_GLOB_DEPTH = 4;

/** Every checkpoint in `dirs` by its name (a missing directory has none yet). */
export async function findCheckpoints(dirs: readonly string[], glob?: string): Promise<FoundCheckpoint[]> {
  const found: FoundCheckpoint[] = [];
  const depth = glob === undefined ? 0 : glob.includes('**') ? MAX_GLOB_DEPTH : glob.split('/').length - 1;
  const walk = async (root: string, sub: string, level: number): Promise<void> => {
    const entries = await readdir(join(root, sub), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || isVigilFile(entry.name)) continue;
      const name = sub ? `${sub}/${entry.name}` : entry.name;
      const named = nameCheckpoint(name, entry.isDirectory(), glob);
      if (named) {
        const path = join(root, name);
        const stats = await lstat(path).catch(() => null);
        // `last.ckpt` and the like carry their step inside: read it from the pickled dict.
        const step = named.step ?? (stats?.isFile() ? await readPickledStep(path).catch(() => null) : null);
        if (stats) found.push({ path, step, mtimeMs: stats.mtimeMs, layout: named.layout, isDirectory: stats.isDirectory() });
      } else if (entry.isDirectory() && level < depth) await walk(root, name, level + 1);
    }
  };
  for (const dir of new Set(dirs.map((d) => resolve(d)))) await walk(dir, '', 0);
  return newestFirst(found);
}

export type CompletionOptions = {
  /** Quiet time after which files count as complete (the `--settle` option). */
  settleMs?: number;
  /** The attempt that wrote them has ended: nothing is still writing. */
  writerEnded?: boolean;
  /** Paths the helper announced complete (`vigil.checkpoint(path, ...)` events), resolved. */
  announced?: ReadonlySet<string>;
  now?: number;
};

/**
 * What a checkpoint is now. With a manifest that still speaks for the files: re-hashed against it.
 * Without (or with a stale one): complete and whole → `whole`, complete and broken → `corrupt`,
 * not complete → `incomplete`.
 */
export async function judgeCheckpoint(path: string, options: CompletionOptions = {}): Promise<Verdict> {
  let files: CheckpointFile[];
  try {
    files = await checkpointFiles(path);
  } catch (error) {
    return { kind: 'incomplete', reason: `cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const manifest = await readManifest(path);
  if (manifest && !isStale(manifest, files)) {
    const difference = await differenceFromManifest(path, manifest, files);
    return difference === null ? { kind: 'verified' } : { kind: 'corrupt', reason: difference };
  }
  const quietMs = (options.now ?? Date.now()) - (await lastChangeMs(path, files));
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const complete = options.writerEnded === true || options.announced?.has(resolve(path)) === true || quietMs >= settleMs;
  if (!complete) return { kind: 'incomplete', reason: `changed ${Math.max(0, Math.round(quietMs))} ms ago, still being written?` };
  const format = await checkCheckpointFormat(files);
  return format.whole ? { kind: 'whole' } : { kind: 'corrupt', reason: format.reason };
}

/**
 * Writes the manifest of every checkpoint that is complete and whole and has none (or a stale
 * one): what makes a checkpoint `verified`. For the loop: after a `vigil.checkpoint` event, every
 * settle period while the attempt runs, and once it has ended (`writerEnded: true`).
 */
export async function sealCheckpoints(
  dirs: readonly string[],
  options: CompletionOptions & {
    glob?: string;
    /** What must be on disk before the checkpoint counts as verified (its inputs' fingerprints): written first, so a failure leaves it unsealed. */
    beforeManifest?: (checkpoint: string) => Promise<void>;
  } = {},
): Promise<string[]> {
  const ready: FoundCheckpoint[] = [];
  let failure: unknown = null;
  for (const found of await findCheckpoints(dirs, options.glob)) {
    const manifest = await readManifest(found.path);
    if (manifest && !isStale(manifest, await checkpointFiles(found.path))) continue;
    if ((await judgeCheckpoint(found.path, options)).kind !== 'whole') continue;
    try {
      await options.beforeManifest?.(found.path);
    } catch (error) {
      failure = error; // those ready so far are still sealed; this one and the rest stay unverified
      break;
    }
    ready.push(found);
  }
  // In one batch: their syncs share the file system's commits (1,000 manifests, one sync each, took ~6 s).
  await writeManifests(ready.map(({ path, step }) => ({ checkpoint: path, step })));
  if (failure !== null) throw failure;
  return ready.map(({ path }) => path);
}

export type ResumeChoice = {
  chosen: { path: string; step: number | null; verified: boolean } | null;
  quarantined: Quarantined[];
  /** Not complete yet (changing within the settle time): neither chosen nor quarantined. */
  skipped: { path: string; reason: string }[];
};

/**
 * The checkpoint to resume from, for every attempt (a restart, or the first attempt of a new run
 * over old checkpoints): the newest that still verifies, re-hashed now; one without a manifest
 * only if complete and whole (`verified: false`). Broken ones are moved into `quarantineDir`
 * (the run's directory) with their reason, and the next older is tried.
 */
export async function chooseResumeCheckpoint(
  dirs: readonly string[],
  options: CompletionOptions & { glob?: string; quarantineDir: string; atMostStep?: number },
): Promise<ResumeChoice> {
  // A group's nodes all resume from one step (core/group/restart-together.ts): nothing newer.
  const candidates = (await findCheckpoints(dirs, options.glob)).filter(
    (found) => options.atMostStep === undefined || (found.step !== null && found.step <= options.atMostStep),
  );
  const verdicts = new Map<string, Verdict>();
  for (;;) {
    const decision = chooseResume(candidates, verdicts);
    if (decision.kind === 'verify') {
      verdicts.set(decision.candidate.path, await judgeCheckpoint(decision.candidate.path, options));
      continue;
    }
    const quarantined: Quarantined[] = [];
    for (const { candidate, reason } of decision.quarantine)
      quarantined.push(await quarantineCheckpoint(candidate.path, reason, options.quarantineDir));
    const chosen = decision.chosen && {
      path: decision.chosen.candidate.path,
      step: decision.chosen.candidate.step,
      verified: decision.chosen.verified,
    };
    return { chosen, quarantined, skipped: decision.skipped.map(({ candidate, reason }) => ({ path: candidate.path, reason })) };
  }
}

/** The steps of the checkpoints whose manifests still match their files (no re-hashing): what a node offers its group to resume from. */
export async function verifiedSteps(dirs: readonly string[], glob?: string): Promise<number[]> {
  const steps: number[] = [];
  for (const record of await listCheckpoints(dirs, glob === undefined ? {} : { glob }))
    if (record.status === 'verified' && record.step !== null) steps.push(record.step);
  return steps;
}

/** For `vigil checkpoints`: every checkpoint with its status; `verify` re-hashes (and format-checks those without a manifest). */
export async function listCheckpoints(
  dirs: readonly string[],
  options: { glob?: string; verify?: boolean; quarantineDirs?: readonly string[]; settleMs?: number } = {},
): Promise<CheckpointRecord[]> {
  const records: CheckpointRecord[] = [];
  for (const found of await findCheckpoints(dirs, options.glob)) {
    const files = await checkpointFiles(found.path).catch(() => []);
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const manifest = await readManifest(found.path);
    const fresh = manifest !== null && !isStale(manifest, files);
    const base = { path: found.path, step: found.step, bytes, modified_at: files.reduce((t, f) => Math.max(t, f.mtimeMs), found.mtimeMs) };
    if (!options.verify) {
      records.push(
        fresh
          ? { ...base, status: 'verified', verified_at: manifest.created_at, reason: null }
          : { ...base, status: 'pending', verified_at: null, reason: manifest ? 'changed since its manifest' : 'no manifest' },
      );
      continue;
    }
    const verdict = await judgeCheckpoint(found.path, { settleMs: options.settleMs });
    records.push(recordOf(base, verdict));
  }
  for (const dir of [...dirs, ...(options.quarantineDirs ?? [])]) records.push(...(await listQuarantined(dir)));
  return records;
}

function recordOf(base: Pick<CheckpointRecord, 'path' | 'step' | 'bytes' | 'modified_at'>, verdict: Verdict): CheckpointRecord {
  switch (verdict.kind) {
    case 'verified':
      return { ...base, status: 'verified', verified_at: Date.now(), reason: null };
    case 'whole':
      return { ...base, status: 'pending', verified_at: null, reason: 'no manifest (written before vigil watched); format check passed' };
    case 'corrupt':
      return { ...base, status: 'corrupt', verified_at: null, reason: verdict.reason };
    case 'incomplete':
      return { ...base, status: 'pending', verified_at: null, reason: verdict.reason };
  }
}

async function listQuarantined(dir: string): Promise<CheckpointRecord[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const records: CheckpointRecord[] = [];
  for (const name of entries.filter((n) => n.endsWith(QUARANTINE_SUFFIX) && !n.startsWith('.'))) {
    const path = join(dir, name);
    const files = await checkpointFiles(path).catch(() => []);
    const original = name.slice(0, -QUARANTINE_SUFFIX.length).replace(/\.\d+$/, '');
    const named = nameCheckpoint(original, files.length !== 1 || files[0]?.relative !== '') ?? nameCheckpoint(original, false, '*');
    const reasonText = await readFile(`${path}${REASON_SUFFIX}`, 'utf8').catch(() => '');
    records.push({
      path,
      step: named?.step ?? null,
      status: 'quarantined',
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      modified_at: files.reduce((t, f) => Math.max(t, f.mtimeMs), 0),
      verified_at: null,
      reason: reasonText.trim().split('\n').at(-1) || null,
    });
  }
  return records;
}
