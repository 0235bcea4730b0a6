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
};

export async function runChecks(checks: readonly Check[], timeoutMs: number): Promise<CheckResult[]> {
  const settled = await Promise.all(checks.map((c) => bounded(c, c.timeoutMs ?? timeoutMs)));
  killProbes();
  return settled.flat();
}

async function bounded(c: Check, timeoutMs: number): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => resolve([check(c.id, 'fail', `did not answer within ${timeoutMs / 1000} s (hung?)`, null)]), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(c.run), late]);
  } catch (error) {
    return [check(c.id, 'fail', `could not be checked: ${(error as Error).message.split('\n')[0]}`)];
  } finally {
    clearTimeout(timer);
  }
}
