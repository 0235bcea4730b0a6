/**
 * Pipeline stages counted with `vigil.count(stage)`: live totals and rates per stage, in the
 * pipeline's order (declared with `vigil.stages(...)`, else order of first appearance), and
 * the stalled edge: an upstream stage that keeps advancing while the stage after it stays
 * flat past the timeout ("bridge=0 while crop=8 for 60s"). Pure.
 */

export type StageState = { name: string; total: number; changedAt: number; ratePerSec: number | null };
/** A stage as stored on the run and shown by `vigil show` (JSON-shaped). */
export type StageSnapshot = { name: string; total: number; rate: number | null; updated_at: string | null };
export type StageStall = { upstream: StageState; downstream: StageState; flatForMs: number; message: string };

const RATE_STALE_MS = 5000;
const round = (rate: number) => Math.round(rate * 100) / 100;

export class StageCounters {
  #stages = new Map<string, StageState & { firstSeenAt: number; rateFrom: { total: number; at: number } }>();
  #order: string[] = [];
  #declared = false;
  #reported = new Set<string>();
  /** Bumped on every change, so a caller can tell whether there is anything new to store. */
  version = 0;

  declare(names: string[]): void {
    this.#order = [...names, ...this.#order.filter((n) => !names.includes(n))];
    this.#declared = true;
    this.version += 1;
  }

  add(counts: Record<string, number>, now: number): void {
    for (const [name, n] of Object.entries(counts)) {
      let stage = this.#stages.get(name);
      if (!stage) {
        stage = { name, total: 0, changedAt: now, firstSeenAt: now, ratePerSec: null, rateFrom: { total: 0, at: now } };
        this.#stages.set(name, stage);
        if (!this.#order.includes(name)) this.#order.push(name);
      }
      this.version += 1;
      if (n === 0) continue;
      stage.total += n;
      stage.changedAt = now;
      this.#reported.delete(name); // it moved: a new stall would be a new episode
      if (now - stage.rateFrom.at >= 1000) {
        stage.ratePerSec = (stage.total - stage.rateFrom.total) / ((now - stage.rateFrom.at) / 1000);
        stage.rateFrom = { total: stage.total, at: now };
      }
    }
  }

  get declared(): boolean {
    return this.#declared;
  }

  list(): StageState[] {
    return this.#order.flatMap((name) => {
      const stage = this.#stages.get(name) ?? (this.#declared ? { name, total: 0, changedAt: 0, ratePerSec: null } : null);
      return stage ? [{ name: stage.name, total: stage.total, changedAt: stage.changedAt, ratePerSec: stage.ratePerSec }] : [];
    });
  }

  /** Totals and rates at `now`; a stage flat for longer than RATE_STALE_MS runs at 0/s, not at its last rate. */
  snapshot(now: number): StageSnapshot[] {
    return this.list().map((stage) => ({
      name: stage.name,
      total: stage.total,
      rate: stage.ratePerSec === null ? null : now - stage.changedAt > RATE_STALE_MS ? 0 : round(stage.ratePerSec),
      updated_at: stage.changedAt ? new Date(stage.changedAt).toISOString() : null,
    }));
  }

  /** Edges newly stalled at `now` (each reported once until the downstream stage moves again). */
  stalls(now: number, timeoutMs: number, startedAt: number): StageStall[] {
    const stages = this.list();
    const out: StageStall[] = [];
    for (let i = 0; i + 1 < stages.length; i += 1) {
      const upstream = stages[i] as StageState;
      const downstream = stages[i + 1] as StageState;
      const flatSince = downstream.total === 0 ? Math.max(startedAt, this.#firstSeen(upstream)) : downstream.changedAt;
      const flatForMs = now - flatSince;
      const upstreamMoving = upstream.changedAt > flatSince && upstream.total > downstream.total;
      if (!upstreamMoving || flatForMs < timeoutMs || this.#reported.has(downstream.name)) continue;
      this.#reported.add(downstream.name);
      out.push({
        upstream,
        downstream,
        flatForMs,
        message: `${downstream.name}=${downstream.total} while ${upstream.name}=${upstream.total} for ${Math.round(flatForMs / 1000)}s`,
      });
    }
    return out;
  }

  #firstSeen(stage: StageState): number {
    return this.#stages.get(stage.name)?.firstSeenAt ?? stage.changedAt;
  }
}
