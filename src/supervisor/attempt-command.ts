/**
 * An attempt's command when it is not all UTF-8 (platform/exact-launch.ts): {NAME} and
 * {checkpoint} filled in byte for byte — each word as latin1 text (one character per byte), the
 * values as their UTF-8 bytes the same way.
 */

import { substituteCheckpoint } from '../core/checkpoints/placeholder.ts';
import { type Params, substituteParams } from '../core/restart/params.ts';
import type { ExactJob } from '../platform/exact-launch.ts';

export function exactForAttempt(exact: ExactJob, params: Params, checkpoint: string | null): ExactJob {
  const [program, ...words] = exact.command;
  const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  const byteParams = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, asBytes(String(value))]));
  const filled = substituteCheckpoint(
    substituteParams(
      words.map((word) => word.toString('latin1')),
      byteParams,
    ),
    checkpoint === null ? null : asBytes(checkpoint),
  );
  return { ...exact, command: [program as Buffer, ...filled.map((word) => Buffer.from(word, 'latin1'))] };
}
