/**
 * The daemon: starts queued jobs when their slot and GPUs are free, each under its own
 * supervisor process (`vigil run --job ID`, detached), and settles each job when its supervisor
 * ends. It drives runs but never holds them: SIGKILL the daemon and every run goes on; the next
 * daemon finds them again (recover). It reacts to events only — a submit's nudge on the socket, a
 * supervisor's connection closing or its exit — and plans with the pure planDispatch.
 *
 * Read top-down: runDaemon → Daemon.recover → Daemon.schedule → plan → launch; a supervisor
 * gone → settle (core/queue/settle.ts: end, requeue, adopt, or stop and requeue).
 *
 * On a queue shared by several machines (VIGIL_DATABASE_URL), each machine's daemon starts what
 * it claims and settles only the jobs it claimed (claimed_by): a supervisor's pid means nothing
 * on another machine. It hears the other machines' submits and ends through the queue itself
 * (QueueHandle.watch), and finds the runs it started in its own home (runs.job_id).
 */

import type { ChildProcess } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeRequest, encodeMessage, type StatusReply } from '../core/daemon/protocol.ts';
import type { Job, JobOutcome } from '../core/queue/job.ts';
import { settleJob } from '../core/queue/settle.ts';
import { runVigil, startDetachedVigil } from './vigil-process.ts';
import { type GpuInfo, planDispatch } from '../core/queue/plan-dispatch.ts';
import { join } from 'node:path';
import { formatDuration } from '../core/duration.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { declaredGpus, detectGpus } from '../platform/gpus.ts';
import { onJsonLines } from '../platform/json-lines.ts';
import { isSameProcessAlive, processStartTime } from '../platform/proc.ts';
import { acquireDaemonLease, releaseDaemonLease } from '../store/daemon-lease.ts';
import { openDatabase } from '../store/database.ts';
import { createDaemonDirs, daemonPaths, type DaemonPaths, openHome } from '../store/paths.ts';
import { localRunsOfJob } from '../store/job-runs.ts';
import { openQueue, type QueueHandle } from '../store/open-queue.ts';
import type { QueueRepository } from '../core/queue/repository.ts';
import { RunStore } from '../store/runs.ts';
import type { Db } from '../store/database.ts';
import { type RunningWebServer, startWebServer } from '../web/server.ts';
import { webTokenOf } from '../web/token.ts';
import { observeRun } from '../supervisor/reconcile.ts';

export type DaemonOptions = {
  home: string;
  /** Jobs that ask for no GPU: at most this many at once. */
  maxRunning: number;
  /** `--gpus-available` / vigil.yaml `gpus:`; null: ask nvidia-smi. */
  gpusAvailable: number[] | null;
  /** How to start vigil itself: node, its flags and the CLI script. */
  vigil: string[];
  /** `--web`: also serve the dashboard (the same app as `vigil web`). */
  web: { port: number; host: string } | null;
  log: (line: string) => void;
};

/** Supervisors alive but not (yet) connected — found again after a restart — are checked this often. */
const UNLINKED_CHECK_MS = 2000;
/** A job whose settling failed (the database busy or full) is settled again after this long. */
const SETTLE_RETRY_MS = 1000;

