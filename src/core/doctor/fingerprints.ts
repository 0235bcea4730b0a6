/** The paths a job fingerprints (`--fingerprint PATH`) must exist: a resume compares their hashes to the checkpoint's. Pure. */

import { check, type CheckResult } from './check.ts';

export function judgeFingerprints(paths: readonly { path: string; exists: boolean }[]): CheckResult[] {
  if (paths.length === 0) return [check('fingerprints', 'skip', 'the job fingerprints no path (--fingerprint)')];
  const missing = paths.filter((p) => !p.exists);
  if (missing.length === 0)
    return [
      check(
        'fingerprints',
        'ok',
        `${paths.length} fingerprinted path${paths.length === 1 ? '' : 's'} exist: ${paths.map((p) => p.path).join(', ')}`,
      ),
    ];
  return missing.map(({ path }) =>
    check(
      'fingerprints',
      'fail',
      `fingerprinted path ${path} does not exist`,
      'fix the --fingerprint path (or create what it names) before the run',
    ),
  );
}
