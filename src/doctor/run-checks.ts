/**
 * Runs doctor's checks side by side, each bounded by a timeout: a check that hangs (nvidia-smi
 * on a wedged driver) or throws becomes a finding of its own instead of stalling the doctor.
 */

import { check, type CheckResult } from '../core/doctor/check.ts';
import { killProbes } from './probes.ts';

export type Check = {
  id: string;
  run: () => Promise<CheckResult[]> | CheckResult[];
  /** Longer than the common timeout for what is slow by nature (importing torch takes seconds). */
  timeoutMs?: number;
  /** What did not answer, and what to do, when it times out (a hung nvidia-smi says more than "hung?"). */
  hung?: { what: string; fix: string };
};

export async function runChecks(checks: readonly Check[], timeoutMs: number): Promise<CheckResult[]> {
  const settled = await Promise.all(checks.map((c) => bounded(c, c.timeoutMs ?? timeoutMs)));
  killProbes();
  return settled.flat();
}

async function bounded(c: Check, timeoutMs: number): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult[]>((resolve) => {
    const within = `did not answer within ${timeoutMs / 1000} s`;
    const finding = c.hung ? check(c.id, 'fail', `${c.hung.what} ${within}`, c.hung.fix) : check(c.id, 'fail', `${within} (hung?)`);
    timer = setTimeout(() => resolve([finding]), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(c.run), late]);
  } catch (error) {
    return [check(c.id, 'fail', `could not be checked: ${(error as Error).message.split('\n')[0]}`)];
  } finally {
    clearTimeout(timer);
  }
}
