/** A queued job's request for tests: `python3 train.py` in /work, no GPU, nothing declared. */

import type { JobRequest } from '../../src/core/queue/job.ts';

export function jobRequest(overrides: Partial<JobRequest> = {}): JobRequest {
  return {
    name: null,
    priority: 0,
    gpus: 0,
    shareGpus: false,
    after: [],
    command: ['python3', 'train.py'],
    cwd: '/work',
    env: {},
    declaredEnv: {},
    runOptions: [],
    allowDuplicate: false,
    onSupervisorLoss: 'adopt',
    ...overrides,
  };
}
