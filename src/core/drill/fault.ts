/**
 * A fault `vigil drill` injected, as it tells the supervisor: a file in the run's directory,
 * written before the signal is sent. The supervisor then diagnoses the attempt as what it was —
 * stopped from outside, on purpose, retryable — rather than as the OOM kill a bare SIGKILL
 * otherwise means; the restart that follows is the one a preemption would get.
 */

import type { Diagnosis } from '../diagnosis/diagnose.ts';

export const DRILL_FAULT_FILE = 'drill-fault.json';

export type DrillFault = { attempt: number; drill: string; signal: string; pid: number; at: number };

export function isDrillFault(value: unknown): value is DrillFault {
  const fault = value as DrillFault | null;
  return typeof fault?.attempt === 'number' && typeof fault.drill === 'string' && typeof fault.signal === 'string';
}

export function drillFaultDiagnosis(fault: DrillFault): Diagnosis {
  return {
    category: 'preempted',
    retryable: true,
    summary: `preempted / stopped from outside: vigil drill (${fault.drill}) sent ${fault.signal} to pid ${fault.pid}`,
    evidence: [],
    where: null,
    process: 'main',
    exception: null,
    confidence: 1,
    rule: 'drill-fault',
    fixes: ['Nothing to fix: a drill injected this fault to check the recovery'],
  };
}
