/**
 * A node's run, copied into the shared store (VIGIL_DATABASE_URL) as the supervisor records it
 * locally, so that every node of a group — and anyone with the URL — sees the whole job: each
 * node's attempts, diagnoses and progress, and whether its supervisor still lives (a heartbeat
 * every second). The same beat reads what the group asked of its nodes (`vigil stop GROUP` on
 * any machine) and passes it on.
 *
 * The local SQLite file stays the record that counts: the shared store is written behind it, in
 * order, from a queue that never makes the supervisor wait. A server that is down or unreachable
 * holds the writes (bounded; the newest progress replaces the older) and is retried with backoff;
 * the person hears once that it failed and once that it mended. Nothing about the job depends on it.
 */

import { shownUrl } from '../store/postgres/shown-url.ts';
import { openSharedRuns, type SharedRuns } from '../store/open-shared-runs.ts';
import type { PostgresRuns, GroupRequest } from '../store/postgres/runs.ts';
import type { AttemptRecord, EventRecord, RunRecord } from '../store/runs.ts';

/** What the supervisor's writer tells a mirror (src/supervisor/store-writer.ts). */
export interface WriteMirror {
  insertAttempt(attempt: AttemptRecord): void;
  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): void;
  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): void;
  addEvent(event: EventRecord): void;
}

type Connect = () => Promise<SharedRuns>;
type Pending = { key: string | null; apply: (runs: PostgresRuns) => Promise<void> };

export const HEARTBEAT_MS = 1000;
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5000;
const MAX_PENDING = 10_000;
/** Many and frequent, and kept locally: the run's progress column carries the newest. */
const LOCAL_ONLY_EVENTS = new Set(['progress', 'stages', 'output']);

export class SharedRecord implements WriteMirror {
  readonly #connect: Connect;
  readonly #node: string;
  readonly #shown: string;
  readonly #warn: (message: string) => void;
  #store: SharedRuns | null = null;
  /** One connection attempt at a time (the write queue and the group's decision may both want it). */
  #connecting: Promise<SharedRuns> | null = null;
  #pending: Pending[] = [];
  #draining: Promise<void> | null = null;
  #retryMs = FIRST_RETRY_MS;
  #failing: string | null = null;
  #dropped = 0;
  #closed = false;
  #beat: NodeJS.Timeout | null = null;
  #lastRequest = 0;
  /** The run's group and who takes its requests; `ready` once the requests made before the run began are known (and skipped). */
  #group: { id: string; onRequest: (request: GroupRequest) => void; ready: boolean } | null = null;

  constructor(options: { connect: Connect; node: string; shown: string; warn: (message: string) => void }) {
    this.#connect = options.connect;
    this.#node = options.node;
    this.#shown = options.shown;
    this.#warn = options.warn;
  }

