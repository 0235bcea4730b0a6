/**
 * Will the disk hold the checkpoints still to come? Asked before the start and after each save:
 * free space against the checkpoint size seen × the saves left before the end (from the total
 * steps and the save interval seen). A run that cannot complete even one more save is refused
 * before it starts; one that would fill the disk before it ends is warned about while at least
 * two saves still fit, so there is time to act.
 */

import { formatSize } from './size.ts';

export type DiskForecastInput = {
  freeBytes: number;
  /** The size of the newest checkpoint; null before any was seen. */
  checkpointBytes: number | null;
  /** The job's known total steps; null when unknown. */
  totalSteps: number | null;
  /** Steps between saves, as seen; null before two saves were seen. */
  saveIntervalSteps: number | null;
  currentStep: number;
  /**
   * With retention, at most this many more checkpoints are on disk at once (e.g. keep-last N → N
   * minus those there now, plus one being written); absent when every save stays.
   */
  accumulateAtMost?: number;
};

export type DiskForecast = {
  /** Saves left before the end; null when the end or the interval is unknown. */
  savesToCome: number | null;
  /** Whole checkpoints the free space holds; null before a checkpoint size is known. */
  savesThatFit: number | null;
  level: 'ok' | 'warn' | 'fail';
  message: string;
};

/** Below this many saves of room, an unknown end is warned about anyway. */
const WARN_BELOW_SAVES = 2;

export function forecastDisk(input: DiskForecastInput): DiskForecast {
  const { freeBytes, checkpointBytes, currentStep } = input;
  const savesToCome = savesLeft(input);
  if (checkpointBytes === null || checkpointBytes <= 0)
    return { savesToCome, savesThatFit: null, level: 'ok', message: 'no checkpoint size known yet' };
  const savesThatFit = Math.floor(freeBytes / checkpointBytes);
  const needed = savesToCome === null ? null : Math.min(savesToCome, input.accumulateAtMost ?? Number.POSITIVE_INFINITY);
  const room = `${formatSize(freeBytes)} free holds ${savesThatFit} more checkpoint${savesThatFit === 1 ? '' : 's'} of ${formatSize(checkpointBytes)}`;
  const toCome =
    savesToCome === null
      ? 'the end of the run is unknown'
      : `${savesToCome} save${savesToCome === 1 ? '' : 's'} to come after step ${currentStep}`;
  const forecast = { savesToCome, savesThatFit };
  if (needed === 0) return { ...forecast, level: 'ok', message: `no more saves to come (${room})` };
  if (savesThatFit < 1) return { ...forecast, level: 'fail', message: `disk too full for the next checkpoint: ${room}; ${toCome}` };
  if (needed === null ? savesThatFit < WARN_BELOW_SAVES : savesThatFit < needed)
    return { ...forecast, level: 'warn', message: `the disk will fill before the run ends: ${room}; ${toCome}` };
  return { ...forecast, level: 'ok', message: `${room}; ${toCome}` };
}

/** Saves at each multiple of the interval after the current step, up to the total. */
function savesLeft({ totalSteps, saveIntervalSteps, currentStep }: DiskForecastInput): number | null {
  if (totalSteps === null || saveIntervalSteps === null || saveIntervalSteps <= 0) return null;
  return Math.max(0, Math.floor(totalSteps / saveIntervalSteps) - Math.floor(currentStep / saveIntervalSteps));
}
