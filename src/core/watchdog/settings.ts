/**
 * What a run's watchdog holds its job to (`--startup-timeout`, `--progress-timeout`, `--on-hang`,
 * `--on-nan`, `--stage-timeout`). Recorded as the run starts, so that a supervisor that adopts the
 * run after the first one died (`vigil adopt`) watches it the same way.
 */

import type { StallConfig } from './stall-clock.ts';

export type WatchdogSettings = {
  stall: StallConfig;
  onHang: 'kill' | 'wait';
  onNan: 'stop' | 'warn';
  stageTimeoutMs: number;
};
