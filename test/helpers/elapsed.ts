/**
 * The time between two moments a test recorded, or a failure when either was never recorded
 * (or they came in the wrong order): a bound on `to - from` must not pass on `0 - 0`.
 */

import assert from 'node:assert/strict';

/** A moment a test watches for: `at` stays null (or undefined) until it was seen. */
export type Moment = { what: string; at: number | null | undefined };

export function elapsedMs(from: Moment, to: Moment, context = ''): number {
  const detail = context ? `\n${context}` : '';
  assert.ok(typeof from.at === 'number' && Number.isFinite(from.at), `${from.what} was never recorded${detail}`);
  assert.ok(typeof to.at === 'number' && Number.isFinite(to.at), `${to.what} was never recorded${detail}`);
  assert.ok(to.at >= from.at, `${to.what} came ${from.at - to.at} ms before ${from.what}${detail}`);
  return to.at - from.at;
}
