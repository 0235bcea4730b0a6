/**
 * One "machine" of the concurrency test (postgres-queue.test.ts), as a process of its own with
 * its own pool: it submits its jobs while it claims whatever is queued, until every job of every
 * machine is claimed. Prints what it did as JSON.
 *
 * Arguments: URL NODE JOBS TOTAL (its own jobs; all machines' together).
 */

import { jobRequest } from '../helpers/jobs.ts';
import { openQueue } from '../../src/store/open-queue.ts';

const [url, node, jobs, total] = process.argv.slice(2) as [string, string, string, string];
const { queue, close } = await openQueue(
  () => {
    throw new Error('a shared queue opens no SQLite file');
  },
  { VIGIL_DATABASE_URL: url, VIGIL_NODE: node },
);
const started = Date.now();
const submitted: string[] = [];
const claimed: string[] = [];
let tries = 0;

async function submitAll(): Promise<void> {
  for (let i = 0; i < Number(jobs); i += 1) {
    const result = await queue.submit(jobRequest({ command: ['job', node, String(i)] }), Date.now());
    if (result.kind !== 'queued') throw new Error(`job ${i} of ${node} refused as a duplicate`);
    submitted.push(result.job.id);
  }
}

async function claimAll(): Promise<void> {
  for (;;) {
    // One look at the whole queue: asked in two queries (none queued, then all there), a job submitted
    // between them was seen by neither and left unclaimed by every machine (seen once: 399 of 400 claimed).
    const jobs = await queue.list();
    const queued = jobs.filter((job) => job.state === 'queued');
    if (queued.length === 0) {
      if (jobs.length === Number(total)) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    for (const job of queued) {
      tries += 1;
      if (await queue.claim(job.id, [], Date.now())) claimed.push(job.id);
    }
  }
}

await Promise.all([submitAll(), claimAll()]);
await close();
process.stdout.write(JSON.stringify({ node, submitted, claimed, tries, ms: Date.now() - started }));
