import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTargetSpec } from '../../../src/core/alerts/target-spec.ts';

describe('--notify targets', () => {
  const cases: [string, unknown][] = [
    ['https://hooks.slack.com/services/T/B/x', { kind: 'webhook', url: 'https://hooks.slack.com/services/T/B/x', shape: 'slack' }],
    ['https://discord.com/api/webhooks/1/abc', { kind: 'webhook', url: 'https://discord.com/api/webhooks/1/abc', shape: 'discord' }],
    ['https://discord.com/channels/1', { kind: 'webhook', url: 'https://discord.com/channels/1', shape: 'json' }],
    ['http://127.0.0.1:8080/hook', { kind: 'webhook', url: 'http://127.0.0.1:8080/hook', shape: 'json' }],
    ['ntfy:https://ntfy.sh/my-runs', { kind: 'ntfy', url: 'https://ntfy.sh/my-runs' }],
    ['https://ntfy.example.org/gpu-box', { kind: 'ntfy', url: 'https://ntfy.example.org/gpu-box' }],
    ['exec:/usr/local/bin/page-me', { kind: 'exec', path: '/usr/local/bin/page-me' }],
    ['desktop', { kind: 'desktop' }],
    ['mailto:me@example.com,ops@example.org', { kind: 'email', to: ['me@example.com', 'ops@example.org'] }],
  ];
  for (const [spec, expected] of cases) test(spec, () => assert.deepEqual(parseTargetSpec(spec), { value: expected }));

  const errors: [string, RegExp][] = [
    ['mailto:me', /^mailto:me: expected mailto:NAME@HOST/],
    ['exec:', /exec: needs the path of a command/],
    ['ntfy:topic', /expected ntfy:https:\/\/HOST\/TOPIC/],
    ['ftp://example.com/x', /expected a webhook URL, ntfy:URL, exec:PATH, mailto:ADDRESS or desktop/],
    ['slack', /expected a webhook URL/],
  ];
  for (const [spec, message] of errors)
    test(`${spec}: refused`, () => {
      const parsed = parseTargetSpec(spec);
      assert.ok('error' in parsed);
      assert.match(parsed.error, message);
    });
});