/** While a job waits for a GPU that something else uses, nvidia-smi is asked again this often. */
const GPU_RECHECK_MS = 5000;

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const layout = openHome(options.home, { write: true });
  const db = openDatabase(layout.databasePath, { readonly: false });
  const queue = await openQueue(() => db);
  const self = { pid: process.pid, start: processStartTime(process.pid), startedAt: Date.now() };
  const lease = acquireDaemonLease(db, self, (holder) => isSameProcessAlive(holder.pid, holder.start));
  if (lease.kind === 'held') {
    await queue.close();
    const up = formatDuration(Date.now() - lease.holder.startedAt);
    throw new VigilError(`a daemon already serves ${options.home} (pid ${lease.holder.pid}, up ${up})`, ExitCode.daemonRunning);
  }
  const paths = daemonPaths(options.home);
  createDaemonDirs(paths);
  rmSync(paths.socket, { force: true }); // we hold the lease: a socket file left here is a dead daemon's
  const daemon = new Daemon(options, paths, queue, new RunStore(db), self.startedAt);
  const server = createServer((socket) => daemon.onConnection(socket));
  await listen(server, paths.socket);
  options.log(`daemon ${process.pid} serving ${options.home}${queue.node === null ? '' : ` as ${queue.node}, on a shared queue`}`);
  const stopWatching = queue.watch ? await queue.watch(() => daemon.schedule(), options.log) : null;
  const page = options.web ? await serveDashboard(options, db) : null;
  const stopOnSignal = () => daemon.stop();
  process.on('SIGTERM', stopOnSignal);
  process.on('SIGINT', stopOnSignal);
  process.on('SIGHUP', () => undefined); // a closed terminal is no reason to stop
  try {
    await daemon.recover();
    daemon.schedule();
    await daemon.stopped;
  } finally {
    server.close();
    await page?.close();
    rmSync(paths.socket, { force: true });
    releaseDaemonLease(db, process.pid);
    daemon.dispose();
    await stopWatching?.();
    await queue.close();
    options.log(`daemon ${process.pid} stopped; the runs it started go on`);
  }
}

/** The dashboard beside the queue; one that cannot listen is said in the log and the daemon goes on without it. */
async function serveDashboard(options: DaemonOptions, db: Db): Promise<RunningWebServer | null> {
  const web = options.web as { port: number; host: string };
  try {
    const page = await startWebServer({ store: new RunStore(db), token: webTokenOf(options.home), vigil: options.vigil, ...web });
    options.log(`dashboard: ${page.url} (the token: ${join(options.home, 'web-token')})`);
    return page;
  } catch (error) {
    options.log(`dashboard: cannot serve on ${web.host}:${web.port}: ${(error as Error).message}`);
    return null;
  }
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      chmodSync(socketPath, 0o600); // the home is private; the socket too
      resolve();
    });
  });
}

class Daemon {
  readonly stopped: Promise<void>;
  #stop!: () => void;
  #options: DaemonOptions;
  #paths: DaemonPaths;
  #queue: QueueRepository;
  /** This machine on a shared queue; null: the home's own queue, every job of which is ours. */
  #node: string | null;
  #runs: RunStore;
  #startedAt: number;
  /** Supervisors connected to us, by job. */
  #links = new Map<string, Socket>();
  /** Supervisors alive but not connected (found again after a restart): checked every UNLINKED_CHECK_MS. */
  #unlinked = new Set<string>();
  #unlinkedTimer: NodeJS.Timeout | null = null;
  /** How the supervisors we started exited, for a job that ended before its run was recorded. */
  #exitCodes = new Map<string, number | null>();
  #settling = new Set<string>();
  #planning = false;
  #planAgain = false;
  #gpuRecheck: NodeJS.Timeout | null = null;

