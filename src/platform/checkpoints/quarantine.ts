/**
 * Setting a bad checkpoint aside, never deleting it: moved into the run's directory (so the
 * framework's own rotation and the next resume no longer see it), or — when that is another file
 * system and a move would mean a copy of gigabytes — renamed in place with a `.quarantined`
 * suffix. A reason file sits beside it; its manifest, if any, goes with it.
 */

import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MANIFEST_SUFFIX, QUARANTINE_SUFFIX, REASON_SUFFIX } from '../../core/checkpoints/naming.ts';
import { manifestPath } from './manifest.ts';

export type Quarantined = { from: string; to: string; reason: string; inPlace: boolean };

export async function quarantineCheckpoint(checkpoint: string, reason: string, intoDir: string): Promise<Quarantined> {
  await mkdir(intoDir, { recursive: true });
  let to = await freeName(join(intoDir, basename(checkpoint)));
  let inPlace = false;
  try {
    await rename(checkpoint, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    to = await freeName(checkpoint);
    inPlace = true;
    await rename(checkpoint, to);
  }
  await rename(manifestPath(checkpoint), join(dirname(to), `.${basename(to)}${MANIFEST_SUFFIX}`)).catch(() => undefined);
  await writeFile(`${to}${REASON_SUFFIX}`, `${checkpoint}\n${new Date().toISOString()}\n${reason}\n`);
  return { from: checkpoint, to, reason, inPlace };
}

/** `name.quarantined`, else `name.2.quarantined`…: an earlier quarantined namesake is never overwritten. */
async function freeName(path: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = `${path}${n === 1 ? '' : `.${n}`}${QUARANTINE_SUFFIX}`;
    const taken = await access(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}
