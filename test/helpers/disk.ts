/** A small tmpfs that fills up for real (ENOSPC, SQLITE_FULL), unmounted after the tests (root only). */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export function smallDisk(megabytes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  assert.equal(mounted.status, 0, `mount tmpfs: ${mounted.stderr}`);
  after(() => spawnSync('umount', ['-l', dir]));
  return dir;
}
