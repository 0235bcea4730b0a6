/** Jobs waiting in the queue, each with a cancel button. */

import { useState } from 'preact/hooks';
import { post } from './api.ts';
import { commandLine, duration, runLabel } from './format.ts';
import type { QueueRow } from './types.ts';

export function QueueTable({ queue, onChange }: { queue: readonly QueueRow[]; onChange: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const cancel = async (job: QueueRow) => {
    if (!confirm(`Cancel queued job ${runLabel(job)}?`)) return;
    try {
      setMessage((await post(`/api/jobs/${encodeURIComponent(job.id)}/cancel`)).message);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
    onChange();
  };
  return (
    <section class="queue">
      <h2>Queue</h2>
      {message && <div class="banner">{message}</div>}
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Name</th>
            <th>State</th>
            <th>Priority</th>
            <th>GPUs</th>
            <th>Waiting for</th>
            <th>Command</th>
            <th>Queued</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {queue.map((job) => (
            <tr key={job.id}>
              <td class="mono">{job.id}</td>
              <td>{job.name ?? '—'}</td>
              <td>{job.state}</td>
              <td class="num">{job.priority}</td>
              <td class="num">{job.gpus ?? '—'}</td>
              <td>{job.wait_reason ?? '—'}</td>
              <td class="mono command">{commandLine(job.command)}</td>
              <td class="num">{duration(Date.now() - Date.parse(job.created_at))}</td>
              <td>
                <button type="button" class="danger" onClick={() => void cancel(job)}>
                  Cancel
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
