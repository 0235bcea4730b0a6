/**
 * A stall that follows an uncaught exception is that exception's doing. The process that raised
 * it was on its way out and hung there (an exit joining a dead DataLoader worker's queue, a
 * finalizer waiting on a lock), or a thread the others waited on died. The stacks taken at the
 * stall show only that aftermath; the log's diagnosis of the exception is the root cause, with
 * the stall told after it. Pure.
 */

import type { Diagnosis } from '../diagnosis/diagnose.ts';
import type { HangDiagnosis } from './hang-diagnosis.ts';

export function stallAfterException(hang: HangDiagnosis, fromLog: Diagnosis): Diagnosis {
  // Without the exception in the log (its output lost, or nothing read it) the hang, which names
  // the exception, says more than a log diagnosis of nothing.
  if (hang.raised.length === 0 || fromLog.exception === null) return hang;
  return { ...fromLog, summary: `${fromLog.summary}; then ${hang.stalled}`, stacks: hang.stacks };
}
