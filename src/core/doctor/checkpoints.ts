/**
 * The job's newest checkpoint, judged before the run that will resume from it: it verifies
 * against its manifest (or, without one, passes the format check), or the resume would fall back
 * to an older one, or to none. Pure: finding and verifying it are the edge's.
 */

import type { Verdict } from '../checkpoints/choose.ts';
import { formatSize } from '../size.ts';
import { check, type CheckResult } from './check.ts';

export type NewestCheckpoint = { path: string; step: number | null; bytes: number; verdict: Verdict };

export function judgeNewestCheckpoint(dirs: readonly string[], newest: NewestCheckpoint | null): CheckResult {
  if (newest === null) return check('checkpoints', 'ok', `no checkpoint in ${dirs.join(', ')} yet: the job starts from scratch`);
  const size = formatSize(newest.bytes);
  const what = `newest checkpoint ${newest.path} (${newest.step === null ? size : `step ${newest.step}, ${size}`})`;
  switch (newest.verdict.kind) {
    case 'verified':
      return check('checkpoints', 'ok', `${what} verifies against its manifest`);
    case 'whole':
      return check('checkpoints', 'ok', `${what} is whole (format check; no manifest yet: vigil seals it on its next run)`);
    case 'incomplete':
      return check('checkpoints', 'warn', `${what}: ${newest.verdict.reason}`, 'let the writer finish before starting the job');
    case 'corrupt':
      return check(
        'checkpoints',
        'fail',
        `${what} is damaged: ${newest.verdict.reason}`,
        `move it aside (a resume under vigil quarantines it and takes the one before); vigil checkpoints ${dirs[0] ?? 'DIR'} --verify lists the rest`,
      );
  }
}