  /** The run is recorded locally: copy it, then beat every second and pass on what its group asks. */
  runStarted(run: RunRecord, onRequest: (request: GroupRequest) => void): void {
    const groupId = run.group?.id ?? null;
    const group = groupId === null ? null : { id: groupId, onRequest, ready: false };
    this.#group = group;
    this.#enqueue(null, async (runs) => {
      if (group !== null) [this.#lastRequest, group.ready] = [await runs.lastGroupRequest(group.id), true];
      await runs.insertRun(run, this.#node);
    });
    this.#beat = setInterval(() => {
      this.#enqueue(`heartbeat`, async (runs) => this.#deliver(await runs.heartbeat(run.id, groupId, this.#lastRequest)));
    }, HEARTBEAT_MS);
    this.#beat.unref();
  }

  /**
   * Reads the group's requests now rather than at the next beat, waiting at most `waitMs`: a job's
   * end is about to be settled (see AttemptContext.stopAskedBetween). Nothing when the store does
   * not answer in time, or before the requests that predate the run are known.
   */
  async readRequestsNow(waitMs: number): Promise<void> {
    const group = this.#group;
    if (!group?.ready || this.#closed) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<GroupRequest[]>((resolve) => {
      timer = setTimeout(() => resolve([]), waitMs);
    });
    const read = this.withRuns((runs) => runs.groupRequests(group.id, this.#lastRequest)).catch(() => []);
    this.#deliver(await Promise.race([read, late]));
    clearTimeout(timer);
  }

  /** Passes the group's requests on in order, each once (the beat and readRequestsNow may both read one). */
  #deliver(requests: readonly GroupRequest[]): void {
    for (const request of requests) {
      if (request.id <= this.#lastRequest) continue;
      this.#lastRequest = request.id;
      this.#group?.onRequest(request);
    }
  }

  insertAttempt(attempt: AttemptRecord): void {
    this.#enqueue(null, (runs) => runs.insertAttempt(attempt, this.#node));
  }

  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): void {
    this.#enqueue(null, (runs) => runs.updateAttempt(runId, n, fields));
  }

  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): void {
    // Progress comes every few seconds: only the newest one waiting matters.
    const onlyProgress = Object.keys(fields).every((key) => key === 'progress' || key === 'stages');
    this.#enqueue(onlyProgress ? `progress ${id}` : null, (runs) => runs.updateRun(id, fields));
  }

  addEvent(event: EventRecord): void {
    if (LOCAL_ONLY_EVENTS.has(event.kind)) return;
    this.#enqueue(null, (runs) => runs.addEvent(event, this.#node));
  }

  #connected(): Promise<SharedRuns> {
    this.#connecting ??= this.#connect().catch((error: unknown) => {
      this.#connecting = null; // the next write tries again
      throw error;
    });
    return this.#connecting;
  }

  /** Works with the shared store now (connecting if need be); throws when it cannot be reached. */
  async withRuns<T>(work: (runs: PostgresRuns) => Promise<T>): Promise<T> {
    this.#store ??= await this.#connected();
    return work(this.#store.runs);
  }

  /** Stops beating and writes what is held until `deadline`; true when nothing was left behind. */
  async close(deadline: number): Promise<boolean> {
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    this.#pending = this.#pending.filter((write) => write.key !== 'heartbeat');
    while (this.#pending.length > 0 && Date.now() < deadline) {
      this.#kick();
      await Promise.race([this.#draining, new Promise((resolve) => setTimeout(resolve, Math.max(1, deadline - Date.now())).unref())]);
    }
    const left = this.#pending.length;
    this.#closed = true;
    if (left > 0)
      this.#warn(`${left} writes to the shared store at ${this.#shown} were not made before vigil ended; this machine's record has them`);
    await this.#store?.close().catch(() => undefined);
    return left === 0;
  }

  #enqueue(key: string | null, apply: Pending['apply']): void {
    if (this.#closed) return;
    if (key !== null) this.#pending = this.#pending.filter((write) => write.key !== key);
    if (this.#pending.length >= MAX_PENDING) {
      if (this.#dropped++ === 0)
        this.#warn(`more than ${MAX_PENDING} writes to the shared store are held; further ones are dropped until it mends`);
      return;
    }
    this.#pending.push({ key, apply });
    this.#kick();
  }

  #kick(): void {
    if (this.#draining === null) this.#draining = this.#drain().finally(() => (this.#draining = null));
  }

  /** Applies held writes in order; a failure holds the rest and retries after a backoff. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0 && !this.#closed) {
      const next = this.#pending[0]!;
      try {
        this.#store ??= await this.#connected();
        await next.apply(this.#store.runs);
        this.#pending.shift();
        this.#mended();
      } catch (error) {
        if (!this.#transient(error)) {
          this.#pending.shift();
          this.#warn(`a write to the shared store failed and was skipped: ${(error as Error).message.split('\n')[0]}`);
          continue;
        }
        if (this.#failing === null) {
          this.#failing = (error as Error).message.split('\n')[0] ?? String(error);
          this.#warn(
            `the shared store at ${this.#shown} cannot be written (${this.#failing}); this machine records the run, and the shared store is caught up when it mends`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs).unref());
        this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
      }
    }
  }

  #mended(): void {
    this.#retryMs = FIRST_RETRY_MS;
    if (this.#failing === null) return;
    this.#failing = null;
    this.#warn(`the shared store at ${this.#shown} is written again${this.#dropped > 0 ? ` (${this.#dropped} writes were dropped)` : ''}`);
    this.#dropped = 0;
  }

  /** A server down, unreachable or restarting may mend; a rejected statement will not. */
  #transient(error: unknown): boolean {
    const code = String((error as { code?: unknown }).code ?? '');
    if (/^(08|53|57P|40001|40P01)/.test(code) || /^E[A-Z]+$/.test(code)) return true;
    if (code === '' || (error as { exitCode?: unknown }).exitCode !== undefined) return true; // no SQLSTATE: the connection, not the statement
    return false;
  }
}

/** The shared store's recorder when VIGIL_DATABASE_URL names one (its client loaded only then); null otherwise. */
export function sharedRecordFor(url: string | null, node: string, warn: (message: string) => void): SharedRecord | null {
  return url === null ? null : new SharedRecord({ connect: () => openSharedRuns(url), node, shown: shownUrl(url), warn });
}
