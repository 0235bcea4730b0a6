/** Stop and restart now (each after a confirm naming the run), pause/resume, and the incident report. */

import { useState } from 'preact/hooks';
import { download, post } from './api.ts';
import { runLabel } from './format.ts';
import type { RunDetail } from './types.ts';

type Props = { run: RunDetail; base: string; onDone: () => void };

export function RunActions({ run, base, onDone }: Props) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Once a stop was asked for and the run still lives, the next stop is a forced one (SIGKILL).
  const [stopAsked, setStopAsked] = useState(false);
  const live = run.status === 'running' || run.status === 'orphaned';

  const act = async (action: string, body: object = {}) => {
    setBusy(true);
    try {
      setMessage((await post(`${base}/${action}`, body)).message);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      onDone();
    }
  };
  const stop = () => {
    if (stopAsked) {
      if (confirm(`Force-stop run ${runLabel(run)}? Its processes are killed at once (SIGKILL).`)) void act('stop', { force: true });
      return;
    }
    if (!confirm(`Stop run ${runLabel(run)}? The job's processes are terminated.`)) return;
    setStopAsked(true);
    void act('stop');
  };
  const restart = () => {
    if (confirm(`Restart run ${runLabel(run)} now? Its current attempt is stopped and the next one starts at once.`)) void act('restart');
  };
  const report = (event: MouseEvent) => {
    event.preventDefault();
    download(`${base}/report`, `vigil-report-${run.id}.html`).catch((error: unknown) =>
      setMessage(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <div class="actions">
      {live && (
        <button type="button" class="danger" disabled={busy} onClick={stop}>
          {stopAsked ? 'Force stop' : 'Stop'}
        </button>
      )}
      {live && (
        <button type="button" disabled={busy} onClick={() => void act(run.paused ? 'resume' : 'pause')}>
          {run.paused ? 'Resume' : 'Pause'}
        </button>
      )}
      {run.status === 'running' && !run.paused && (
        <button type="button" disabled={busy} onClick={restart}>
          Restart now
        </button>
      )}
      <a class="button" href={`${base}/report`} download onClick={report}>
        Download report
      </a>
      {message && <span class="action-message">{message}</span>}
    </div>
  );
}
