/**
 * Judgements on the machine's resources, from figures measured elsewhere: free space and inodes
 * where the job writes, RAM and swap, /dev/shm against the DataLoader workers (the
 * `shm_exhausted` crashes). Pure (limits: limits.ts).
 */

import { formatSize } from '../size.ts';
import { check, type CheckResult } from './check.ts';

export type SpaceFacts = {
  path: string;
  freeBytes: number;
  totalBytes: number;
  freeInodes: number;
  totalInodes: number;
  /** The largest checkpoint seen there on earlier runs, when known: the space one more save needs. */
  checkpointBytes: number | null;
};

/** Below this share of the disk free (and with no checkpoint size known), warn. */
const LOW_SPACE_SHARE = 0.05;
const LOW_INODE_SHARE = 0.02;

export function judgeSpace(facts: SpaceFacts): CheckResult {
  const free = `${formatSize(facts.freeBytes)} free of ${formatSize(facts.totalBytes)} at ${facts.path}`;
  const cleanUp = `free space at ${facts.path} (old checkpoints: vigil run --keep-last N prunes them safely)`;
  if (facts.totalInodes > 0 && facts.freeInodes / facts.totalInodes < LOW_INODE_SHARE)
    return check('disk', facts.freeInodes === 0 ? 'fail' : 'warn', `${facts.freeInodes} inodes left at ${facts.path}`, cleanUp);
  if (facts.checkpointBytes !== null && facts.checkpointBytes > 0) {
    const saves = Math.floor(facts.freeBytes / facts.checkpointBytes);
    const line = `${free}: room for ${saves} more checkpoint${saves === 1 ? '' : 's'} of ${formatSize(facts.checkpointBytes)}`;
    if (saves < 1) return check('disk', 'fail', line, cleanUp);
    if (saves < 2) return check('disk', 'warn', line, cleanUp);
    return check('disk', 'ok', line);
  }
  if (facts.freeBytes === 0) return check('disk', 'fail', free, cleanUp);
  if (facts.totalBytes > 0 && facts.freeBytes / facts.totalBytes < LOW_SPACE_SHARE) return check('disk', 'warn', free, cleanUp);
  return check('disk', 'ok', free);
}

export type MemoryFacts = {
  availableBytes: number;
  totalBytes: number;
  swapFreeBytes: number;
  /** /dev/shm's size and free space (null: not mounted). */
  shm: { totalBytes: number; freeBytes: number } | null;
};

const LOW_MEMORY_BYTES = 4 * 2 ** 30;
/** Docker's default /dev/shm (64 MiB) is the classic cause of DataLoader bus errors. */
const SMALL_SHM_BYTES = 1 * 2 ** 30;

/**
 * What /dev/shm must hold per DataLoader worker: its prefetched batches (2 by default) while the
 * main process takes them, assumed here at up to 128 MiB each (a 64-image 224² float batch is 37 MiB).
 */
const SHM_PER_WORKER_BYTES = 256 * 2 ** 20;

/** `workers`: the DataLoader workers the job ran on its last run under vigil (null: not known). */
export function judgeMemory(facts: MemoryFacts, workers: number | null = null): CheckResult[] {
  const ram = `${formatSize(facts.availableBytes)} of ${formatSize(facts.totalBytes)} RAM available, ${formatSize(facts.swapFreeBytes)} swap free`;
  const results = [
    facts.availableBytes < LOW_MEMORY_BYTES
      ? check('memory', 'warn', ram, 'stop what else uses memory, or lower DataLoader workers and prefetch_factor')
      : check('memory', 'ok', ram),
  ];
  if (facts.shm === null)
    results.push(check('shm', 'warn', '/dev/shm is not mounted', 'DataLoader workers share tensors through /dev/shm: mount it'));
  else {
    const seen = workers !== null && workers > 0 ? `; the job ran ${workers} DataLoader worker${workers === 1 ? '' : 's'} last time` : '';
    const line = `/dev/shm: ${formatSize(facts.shm.freeBytes)} free of ${formatSize(facts.shm.totalBytes)}${seen}`;
    const fix = 'give the container more shared memory (docker run --shm-size=8g, or --ipc=host), or fewer DataLoader workers';
    const needed = workers !== null && workers > 0 ? workers * SHM_PER_WORKER_BYTES : SMALL_SHM_BYTES;
    results.push(facts.shm.freeBytes < needed ? check('shm', 'warn', line, fix) : check('shm', 'ok', line));
  }
  return results;
}
