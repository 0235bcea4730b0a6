import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failUrl, type Health, heartbeatAction } from '../../../src/core/alerts/heartbeat.ts';

const healthy: Health = { running: true, stalled: false, lastProgressAt: 10_000, ended: false, failed: false };

describe('heartbeat', () => {
  const cases: [string, Health, number, number | null, string][] = [
    ['healthy, first ping', healthy, 11_000, null, 'ping'],
    ['healthy, an interval since the last ping', healthy, 11_000, 10_000, 'ping'],
    ['healthy, too soon', healthy, 11_000, 10_500, 'none'],
    ['stalled', { ...healthy, stalled: true }, 11_000, null, 'none'],
    ['no progress yet', { ...healthy, lastProgressAt: null }, 11_000, null, 'none'],
    ['progress stale (past 15 s and 3 intervals)', healthy, 10_000 + 15_001, null, 'none'],
    ['between attempts', { ...healthy, running: false }, 11_000, null, 'none'],
    ['ended failed', { ...healthy, running: false, ended: true, failed: true }, 11_000, null, 'fail'],
    ['ended well', { ...healthy, running: false, ended: true }, 11_000, null, 'none'],
  ];
  for (const [what, health, now, last, expected] of cases)
    test(what, () => assert.equal(heartbeatAction(health, now, last, 1000), expected));

  test('the failure URL', () => {
    assert.equal(failUrl('https://hc-ping.com/abc'), 'https://hc-ping.com/abc/fail');
    assert.equal(failUrl('https://hc-ping.com/abc/'), 'https://hc-ping.com/abc/fail');
  });
});
