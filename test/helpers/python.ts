/**
 * The Python interpreter for tests: the first candidate that can import torch. On Debian the
 * `python3` on PATH may be a separate interpreter that cannot see python3-torch while
 * /usr/bin/python3 can. No torch anywhere is a test failure, never a silent skip.
 */

import { spawnSync } from 'node:child_process';

const CANDIDATES = [process.env.VIGIL_TEST_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(Boolean) as string[];

let cached: string | undefined;

export function torchPython(): string {
  if (cached) return cached;
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate, ['-c', "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('torch') else 1)"]);
    if (probe.status === 0) {
      process.stderr.write(`# tests use ${candidate} (it can import torch)\n`);
      cached = candidate;
      return candidate;
    }
  }
  throw new Error(
    `no Python interpreter that can import torch among ${CANDIDATES.join(', ')}: install Debian's python3-torch (apt-get install python3-torch)`,
  );
}
