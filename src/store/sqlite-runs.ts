/** The run repository (run-repository.ts) over this machine's SQLite file: the RunStore, answering at once. */

import type { RunRepository, StoredRun } from './run-repository.ts';
import type { AttemptRecord, EventRecord, RunRecord, RunStore } from './runs.ts';

/** A machine's own runs are its own: their node is the one their group names, else unsaid. */
const stored = (run: RunRecord): StoredRun => ({ ...run, node: run.group?.node ?? null, heartbeatAt: null });

export class SqliteRuns implements RunRepository {
  readonly #store: RunStore;
  constructor(store: RunStore) {
    this.#store = store;
  }

  async insertRun(run: RunRecord): Promise<void> {
    this.#store.insertRun(run);
  }

  async updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): Promise<void> {
    this.#store.updateRun(id, fields);
  }

  async insertAttempt(attempt: AttemptRecord): Promise<void> {
    this.#store.insertAttempt(attempt);
  }

  async updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): Promise<void> {
    this.#store.updateAttempt(runId, n, fields);
  }

  async addEvent(event: EventRecord): Promise<void> {
    this.#store.addEvent(event);
  }

  async getRun(id: string): Promise<StoredRun | null> {
    const run = this.#store.getRun(id);
    return run ? stored(run) : null;
  }

  async groupRuns(groupId: string): Promise<StoredRun[]> {
    return this.#store.groupRuns(groupId).map(stored);
  }

  async listRuns(options: { live?: boolean; limit?: number } = {}): Promise<StoredRun[]> {
    return this.#store
      .listRuns({
        ...(options.live ? { onlyStatus: 'running' as const } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      })
      .map(stored);
  }

  async attempts(runId: string): Promise<AttemptRecord[]> {
    return this.#store.attempts(runId);
  }

  async attemptsOf(runIds: readonly string[]): Promise<Map<string, AttemptRecord[]>> {
    return new Map(runIds.map((id) => [id, this.#store.attempts(id)]));
  }

  async events(runId: string, kind?: string): Promise<EventRecord[]> {
    return this.#store.events(runId, kind);
  }
}
