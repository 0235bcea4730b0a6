/**
 * The honest measure (issue 13): a corpus split in two halves by source repository — every
 * issue of one repository falls in the same half — so that rules written looking at half A are
 * measured on half B, logs from repositories they never saw.
 */

import { createHash } from 'node:crypto';

export type Half = 'A' | 'B';

/** owner/name of a GitHub URL; the whole source otherwise. */
export function repositoryOf(source: string | undefined): string {
  const match = /github\.com\/([^/]+\/[^/#?]+)/i.exec(source ?? '');
  return (match?.[1] ?? source ?? '').toLowerCase();
}

/** The half a row's repository falls in: the parity of the first byte of its name's SHA-256. */
export function halfOf(source: string | undefined): Half {
  return (createHash('sha256').update(repositoryOf(source)).digest()[0] as number) % 2 === 0 ? 'A' : 'B';
}
