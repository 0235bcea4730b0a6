import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { coalesce } from '../../ui/live.ts';

test('a burst of changes costs one call per interval, and the last change is never missed', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    let calls = 0;
    const refresh = coalesce(() => calls++, 500);
    for (let i = 0; i < 10; i++) refresh();
    mock.timers.tick(0);
    assert.equal(calls, 1);
    refresh();
    refresh();
    mock.timers.tick(499);
    assert.equal(calls, 1);
    mock.timers.tick(1);
    assert.equal(calls, 2);
  } finally {
    mock.timers.reset();
  }
});

test('a first fetch made outside counts: the first coalesced call waits out the interval', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 10_000 });
  try {
    let calls = 0;
    const refresh = coalesce(() => calls++, 500, 10_000);
    mock.timers.tick(200);
    refresh();
    mock.timers.tick(299);
    assert.equal(calls, 0);
    mock.timers.tick(1);
    assert.equal(calls, 1);
  } finally {
    mock.timers.reset();
  }
});
