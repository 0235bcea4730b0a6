/** Xid lines as the driver writes them (plain dmesg, dmesg --ctime, journalctl -k; with and without pid/name), and the verdicts. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeXid, parseXidEvents } from '../../../src/core/doctor/xid.ts';

// Real formats: NVIDIA/NVSentinel#155, leptonai/gpud#117 and #1209, NVIDIA/open-gpu-kernel-modules#1150, gpud's xid docs.
const LOG = `[    0.000000] Linux version 6.1.0
[ 1843.308145] NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python3, GPU has fallen off the bus.
[Fri Aug 30 11:43:09 2024] NVRM: Xid (PCI:0000:cb:00): 13, pid='<unknown>', name=<unknown>, Graphics SM Warp Exception on (GPC 7, TPC 1, SM 0): Out Of Range Address
[Sat Oct 12 18:35:32 2024] NVRM: Xid (PCI:0000:61:00): 45, pid=1496200, name=distprovers-gpu, Ch 0000000a
Feb 14 05:03:41 gpu-1 kernel: NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus.
kernel: [16450076.435595] NVRM: Xid (PCI:0002:00:00): 94, pid=789012, name=process, Contained ECC error.
[ 1843.439662] NVRM: The NVIDIA probe routine failed for 1 device(s).
nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 12028, Non-fatal, Link 32 egress non-posted PRIV error
`;

test('parses every Xid line format (pid and name when given), ignores other NVRM lines and NVSwitch SXids', () => {
  const events = parseXidEvents(LOG);
  assert.deepEqual(
    events.map((e) => [e.pci, e.code, e.pid, e.process]),
    [
      ['PCI:0000:3b:00', 79, 1234, 'python3'],
      ['PCI:0000:cb:00', 13, null, null],
      ['PCI:0000:61:00', 45, 1496200, 'distprovers-gpu'],
      ['PCI:0000:44:00', 79, null, null],
      ['PCI:0002:00:00', 94, 789012, 'process'],
    ],
  );
  assert.equal(events[1]?.message, 'Graphics SM Warp Exception on (GPC 7, TPC 1, SM 0): Out Of Range Address');
  assert.equal(events[3]?.message, 'GPU has fallen off the bus.');
});

test('serious Xids (the GPU is faulty: 79, 94…) fail, application ones (13, 45) warn; repeats are counted per GPU and code', () => {
  const verdicts = judgeXid(parseXidEvents(`${LOG}${LOG}`));
  assert.deepEqual(
    verdicts.map((v) => [v.status, v.finding.split(': ')[0]]),
    [
      ['fail', 'Xid 79 on PCI:0000:3b:00 (2 times)'],
      ['warn', 'Xid 13 on PCI:0000:cb:00 (2 times)'],
      ['warn', 'Xid 45 on PCI:0000:61:00 (2 times)'],
      ['fail', 'Xid 79 on PCI:0000:44:00 (2 times)'],
      ['fail', 'Xid 94 on PCI:0002:00:00 (2 times)'],
    ],
  );
  assert.match(verdicts[0]?.finding ?? '', /GPU has fallen off the bus, last from python3 \(pid 1234\)/);
  assert.match(verdicts[0]?.fix ?? '', /nvidia-smi -r/);
  assert.deepEqual(
    judgeXid([]).map((v) => v.status),
    ['ok'],
  );
});
