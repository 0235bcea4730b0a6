/** The shared store (VIGIL_DATABASE_URL) for the commands that read or ask across machines; null without one. */

import { openSharedRuns as open, type SharedRuns } from '../store/open-shared-runs.ts';
import { sharedQueueUrl } from '../store/open-queue.ts';

export async function openSharedRuns(env: NodeJS.ProcessEnv = process.env): Promise<SharedRuns | null> {
  const url = sharedQueueUrl(env);
  return url === null ? null : open(url);
}
