/** What happened to the run, in order: attempts, restarts, stalls, checkpoints, pauses… */

import { when } from './format.ts';
import type { RunDetail } from './types.ts';

export function Timeline({ events }: { events: RunDetail['timeline'] }) {
  if (events.length === 0) return null;
  return (
    <section>
      <h2>Timeline</h2>
      <ol class="timeline">
        {events.map((event, i) => (
          <li key={i} class="event">
            <time class="mono">{when(event.at)}</time>
            <span class="muted">{event.attempt != null ? `#${event.attempt}` : ''}</span>
            <span>
              {event.kind ? <span class="badge kind">{event.kind.replaceAll('_', ' ')}</span> : null}
              {event.summary}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
