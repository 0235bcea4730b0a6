/**
 * The integrity manifest of a checkpoint: every file's size and sha256, written once the checkpoint
 * is complete and whole, and checked again before each resume.
 *
 * Where: next to the checkpoint, as a hidden sibling (`.checkpoint-300.vigil-manifest.json`), not
 * inside it and not in the run's directory. Beside it, because the manifest must be found by the
 * next run over the same directory (the user re-running the command next morning: a new run, a new
 * run directory) and travel with the checkpoints when the directory is copied; not inside it,
 * because the user's checkpoint stays byte for byte what the job wrote (an HF folder handed to
 * from_pretrained or uploaded gains no file); hidden and without the checkpoint's prefix, so the
 * frameworks' own globs (`checkpoint-*`, `*.ckpt`) never take it for a checkpoint.
 */

import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MANIFEST_SUFFIX } from '../../core/checkpoints/naming.ts';
import type { Manifest } from '../../core/checkpoints/record.ts';
import { writeFilesAtomically } from '../atomic-write.ts';
import { checkpointFiles, type CheckpointFile } from './files.ts';
import { hashFiles } from './hasher.ts';

export function manifestPath(checkpoint: string): string {
  return join(dirname(checkpoint), `.${basename(checkpoint)}${MANIFEST_SUFFIX}`);
}

export async function readManifest(checkpoint: string): Promise<Manifest | null> {
  try {
    const parsed = JSON.parse(await readFile(manifestPath(checkpoint), 'utf8')) as Manifest;
    return parsed.version === 1 && Array.isArray(parsed.files) ? parsed : null;
  } catch {
    return null; // none, or torn by a crash of another writer: as good as none
  }
}

/** Hashes every file and writes the manifest atomically: a reader sees the old one, the new one, or none. */
export async function writeManifest(checkpoint: string, step: number | null): Promise<Manifest> {
  return (await writeManifests([{ checkpoint, step }]))[0] as Manifest;
}

/** How many manifests are written (and synced) at once: enough for the disk to take their syncs in one journal commit. */
const WRITE_BATCH = 64;

/**
 * writeManifest for many checkpoints (sealing a directory of 1,000): each is made and written to
 * a temporary file, synced (in parallel, so the file system commits them together rather than one
 * journal commit each), then renamed into place, then each directory is synced once. So every
 * manifest is still whole or absent after a power loss, at a fraction of one sync per manifest.
 */
export async function writeManifests(checkpoints: readonly { checkpoint: string; step: number | null }[]): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (let i = 0; i < checkpoints.length; i += WRITE_BATCH) {
    const batch = await Promise.all(checkpoints.slice(i, i + WRITE_BATCH).map(({ checkpoint, step }) => makeManifest(checkpoint, step)));
    await writeFilesAtomically(
      batch.map(({ checkpoint, manifest }) => ({ path: manifestPath(checkpoint), text: `${JSON.stringify(manifest, null, 1)}\n` })),
    );
    manifests.push(...batch.map(({ manifest }) => manifest));
  }
  return manifests;
}

async function makeManifest(checkpoint: string, step: number | null): Promise<{ checkpoint: string; manifest: Manifest }> {
  // Taken before reading: a file changed while it was hashed is newer than the manifest, which is then stale.
  const now = Date.now();
  const files = await checkpointFiles(checkpoint);
  const hashes = await hashFiles(files.map((f) => f.path));
  const manifest: Manifest = {
    version: 1,
    checkpoint: basename(checkpoint),
    step,
    created_at: now,
    files: files.map((file, i) => ({ path: file.relative, bytes: hashes[i]?.bytes ?? file.bytes, sha256: hashes[i]?.sha256 ?? '' })),
  };
  return { checkpoint, manifest };
}

/** Files changed after the manifest was made (Lightning rewrites last.ckpt at every save): it no longer speaks for them. */
export function isStale(manifest: Manifest, files: readonly CheckpointFile[]): boolean {
  return files.some((file) => file.mtimeMs > manifest.created_at);
}

/** The checkpoint against its manifest: the same files, sizes first (cheap), then every hash. Null: it matches. */
export async function differenceFromManifest(
  checkpoint: string,
  manifest: Manifest,
  files: readonly CheckpointFile[],
): Promise<string | null> {
  const now = new Map(files.map((f) => [f.relative, f]));
  for (const entry of manifest.files) {
    const file = now.get(entry.path);
    const name = entry.path || basename(checkpoint);
    if (!file) return `${name}: missing (the manifest lists it)`;
    if (file.bytes !== entry.bytes) return `${name}: ${file.bytes} bytes, the manifest says ${entry.bytes}`;
  }
  const extra = files.find((f) => !manifest.files.some((e) => e.path === f.relative));
  if (extra) return `${extra.relative}: not in the manifest`;
  const hashes = await hashFiles(manifest.files.map((e) => (e.path === '' ? checkpoint : join(checkpoint, e.path))));
  for (const [i, entry] of manifest.files.entries())
    if (hashes[i]?.sha256 !== entry.sha256)
      return `${entry.path || basename(checkpoint)}: content changed (sha256 differs from the manifest)`;
  return null;
}
