/** `vigil run`'s peak memory: the tree's real memory (PSS or the cgroup's count), named, not an RSS sum. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { showJson, tempHome, vigil } from '../helpers/vigil.ts';

const MIB = 1024 * 1024;
const SIZE_MIB = 200;

/**
 * Touches 200 MiB, then forks 4 children that sleep: every child shares all 200 MiB with its
 * parent, so the RSS sum reads ~5x while the tree holds ~1x. Prints its own RSS first.
 */
const FORK_HEAVY = `
import os, time
block = bytearray(${SIZE_MIB} * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
print('rss_kib', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS')][0], flush=True)
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        time.sleep(2.5)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
`;

describe('vigil run: peak memory', () => {
  for (const cgroup of ['', '--no-cgroup']) {
    test(`pages shared after fork count once ${cgroup}`, async () => {
      const home = tempHome();
      const result = await vigil(home, ['run', ...(cgroup ? [cgroup] : []), '--', 'python3', '-c', FORK_HEAVY]);
      assert.equal(result.code, 0, result.stderr);
      const single = Number(/rss_kib (\d+)/.exec(result.stdout)?.[1]) * 1024;
      assert.ok(single > SIZE_MIB * MIB, `the job touched its ${SIZE_MIB} MiB (rss ${single})`);
      const [attempt] = showJson(home).attempts;
      const peak = attempt.peak_rss_bytes as number;
      assert.ok(peak >= single * 0.8, `peak ${(peak / MIB).toFixed(0)} MiB saw the job (${(single / MIB).toFixed(0)} MiB)`);
      assert.ok(peak <= single * 1.6, `peak ${(peak / MIB).toFixed(0)} MiB within 1.6x of one process (${(single / MIB).toFixed(0)} MiB)`);
      const measure = attempt.peak_memory_measure as string;
      assert.ok(['pss', 'cgroup'].includes(measure), `measured by ${measure}`);
      const label = { pss: 'PSS', cgroup: 'cgroup' }[measure];
      assert.match(result.stderr, new RegExp(`succeeded after .*, peak memory [\\d.]+ [KMG]iB \\(${label}\\)\\n`));
    });
  }
});
