import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from '../../../src/core/alerts/alert.ts';
import { admit, digestDue, digestOf, type SentAlert, type ThrottlePolicy } from '../../../src/core/alerts/throttle.ts';

const POLICY: ThrottlePolicy = { windowMs: 60_000, perKind: 2, perRun: 4 };

function alert(kind: Alert['kind'], episode: number, at: number, level: Alert['level'] = 'warn', runId = 'r1'): Alert {
  return {
    kind,
    level,
    title: `${kind} ${episode}`,
    run: { id: runId, name: null },
    figures: {},
    command: `vigil show ${runId}`,
    at,
    episode,
  };
}
const sent = (a: Alert): SentAlert => ({ runId: a.run.id, kind: a.kind, episode: a.episode, at: a.at });

describe('alert throttle', () => {
  test('one alert per run, kind and episode', () => {
    const history = [sent(alert('hang', 1, 0))];
    assert.equal(admit(history, alert('hang', 1, 10), 10, POLICY), 'duplicate');
    assert.equal(admit(history, alert('hang', 2, 10), 10, POLICY), 'send');
    assert.equal(admit(history, alert('hang', 1, 10, 'warn', 'r2'), 10, POLICY), 'send', 'another run');
  });

  test('past perKind in the window a kind is held; after the window it goes again', () => {
    const history = [sent(alert('restarting', 1, 0)), sent(alert('restarting', 2, 1000))];
    assert.equal(admit(history, alert('restarting', 3, 2000), 2000, POLICY), 'hold');
    assert.equal(admit(history, alert('hang', 1, 2000), 2000, POLICY), 'send', 'other kinds are not held');
    assert.equal(admit(history, alert('restarting', 3, 61_000), 61_000, POLICY), 'send');
  });

  test("past perRun in the window everything is held but the run's last word", () => {
    const history = ['hang', 'nan_loss', 'restarting', 'recovered'].map((kind, i) => sent(alert(kind as Alert['kind'], 1, i)));
    assert.equal(admit(history, alert('disk_forecast', 1, 10), 10, POLICY), 'hold');
    assert.equal(admit(history, alert('gave_up', 1, 10, 'error'), 10, POLICY), 'send');
  });

  test('the held alerts go out as one digest, at the worst level, once a window has passed or the run ended', () => {
    const held = [alert('restarting', 3, 1000), alert('restarting', 4, 2000), alert('nan_loss', 1, 3000, 'error')];
    assert.equal(digestDue(held, 30_000, false, POLICY), false);
    assert.equal(digestDue(held, 61_000, false, POLICY), true);
    assert.equal(digestDue(held, 30_000, true, POLICY), true);
    assert.equal(digestDue([], 99_000, true, POLICY), false);
    const digest = digestOf(held, 61_000, 1);
    assert.equal(digest.kind, 'digest');
    assert.equal(digest.level, 'error');
    assert.equal(digest.title, '3 more alerts: restarting ×2, nan_loss ×1');
    assert.equal(digest.figures.latest, 'nan_loss 1');
  });
});
