/** A webhook: the alert as JSON, or in the body Slack's ({text}) or Discord's ({content}) incoming webhooks take. */

import { type Alert, alertBody, alertHeadline } from '../../core/alerts/alert.ts';
import { request } from './http.ts';
import type { NotifyTarget } from './target.ts';

export type WebhookShape = 'json' | 'slack' | 'discord';

export function webhookTarget(url: string, shape: WebhookShape): NotifyTarget {
  return {
    label: urlLabel(url),
    send: (alert, signal) =>
      request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(webhookBody(alert, shape)) },
        signal,
      ),
  };
}

export function webhookBody(alert: Alert, shape: WebhookShape): unknown {
  const text = `${alertHeadline(alert)}\n${alertBody(alert)}`;
  if (shape === 'slack') return { text };
  // Discord refuses content over 2000 characters.
  if (shape === 'discord') return { content: text.slice(0, 2000) };
  return alert;
}

/** A URL as messages show it: scheme, host and port only (webhook paths are secrets). */
export function urlLabel(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}/…`;
}
