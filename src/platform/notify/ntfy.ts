/** An ntfy topic (https://ntfy.sh/TOPIC or a server of one's own): a plain-text body, Title and Priority headers, a phone push. */

import { type Alert, alertBody, alertHeadline } from '../../core/alerts/alert.ts';
import { request } from './http.ts';
import type { NotifyTarget } from './target.ts';

/** ntfy's priorities: 5 max (urgent), 4 high, 3 default, 2 low. */
const PRIORITY: Record<Alert['level'], string> = { error: '5', warn: '4', info: '3' };

export function ntfyTarget(url: string): NotifyTarget {
  return {
    label: `ntfy:${url}`,
    send: (alert, signal) =>
      request(
        url,
        {
          method: 'POST',
          // Header values must be Latin-1: anything else is replaced rather than refused.
          headers: { Title: latin1(alertHeadline(alert)), Priority: PRIORITY[alert.level], Tags: `vigil,${alert.kind}` },
          body: `${alert.title}\n${alertBody(alert)}`,
        },
        signal,
      ),
  };
}

function latin1(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').slice(0, 250);
}
