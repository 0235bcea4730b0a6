/**
 * `vigil daemon [--detach]`, `vigil daemon status|stop|install`: one daemon per VIGIL_HOME
 * (src/daemon/daemon.ts). Stopping it never stops a run: each has its own supervisor.
 */

import { formatDuration } from '../../core/duration.ts';
import type { StatusReply } from '../../core/daemon/protocol.ts';
import { askDaemon } from '../../daemon/client.ts';
import { runDaemon } from '../../daemon/daemon.ts';
import { vigilItself } from '../../daemon/vigil-process.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { isSameProcessAlive } from '../../platform/proc.ts';
import { waitFor } from '../../platform/run-processes.ts';
import { readDaemonLease } from '../../store/daemon-lease.ts';
import { openDatabase } from '../../store/database.ts';
import { daemonPaths, openHome, vigilHome } from '../../store/paths.ts';
import { installUnit } from '../daemon-unit.ts';
import { startDaemonDetached } from '../daemon-autostart.ts';

export type DaemonOptions = { detach?: boolean; maxRunning: number; gpusAvailable?: number[]; web?: number; webHost: string };

/** How long `--detach` and `stop` wait for the daemon to answer, or to be gone. */
const PATIENCE_MS = 10_000;

export async function daemonCommand(options: DaemonOptions): Promise<void> {
  const home = vigilHome();
  if (options.detach) return detach(home, options);
  await runDaemon({
    home,
    maxRunning: options.maxRunning,
    gpusAvailable: options.gpusAvailable ?? null,
    vigil: vigilItself(),
    web: options.web === undefined ? null : { port: options.web, host: options.webHost },
    log: (line) => process.stderr.write(`${new Date().toISOString()} vigil daemon: ${line}\n`),
  });
}

async function detach(home: string, options: DaemonOptions): Promise<void> {
  const args = [
    '--max-running',
    String(options.maxRunning),
    ...(options.gpusAvailable ? ['--gpus-available', options.gpusAvailable.join(',')] : []),
    ...(options.web !== undefined ? ['--web', String(options.web), '--web-host', options.webHost] : []),
  ];
  const pid = startDaemonDetached(home, args);
  const socket = daemonPaths(home).socket;
  let reply: StatusReply | null = null;
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline && pid !== undefined) {
    const answer = await askDaemon(socket, { op: 'status' }, 500);
    if (answer && 'pid' in answer) {
      reply = answer;
      break;
    }
    if (!isSameProcessAlive(pid, null)) break; // it exited: another daemon holds the home, or it failed (its log says)
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (reply && reply.pid !== pid) throw new VigilError(`a daemon already serves ${home} (pid ${reply.pid})`, ExitCode.daemonRunning);
  if (!reply) throw new VigilError(`the daemon did not start: see ${daemonPaths(home).log}`, ExitCode.failure);
  process.stdout.write(`daemon started (pid ${reply.pid}); its log: ${daemonPaths(home).log}\n`);
}

export async function daemonStatusCommand(options: { json?: boolean }): Promise<void> {
  const home = vigilHome();
  const reply = await askDaemon(daemonPaths(home).socket, { op: 'status' });
  const status = reply && 'pid' in reply ? reply : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(status === null ? { running: false } : { running: true, ...statusJson(status) }, null, 2)}\n`);
  } else if (status === null) {
    process.stdout.write(`${silentDaemon(home) ?? `no daemon serves ${home}`}\n`);
  } else {
    process.stdout.write(
      `daemon ${status.pid}: up ${formatDuration(Date.now() - status.startedAt)}, ${status.runs.length} run(s) driven, ${status.queued} queued\n`,
    );
    for (const run of status.runs)
      process.stdout.write(
        `  job ${run.jobId}  run ${run.runId ?? '-'}  supervisor ${run.supervisorPid ?? '-'}${run.gpuIds.length > 0 ? `  GPUs ${run.gpuIds.join(',')}` : ''}${run.connected ? '' : '  (not connected)'}\n`,
      );
  }
  if (status === null) process.exitCode = ExitCode.failure;
}

/** A daemon that holds the home but does not answer (stopped with SIGSTOP, or stuck), in words; null when there is none. */
function silentDaemon(home: string): string | null {
  try {
    const layout = openHome(home, { write: false });
    const holder = readDaemonLease(openDatabase(layout.databasePath, { readonly: true }));
    if (holder && isSameProcessAlive(holder.pid, holder.start))
      return `daemon ${holder.pid} holds ${home} but does not answer (stopped or stuck?)`;
  } catch {
    // no database yet: no daemon either
  }
  return null;
}

function statusJson(status: StatusReply) {
  return {
    pid: status.pid,
    started_at: status.startedAt,
    uptime_ms: Date.now() - status.startedAt,
    queued: status.queued,
    runs: status.runs.map((run) => ({
      job_id: run.jobId,
      run_id: run.runId,
      supervisor_pid: run.supervisorPid,
      gpu_ids: run.gpuIds,
      connected: run.connected,
    })),
  };
}

export async function daemonStopCommand(): Promise<void> {
  const home = vigilHome();
  const layout = openHome(home, { write: false });
  const holder = readDaemonLease(openDatabase(layout.databasePath, { readonly: !layout.writable }));
  const reply = await askDaemon(daemonPaths(home).socket, { op: 'stop' });
  if (!reply || !holder) {
    process.stdout.write(`no daemon serves ${home}\n`);
    return;
  }
  if (!(await waitFor(() => !isSameProcessAlive(holder.pid, holder.start), PATIENCE_MS, 50)))
    throw new VigilError(`daemon ${holder.pid} has not exited yet`, ExitCode.failure);
  process.stdout.write(`daemon ${holder.pid} stopped; the runs it started go on\n`);
}

export function daemonInstallCommand(options: { force?: boolean }): void {
  const installed = installUnit(
    { node: process.execPath, cli: process.argv[1] as string, home: vigilHome(), path: process.env.PATH ?? '/usr/bin:/bin' },
    { force: options.force === true },
  );
  process.stdout.write(
    `${installed.unchanged ? 'unchanged' : 'wrote'} ${installed.path}\nenable it with:\n${installed.commands.map((c) => `  ${c}\n`).join('')}`,
  );
}
