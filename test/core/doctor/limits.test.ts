/** Limits, pure: /proc/PID/limits read, and the open-files, process and core-dump lines. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeCoreDumps, judgeOpenFiles, judgeProcessLimit, parseProcLimits } from '../../../src/core/doctor/limits.ts';

const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max core file size        0                    unlimited            bytes     
Max processes             1000                 2000                 processes 
Max open files            1024                 524288               files     
Max nice priority         0                    0                    
`;

test('/proc/self/limits: soft and hard per limit, unlimited as Infinity', () => {
  const limits = parseProcLimits(PROC_LIMITS);
  assert.deepEqual(limits.get('Max open files'), { soft: 1024, hard: 524288 });
  assert.deepEqual(limits.get('Max core file size'), { soft: 0, hard: Infinity });
  assert.deepEqual(limits.get('Max nice priority'), { soft: 0, hard: 0 });
});

test('open files: under 4096 warns, with ulimit -n when the hard limit allows it', () => {
  assert.equal(judgeOpenFiles({ soft: 65536, hard: 65536 }).status, 'ok');
  const low = judgeOpenFiles({ soft: 1024, hard: 524288 });
  assert.equal(low.status, 'warn');
  assert.match(low.fix ?? '', /^ulimit -n 4096/);
  assert.match(judgeOpenFiles({ soft: 1024, hard: 1024 }).fix ?? '', /raise the hard limit/);
});

test('processes: under 4096 warns (workers × threads), says how to raise the hard limit; root is not held to it', () => {
  const low = judgeProcessLimit({ processes: { soft: 1000, hard: 2000 }, root: false });
  assert.equal(low.status, 'warn');
  assert.match(low.finding, /process limit \(ulimit -u\) 1000, hard 2000: DataLoader workers × their threads/);
  assert.match(low.fix ?? '', /^ulimit -u 4096 after raising the hard limit/);
  assert.equal(
    judgeProcessLimit({ processes: { soft: Infinity, hard: Infinity }, root: false }).finding,
    'process limit (ulimit -u) unlimited, hard unlimited',
  );
  const root = judgeProcessLimit({ processes: { soft: 1000, hard: 2000 }, root: true });
  assert.equal(root.status, 'ok');
  assert.match(root.finding, /not enforced for root/);
});

test('core dumps: the figure and where they go, ok either way (information)', () => {
  const off = judgeCoreDumps({ coreFileBytes: { soft: 0, hard: Infinity }, corePattern: '|/usr/lib/systemd/systemd-coredump %P' });
  assert.deepEqual(
    [off.status, off.finding],
    ['ok', 'core dumps off (ulimit -c 0, hard unlimited), core_pattern |/usr/lib/systemd/systemd-coredump %P'],
  );
  const on = judgeCoreDumps({ coreFileBytes: { soft: Infinity, hard: Infinity }, corePattern: null });
  assert.equal(on.status, 'ok');
  assert.match(on.finding, /^core dumps on \(ulimit -c unlimited/);
});
