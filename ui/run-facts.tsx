/** How the run was started and each attempt ended: command, directory, parameters, stacks. */

import { bytes, commandLine, duration, when } from './format.ts';
import type { Attempt, RunDetail } from './types.ts';

export function RunFacts({ run }: { run: RunDetail }) {
  return (
    <section>
      <h2>Details</h2>
      <dl class="facts">
        <dt>Command</dt>
        <dd>
          <pre class="command">{commandLine(run.command)}</pre>
        </dd>
        <dt>Directory</dt>
        <dd class="mono">{run.cwd}</dd>
        <dt>Run files</dt>
        <dd class="mono">{run.run_dir}</dd>
        <dt>Started</dt>
        <dd>{when(run.created_at)}</dd>
        {run.live_pids.length > 0 && (
          <>
            <dt>Live pids</dt>
            <dd class="mono">{run.live_pids.join(' ')}</dd>
          </>
        )}
      </dl>
      <h3>Attempts</h3>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Exit</th>
            <th>Peak memory</th>
            <th>Why it ended / restarted</th>
            <th>Params</th>
            <th>Inputs</th>
          </tr>
        </thead>
        <tbody>
          {run.attempts.map((attempt) => (
            <AttemptRow key={attempt.n} attempt={attempt} />
          ))}
        </tbody>
      </table>
      {run.stacks && (
        <>
          <h3>Stacks taken on stalls</h3>
          <pre class="stacks">{run.stacks}</pre>
        </>
      )}
    </section>
  );
}

function AttemptRow({ attempt }: { attempt: Attempt }) {
  const reasons = [
    attempt.stop_reason,
    attempt.diagnosis?.category,
    attempt.restart_reason && `restart: ${attempt.restart_reason}`,
    attempt.resumed_from && `resumed from ${attempt.resumed_from}`,
    attempt.lost_steps != null && `lost ${attempt.lost_steps} steps`,
    attempt.lost_seconds != null && `lost ${duration(attempt.lost_seconds * 1000)}`,
  ].filter(Boolean);
  return (
    <tr>
      <td class="num">{attempt.n}</td>
      <td class="mono">{when(attempt.started_at)}</td>
      <td class="num">{duration(attempt.duration_ms)}</td>
      <td class="num">{attempt.signal ?? attempt.exit_code ?? '—'}</td>
      <td class="num">{bytes(attempt.peak_rss_bytes)}</td>
      <td>{reasons.join(' · ') || '—'}</td>
      <td class="mono">
        {attempt.params
          ? Object.entries(attempt.params)
              .map(([name, value]) => `${name}=${String(value)}`)
              .join(' ')
          : '—'}
      </td>
      <td class="mono">
        {attempt.fingerprints?.length
          ? attempt.fingerprints.map((input) => `${input.path} ${input.sha256.slice(0, 12)} (${bytes(input.bytes)})`).join(', ')
          : '—'}
      </td>
    </tr>
  );
}
