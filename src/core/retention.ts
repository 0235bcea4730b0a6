/**
 * Checkpoint retention (`--keep-last`, `--keep-best`, `--keep-every`): which verified checkpoints
 * may go. Only verified ones are retention's business: a pending one may still be written, a
 * corrupt or quarantined one is evidence and the resume logic's concern. Safety comes before the
 * policy: nothing goes unless a newer verified checkpoint exists, so the newest verified one (the
 * one a restart would resume from) always stays; and keep-best never deletes a checkpoint it cannot
 * rank (no metric known for it).
 */

export type RetentionCheckpoint = {
  path: string;
  step: number;
  status: 'pending' | 'verified' | 'corrupt' | 'quarantined';
  /** When it was verified (ms since the epoch); breaks a tie of steps. */
  verified_at: number | null;
  /** The --best-metric value near its step; null or absent when unknown. */
  metric?: number | null;
};

export type RetentionPolicy = {
  keepLast?: number;
  keepBest?: number;
  bestMode: 'min' | 'max';
  keepEvery?: number;
};

export type RetentionPlan = {
  delete: { path: string; reason: string }[];
  /** Every verified checkpoint that stays, with each rule that keeps it. */
  keep: { path: string; reasons: string[] }[];
};

export function planRetention(checkpoints: readonly RetentionCheckpoint[], policy: RetentionPolicy): RetentionPlan {
  const verified = checkpoints.filter((checkpoint) => checkpoint.status === 'verified').sort(newestFirst);
  const reasons = new Map<string, string[]>(verified.map((checkpoint) => [checkpoint.path, []]));
  const keepFor = (checkpoint: RetentionCheckpoint, reason: string) => reasons.get(checkpoint.path)?.push(reason);

  const newest = verified[0];
  if (newest) keepFor(newest, 'the newest verified checkpoint');
  if (!isRetentionOn(policy)) for (const checkpoint of verified) keepFor(checkpoint, 'no retention policy');
  if (policy.keepLast !== undefined)
    for (const checkpoint of verified.slice(0, policy.keepLast)) keepFor(checkpoint, `keep-last ${policy.keepLast}`);
  if (policy.keepEvery !== undefined) {
    const every = policy.keepEvery;
    for (const checkpoint of verified) if (checkpoint.step % every === 0) keepFor(checkpoint, `keep-every ${every}`);
  }
  if (policy.keepBest !== undefined) {
    const ranked = verified.filter(hasMetric).sort((a, b) => (policy.bestMode === 'min' ? a.metric - b.metric : b.metric - a.metric));
    ranked.slice(0, policy.keepBest).forEach((checkpoint, rank) => keepFor(checkpoint, `keep-best ${policy.keepBest} (#${rank + 1})`));
    for (const checkpoint of verified) if (!hasMetric(checkpoint)) keepFor(checkpoint, 'keep-best cannot rank it (no metric known)');
  }

  const plan: RetentionPlan = { delete: [], keep: [] };
  for (const [index, checkpoint] of verified.entries()) {
    const kept = reasons.get(checkpoint.path) ?? [];
    // index > 0: a newer verified checkpoint exists (the list is newest first).
    if (kept.length > 0 || index === 0) plan.keep.push({ path: checkpoint.path, reasons: kept });
    else plan.delete.push({ path: checkpoint.path, reason: deletionReason(checkpoint, policy, verified[0] as RetentionCheckpoint) });
  }
  return plan;
}

function isRetentionOn(policy: RetentionPolicy): boolean {
  return policy.keepLast !== undefined || policy.keepBest !== undefined || policy.keepEvery !== undefined;
}

function hasMetric(checkpoint: RetentionCheckpoint): checkpoint is RetentionCheckpoint & { metric: number } {
  return typeof checkpoint.metric === 'number' && Number.isFinite(checkpoint.metric);
}

function newestFirst(a: RetentionCheckpoint, b: RetentionCheckpoint): number {
  return b.step - a.step || (b.verified_at ?? 0) - (a.verified_at ?? 0);
}

/** Says which rules it fell outside of, and that a newer verified checkpoint stays. */
function deletionReason(checkpoint: RetentionCheckpoint, policy: RetentionPolicy, newest: RetentionCheckpoint): string {
  const outside: string[] = [];
  if (policy.keepLast !== undefined) outside.push(`not among the last ${policy.keepLast}`);
  if (policy.keepBest !== undefined)
    outside.push(`not among the ${policy.keepBest} best (metric ${checkpoint.metric}, ${policy.bestMode} is best)`);
  if (policy.keepEvery !== undefined) outside.push(`step ${checkpoint.step} is not a multiple of ${policy.keepEvery}`);
  return `${outside.join(', ')}; newer verified checkpoint at step ${newest.step}`;
}
