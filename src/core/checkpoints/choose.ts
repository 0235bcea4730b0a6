/**
 * Which checkpoint to resume from, as a pure walk over the candidates newest first and what their
 * verification found. The shell verifies lazily: `chooseResume` asks for the next verdict it needs
 * (`{ kind: 'verify' }`) so a good newest checkpoint costs one re-hash, not one per checkpoint.
 *
 * - `verified`: files match the manifest → chosen.
 * - `whole`: no manifest, but complete and its format check passes → chosen, reported as unverified.
 * - `corrupt`: complete but broken, or differs from its manifest → quarantined, try the next older.
 * - `incomplete`: still being written (changed within the settle time, its writer alive) → skipped,
 *   never chosen and never quarantined (it may yet become whole).
 */

export type Verdict =
  { kind: 'verified' } | { kind: 'whole' } | { kind: 'corrupt'; reason: string } | { kind: 'incomplete'; reason: string };

export type Candidate = { path: string; step: number | null; mtimeMs: number };

export type ResumeDecision<C extends Candidate> =
  | { kind: 'verify'; candidate: C }
  | {
      kind: 'done';
      chosen: { candidate: C; verified: boolean } | null;
      quarantine: { candidate: C; reason: string }[];
      skipped: { candidate: C; reason: string }[];
    };

export function chooseResume<C extends Candidate>(newestFirst: readonly C[], verdicts: ReadonlyMap<string, Verdict>): ResumeDecision<C> {
  const quarantine: { candidate: C; reason: string }[] = [];
  const skipped: { candidate: C; reason: string }[] = [];
  for (const candidate of newestFirst) {
    const verdict = verdicts.get(candidate.path);
    if (verdict === undefined) return { kind: 'verify', candidate };
    if (verdict.kind === 'verified' || verdict.kind === 'whole')
      return { kind: 'done', chosen: { candidate, verified: verdict.kind === 'verified' }, quarantine, skipped };
    (verdict.kind === 'corrupt' ? quarantine : skipped).push({ candidate, reason: verdict.reason });
  }
  return { kind: 'done', chosen: null, quarantine, skipped };
}

/**
 * Newest first: by step, the later modification breaking ties. A checkpoint whose name has no step
 * (Lightning's last.ckpt, rewritten at every save) is merged in by modification time: it goes before
 * the first stepped one it is not older than.
 */
export function newestFirst<C extends Candidate>(candidates: readonly C[]): C[] {
  const byTime = (a: C, b: C) => b.mtimeMs - a.mtimeMs;
  const stepped = candidates.filter((c) => c.step !== null).sort((a, b) => (b.step as number) - (a.step as number) || byTime(a, b));
  const unstepped = candidates.filter((c) => c.step === null).sort(byTime);
  const merged: C[] = [];
  while (stepped.length > 0 && unstepped.length > 0)
    merged.push(((unstepped[0] as C).mtimeMs >= (stepped[0] as C).mtimeMs ? unstepped : stepped).shift() as C);
  return [...merged, ...stepped, ...unstepped];
}
