/**
 * Xid errors in the kernel log: the NVIDIA driver's own report of a GPU fault, one line each:
 *   [ 1843.30] NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python3, GPU has fallen off the bus.
 *   [Fri Aug 30 11:43:09 2024] NVRM: Xid (PCI:0000:cb:00): 13, pid='<unknown>', name=<unknown>, Graphics SM Warp Exception…
 *   Feb 14 05:03:41 host kernel: NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus.
 * (dmesg plain, dmesg --ctime and journalctl -k prefixes; older drivers write no pid/name.) Pure.
 */

import { check, type CheckResult } from './check.ts';

export type XidEvent = { pci: string; code: number; pid: number | null; process: string | null; message: string };

const XID_LINE = /NVRM: Xid \((PCI:[0-9a-fA-F:.]+)\): (\d+)(?:, pid=(?:'?<unknown>'?|(\d+)))?(?:, name=([^,]*))?,?\s*(.*)$/;

export function parseXidEvents(log: string): XidEvent[] {
  const events: XidEvent[] = [];
  for (const line of log.split('\n')) {
    const match = XID_LINE.exec(line);
    if (!match) continue;
    const name = match[4]?.trim();
    events.push({
      pci: match[1] as string,
      code: Number(match[2]),
      pid: match[3] === undefined ? null : Number(match[3]),
      process: name && name !== '<unknown>' ? name : null,
      message: (match[5] ?? '').trim(),
    });
  }
  return events;
}

/**
 * The Xids that mean the GPU itself (its memory, its bus, its firmware) is faulty, so that any job
 * on it will crash or compute on bad data until it is reset, drained or replaced; NVIDIA's Xid
 * catalogue gives RESET_GPU, RESTART_BM (reboot) or CONTACT_SUPPORT for them. The rest (13, 31,
 * 43, 45…) usually follow from an application's own fault (an illegal address, a killed
 * process) and leave the GPU usable: a warning.
 */
export const SERIOUS_XIDS: ReadonlyMap<number, string> = new Map([
  [48, 'double-bit ECC error'],
  [61, 'internal micro-controller breakpoint'],
  [62, 'internal micro-controller halt'],
  [63, 'ECC page retirement or row remapping recorded'],
  [64, 'ECC page retirement or row remapping failed'],
  [74, 'NVLink error'],
  [79, 'GPU has fallen off the bus'],
  [92, 'high single-bit ECC error rate'],
  [94, 'contained ECC error'],
  [95, 'uncontained ECC error'],
  [119, 'GSP RPC timeout'],
  [120, 'GSP error'],
  [140, 'unrecovered ECC error'],
  [154, 'GPU recovery action changed (reset or reboot required)'],
]);

/** One finding per GPU and Xid code, with how often it came; none: one ok line. */
export function judgeXid(events: readonly XidEvent[]): CheckResult[] {
  if (events.length === 0) return [check('xid', 'ok', 'no Xid error in the kernel log')];
  const groups = new Map<string, { event: XidEvent; count: number }>();
  for (const event of events) {
    const key = `${event.pci} ${event.code}`;
    const group = groups.get(key);
    groups.set(key, { event, count: (group?.count ?? 0) + 1 }); // keeps the latest line of each
  }
  return [...groups.values()].map(({ event, count }) => {
    const serious = SERIOUS_XIDS.get(event.code);
    const times = count === 1 ? '' : ` (${count} times)`;
    const who = event.process !== null ? `, last from ${event.process}${event.pid !== null ? ` (pid ${event.pid})` : ''}` : '';
    const finding = `Xid ${event.code} on ${event.pci}${times}: ${serious ?? event.message}${who}`;
    return serious
      ? check(
          'xid',
          'fail',
          finding,
          `keep jobs off this GPU until it is reset (nvidia-smi -r) or the machine rebooted; if it comes back, have the GPU replaced (nvidia-smi -q)`,
        )
      : check('xid', 'warn', finding, 'usually the application faulted (illegal address, killed process): see the job log of that time');
  });
}
