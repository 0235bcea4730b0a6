/** A run's status and flags as small coloured labels. */

const FLAG_LABELS: Record<string, string> = {
  nan_loss: 'NaN',
  hang: 'stall',
  startup_stall: 'no start',
  no_progress: 'no progress',
  incomplete: 'incomplete',
  empty_stage: 'empty stage',
  stage_stall: 'stage stall',
  store_degraded: 'db degraded',
};

export function StatusBadge({ status, paused }: { status: string; paused?: boolean }) {
  return (
    <span class={`badge status status-${status}`}>
      {status}
      {paused ? ' · paused' : ''}
    </span>
  );
}

export function FlagBadges({ flags }: { flags: readonly string[] }) {
  if (flags.length === 0) return null;
  return (
    <>
      {flags.map((flag) => (
        <span key={flag} class="badge flag" title={flag}>
          {FLAG_LABELS[flag] ?? flag}
        </span>
      ))}
    </>
  );
}