  constructor(options: DaemonOptions, paths: DaemonPaths, queue: QueueHandle, runs: RunStore, startedAt: number) {
    this.#options = options;
    this.#paths = paths;
    this.#queue = queue.queue;
    this.#node = queue.node;
    this.#runs = runs;
    this.#startedAt = startedAt;
    this.stopped = new Promise((resolve) => (this.#stop = resolve));
  }

  stop(): void {
    this.#stop();
  }

  dispose(): void {
    if (this.#unlinkedTimer) clearInterval(this.#unlinkedTimer);
    if (this.#gpuRecheck) clearTimeout(this.#gpuRecheck);
    for (const socket of this.#links.values()) socket.destroy();
  }

  onConnection(socket: Socket): void {
    socket.on('error', () => undefined);
    onJsonLines(socket, (message) => {
      const request = decodeRequest(message);
      if (!request) return;
      if (request.op === 'nudge') this.schedule();
      else if (request.op === 'status')
        this.status().then(
          (reply) => socket.write(encodeMessage(reply)),
          () => socket.destroy(), // the queue unreachable: the asker hears no daemon
        );
      else if (request.op === 'stop') {
        socket.end(encodeMessage({ ok: true }));
        this.stop();
      } else this.#hello(socket, request.jobId);
    });
  }

  /** A supervisor says which job it drives: from now on its connection closing means it ended. */
  #hello(socket: Socket, jobId: string): void {
    this.#links.get(jobId)?.destroy();
    this.#links.set(jobId, socket);
    this.#unlinked.delete(jobId);
    socket.on('close', () => {
      if (this.#links.get(jobId) !== socket) return;
      this.#links.delete(jobId);
      void this.#supervisorGone(jobId);
    });
  }

  /** After a restart: each claimed job's supervisor is found again, or its loss is settled. */
  async recover(): Promise<void> {
    for (const job of (await this.#queue.list(['claimed'])).filter((claimed) => this.#isOurs(claimed))) {
      if (job.supervisorPid !== null && isSameProcessAlive(job.supervisorPid, job.supervisorStart)) {
        this.#options.log(`job ${job.id}: supervisor ${job.supervisorPid} still runs; re-attached`);
        this.#watchUnlinked(job.id);
      } else await this.#supervisorGone(job.id);
    }
  }

  /** A claimed job this daemon started (on a shared queue, other machines' are theirs to settle). */
  #isOurs(job: Job): boolean {
    return this.#node === null || job.claimedBy === this.#node;
  }

  async status(): Promise<StatusReply> {
    const jobs = (await this.#queue.list(['queued', 'claimed'])).filter((job) => job.state === 'queued' || this.#isOurs(job));
    return {
      ok: true,
      pid: process.pid,
      startedAt: this.#startedAt,
      queued: jobs.filter((job) => job.state === 'queued').length,
      runs: jobs
        .filter((job) => job.state === 'claimed')
        .map((job) => ({
          jobId: job.id,
          runId: localRunsOfJob(this.#runs.db, job.id).at(-1) ?? null,
          supervisorPid: job.supervisorPid,
          gpuIds: job.gpuIds,
          connected: this.#links.has(job.id),
        })),
    };
  }

  /** Plans again soon; calls while a plan runs are folded into one more pass. */
  schedule(): void {
    if (this.#planning) {
      this.#planAgain = true;
      return;
    }
    this.#planning = true;
    void (async () => {
      try {
        do {
          this.#planAgain = false;
          await this.#plan();
        } while (this.#planAgain);
      } catch (error) {
        this.#options.log(`planning failed (tried again on the next event): ${(error as Error).message}`);
      } finally {
        this.#planning = false;
      }
    })();
  }

  async #plan(): Promise<void> {
    const live = await this.#queue.list(['queued', 'claimed']);
    const queued = live.filter((job) => job.state === 'queued');
    if (queued.length === 0) return;
    const ours = live.filter((job) => job.state === 'queued' || this.#isOurs(job));
    const plan = planDispatch({
      jobs: ours,
      elsewhere: live.filter((job) => !ours.includes(job)),
      outcomes: await this.#dependencyOutcomes(queued, live),
      gpus: await this.#gpus(queued.some((job) => job.gpus > 0)),
      maxRunning: this.#options.maxRunning,
    });
    const now = Date.now();
    for (const failed of plan.failedDependencies) {
      await this.#queue.end(failed.jobId, 'dependency_failed', now);
      this.#options.log(`job ${failed.jobId}: not started, job ${failed.dependency} it runs after ended ${failed.outcome}`);
    }
    for (const start of plan.start) {
      const job = live.find((candidate) => candidate.id === start.jobId) as Job;
      if (await this.#queue.claim(job.id, start.gpuIds, now)) await this.#launch(job, start.gpuIds);
    }
    await this.#queue.setWaitReasons(new Map(plan.waiting.map((wait) => [wait.jobId, wait.reason])));
    if (plan.waiting.some((wait) => /does not know/.test(wait.reason))) this.#recheckGpusLater();
  }

  /** How each `--after` dependency that is no longer live ended ('unknown_job' when there is no such job). */
  async #dependencyOutcomes(queued: Job[], live: Job[]): Promise<Record<string, JobOutcome | 'unknown_job'>> {
    const liveIds = new Set(live.map((job) => job.id));
    const outcomes: Record<string, JobOutcome | 'unknown_job'> = {};
    for (const id of new Set(queued.flatMap((job) => job.after))) {
      if (liveIds.has(id)) continue;
      const job = await this.#queue.get(id);
      outcomes[id] = job?.outcome ?? 'unknown_job';
    }
    return outcomes;
  }

  /** The GPUs declared, or found by nvidia-smi (asked only when a queued job wants one); null for none. */
  async #gpus(wanted: boolean): Promise<GpuInfo[] | null> {
    if (this.#options.gpusAvailable) return declaredGpus(this.#options.gpusAvailable);
    if (!wanted) return null;
    const detected = await detectGpus(process.env);
    return detected.gpus;
  }

  #recheckGpusLater(): void {
    if (this.#gpuRecheck) return;
    this.#gpuRecheck = setTimeout(() => {
      this.#gpuRecheck = null;
      this.schedule();
    }, GPU_RECHECK_MS);
    this.#gpuRecheck.unref();
  }

  /**
   * The job's own supervisor, detached (its own session: the daemon's death or a signal to the
   * daemon's group never reaches it), with the job's environment, cwd and GPUs.
   */
  async #launch(job: Job, gpuIds: number[]): Promise<void> {
    const name = job.name === null ? [] : ['--name', job.name];
    const child = startDetachedVigil(
      this.#options.vigil,
      ['run', '--job', job.id, '-q', ...name, ...job.runOptions, '--', ...job.command],
      {
        cwd: job.cwd,
        env: { ...job.env, VIGIL_HOME: this.#options.home, ...this.#visibleGpus(job, gpuIds) },
        logFile: this.#paths.supervisorLog(job.id),
      },
    );
    this.#follow(job.id, child);
    if (child.pid !== undefined) {
      this.#options.log(`job ${job.id}: started (supervisor ${child.pid}${gpuIds.length > 0 ? `, GPUs ${gpuIds.join(',')}` : ''})`);
      await this.#queue.attachSupervisor(job.id, child.pid, processStartTime(child.pid));
    }
  }

  /** GPUs are handed out through CUDA_VISIBLE_DEVICES; where there are GPUs, a job that asked for none sees none. */
  #visibleGpus(job: Job, gpuIds: number[]): Record<string, string> {
    if (job.gpus > 0) return { CUDA_VISIBLE_DEVICES: gpuIds.join(',') };
    return this.#options.gpusAvailable !== null ? { CUDA_VISIBLE_DEVICES: '' } : {};
  }

  #watchUnlinked(jobId: string): void {
    this.#unlinked.add(jobId);
    this.#unlinkedTimer ??= setInterval(() => void this.#checkUnlinked(), UNLINKED_CHECK_MS);
    this.#unlinkedTimer.unref();
  }

  async #checkUnlinked(): Promise<void> {
    for (const id of this.#unlinked) {
      const job = await this.#queue.get(id).catch(() => undefined); // the queue unreachable: looked at again next time
      if (job === undefined) continue;
      if (job?.state === 'claimed' && job.supervisorPid !== null && isSameProcessAlive(job.supervisorPid, job.supervisorStart)) continue;
      this.#unlinked.delete(id);
      void this.#supervisorGone(id);
    }
    if (this.#unlinked.size === 0 && this.#unlinkedTimer) {
      clearInterval(this.#unlinkedTimer);
      this.#unlinkedTimer = null;
    }
  }

  /** A job's supervisor exited or its connection closed: settle the job, then plan again (a slot is free). */
  async #supervisorGone(jobId: string): Promise<void> {
    if (this.#settling.has(jobId)) return;
    this.#settling.add(jobId);
    try {
      const job = await this.#queue.get(jobId);
      if (!job || job.state !== 'claimed' || !this.#isOurs(job)) return;
      if (job.supervisorPid !== null && isSameProcessAlive(job.supervisorPid, job.supervisorStart)) {
        this.#watchUnlinked(jobId); // only the connection was lost
        return;
      }
      await this.#settle(job);
    } catch (error) {
      // A locked or full database: tried again shortly, so that no job stays claimed for nothing.
      this.#options.log(`job ${jobId}: could not settle (${(error as Error).message}); trying again`);
      setTimeout(() => void this.#supervisorGone(jobId), SETTLE_RETRY_MS).unref();
    } finally {
      this.#settling.delete(jobId);
      this.schedule();
    }
  }

  /** What becomes of the job (core/queue/settle.ts), carried out. */
  async #settle(job: Job): Promise<void> {
    const runId = localRunsOfJob(this.#runs.db, job.id).at(-1); // the runs we started are in our home
    const stored = runId ? this.#runs.getRun(runId) : null;
    const run = stored ? observeRun(this.#runs, stored) : null;
    const settlement = settleJob({
      job,
      run: run ? { id: run.id, status: run.observedStatus } : null,
      supervisorExit: this.#exitCodes.get(job.id),
      now: Date.now(),
    });
    if (settlement.kind !== 'wait') this.#exitCodes.delete(job.id);
    switch (settlement.kind) {
      case 'wait': // its supervisor may be starting: look again shortly
        setTimeout(() => void this.#supervisorGone(job.id), UNLINKED_CHECK_MS).unref();
        return;
      case 'follow': // another supervisor took the run (an adopter started before a restart)
        await this.#queue.attachSupervisor(job.id, run?.supervisorPid as number, run?.supervisorStart ?? null);
        this.#watchUnlinked(job.id);
        return;
      case 'adopt':
        return this.#adopt(job, settlement.runId);
      case 'stop-and-requeue':
        this.#event(settlement.runId, 'supervisor_lost', { action: 'requeued' });
        this.#options.log(`job ${job.id}: supervisor lost; stopping run ${settlement.runId} and queueing the job again`);
        await runVigil(this.#options.vigil, ['stop', settlement.runId], this.#vigilEnv());
        await this.#queue.requeue(job.id);
        return;
      case 'requeue':
        if (run) this.#event(run.id, 'supervisor_lost', { action: 'requeued', reason: settlement.why });
        this.#options.log(`job ${job.id}: ${settlement.why}; queued again`);
        await this.#queue.requeue(job.id);
        return;
      case 'end':
        await this.#queue.end(job.id, settlement.outcome, Date.now());
        this.#options.log(`job ${job.id}: ${settlement.why}${run ? '' : ` (see ${this.#paths.supervisorLog(job.id)})`}`);
    }
  }

  /** The supervisor died and the job's processes live on: `vigil adopt` watches them to their end. */
  async #adopt(job: Job, runId: string): Promise<void> {
    this.#event(runId, 'supervisor_lost', { action: 'adopted' });
    this.#options.log(`job ${job.id}: supervisor lost; adopting run ${runId}`);
    const child = startDetachedVigil(this.#options.vigil, ['adopt', runId], {
      env: this.#vigilEnv(),
      logFile: this.#paths.supervisorLog(job.id),
    });
    this.#follow(job.id, child);
    if (child.pid !== undefined) await this.#queue.attachSupervisor(job.id, child.pid, processStartTime(child.pid));
  }

  /** A supervisor (or adopter) we started: its exit settles its job. */
  #follow(jobId: string, child: ChildProcess): void {
    child.on('error', (error) => {
      this.#options.log(`job ${jobId}: could not start vigil (${error.message})`);
      this.#exitCodes.set(jobId, ExitCode.notExecutable);
      void this.#supervisorGone(jobId);
    });
    child.on('exit', (code) => {
      this.#exitCodes.set(jobId, code);
      void this.#supervisorGone(jobId);
    });
  }

  #vigilEnv(): NodeJS.ProcessEnv {
    return { ...process.env, VIGIL_HOME: this.#options.home };
  }

  #event(runId: string, kind: string, data: unknown): void {
    try {
      this.#runs.addEvent({ runId, attempt: null, at: Date.now(), kind, data });
    } catch (error) {
      this.#options.log(`run ${runId}: could not record ${kind} (${(error as Error).message})`);
    }
  }
}
