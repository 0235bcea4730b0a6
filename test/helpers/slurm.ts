/**
 * A real single-host Slurm cluster for the process tests: munged on a socket of its own, a
 * generated slurm.conf in a temporary directory (this host as the only node), slurmctld and
 * slurmd in the foreground as children, SLURM_CONF in `env` for every command. Start-up waits
 * until sinfo shows the node idle (a deadline, no fixed sleep). Where the cgroup v1 memory
 * controller is writable, jobs get task/cgroup (a real OUT_OF_MEMORY); else task/none.
 * Accounting (slurmdbd) is not run: a finished job's state is read from `scontrol show job -o`,
 * kept for MinJobAge.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, hostname, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { slurmJobRecord, type SlurmJobRecord } from '../../src/core/slurm/job-record.ts';
import { freePort, waitUntil } from './vigil.ts';

const PROGRAMS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'sinfo'];

export type SlurmCluster = {
  dir: string;
  /** The environment every Slurm command (and vigil under test) needs: SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  /** From the first daemon started to the node idle in sinfo. */
  startupMs: number;
  /** Jobs run in memory cgroups (task/cgroup): `--mem` is enforced by the kernel's OOM killer. */
  memoryCgroup: boolean;
  scontrol: (...args: string[]) => string;
  job: (jobId: string) => SlurmJobRecord | null;
  /** The daemons' log lines that name the job, for a failure's message (the logs go with stop()). */
  logLines: (jobId: string) => string;
  stop: () => Promise<void>;
};

/** Why no cluster can run here, or null. */
export function slurmMissing(): string | null {
  if (process.getuid?.() !== 0) return 'the test cluster runs slurmd as root';
  const missing = PROGRAMS.filter((program) => spawnSync('sh', ['-c', `command -v ${program}`], { env: withSbin() }).status !== 0);
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (apt-get install slurmctld slurmd slurm-client munge)` : null;
}

export async function startSlurmCluster(deadlineMs = 30_000): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slurm-'));
  chmodSync(dir, 0o711); // munged wants every directory above its socket searchable
  for (const sub of ['munge', 'munge-run', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), { mode: 0o700 });
  chmodSync(join(dir, 'munge-run'), 0o755);
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'munge-run', 'munge.socket');
  const memoryCgroup = writable('/sys/fs/cgroup/memory');
  const conf = join(dir, 'slurm.conf');
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  writeFileSync(conf, slurmConf({ dir, socket, ctldPort, slurmdPort, memoryCgroup }));
  if (memoryCgroup)
    writeFileSync(join(dir, 'cgroup.conf'), 'CgroupPlugin=cgroup/v1\nCgroupAutomount=no\nConstrainRAMSpace=yes\nConstrainSwapSpace=no\n');
  const env = { ...withSbin(), SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const daemon = (program: string, args: string[]) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    children.push(child);
  };
  const started = Date.now();
  const stop = async () => {
    spawnSync('scancel', ['--full', '--user', 'root'], { env });
    await waitUntil('no job left', () => (spawnSync('squeue', ['-h'], { env, encoding: 'utf8' }).stdout ?? '').trim() === '', 10_000).catch(
      () => undefined,
    );
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const gone = await waitUntil(`${child.spawnfile} to exit`, () => child.exitCode !== null || child.signalCode !== null, 5000).catch(
        () => false,
      );
      if (!gone) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    daemon('munged', [
      '-F',
      '--force',
      '-S',
      socket,
      `--key-file=${key}`,
      `--log-file=${join(dir, 'log', 'munged.log')}`,
      `--pid-file=${join(dir, 'munge-run', 'munged.pid')}`,
      `--seed-file=${join(dir, 'munge', 'seed')}`,
    ]);
    await waitUntil('the munge socket', () => existsSync(socket), deadlineMs);
    daemon('slurmctld', ['-D', '-i', '-f', conf]);
    daemon('slurmd', ['-D', '-f', conf]);
    await waitUntil(
      'the node idle in sinfo',
      () => spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim() === 'idle',
      deadlineMs,
      100,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const scontrol = (...args: string[]) => spawnSync('scontrol', args, { env, encoding: 'utf8' }).stdout ?? '';
  return {
    dir,
    env,
    startupMs: Date.now() - started,
    memoryCgroup,
    scontrol,
    job: (jobId) => slurmJobRecord(scontrol('show', 'job', '-o', jobId).trim()),
    logLines: (jobId) =>
      ['slurmctld.log', 'slurmd.log']
        .flatMap((file) => {
          const path = join(dir, 'log', file);
          const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
          return lines.filter((line) => line.includes(jobId)).map((line) => `${file}: ${line}`);
        })
        .slice(-40)
        .join('\n'),
    stop,
  };
}

function slurmConf(o: { dir: string; socket: string; ctldPort: number; slurmdPort: number; memoryCgroup: boolean }): string {
  const node = hostname().split('.')[0];
  const cpuCount = Math.max(cpus().length, 4); // room for the tests' jobs side by side (config_overrides: more than nproc is fine)
  const memoryMiB = Math.floor(totalmem() / 2 ** 20 / 2);
  return `${[
    'ClusterName=vigiltest',
    `SlurmctldHost=${node}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${o.socket}`,
    `SlurmctldPort=${o.ctldPort}`,
    `SlurmdPort=${o.slurmdPort}`,
    `StateSaveLocation=${o.dir}/state`,
    `SlurmdSpoolDir=${o.dir}/spool`,
    `SlurmctldPidFile=${o.dir}/slurmctld.pid`,
    `SlurmdPidFile=${o.dir}/slurmd.pid`,
    `SlurmctldLogFile=${o.dir}/log/slurmctld.log`,
    `SlurmdLogFile=${o.dir}/log/slurmd.log`,
    'ProctrackType=proctrack/linuxproc',
    `TaskPlugin=${o.memoryCgroup ? 'task/cgroup' : 'task/none'}`,
    'JobAcctGatherType=jobacct_gather/linux',
    'JobAcctGatherFrequency=1',
    'MpiDefault=none',
    'SchedulerType=sched/backfill',
    'SchedulerParameters=sched_interval=1',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core_Memory',
    'SlurmdParameters=config_overrides',
    'DefMemPerCPU=500',
    'ReturnToService=2',
    // A finished job's record is kept this long: its final state is read from scontrol, with no slurmdbd.
    'MinJobAge=600',
    // Job ids away from other test clusters on this host: task/cgroup names cgroups by job id.
    `FirstJobId=${10_000 + Math.floor(Math.random() * 900_000)}`,
    'KillWait=5',
    'SlurmctldTimeout=10',
    'SlurmdTimeout=10',
    'MessageTimeout=5',
    'InactiveLimit=0',
    'Waittime=0',
    `NodeName=${node} CPUs=${cpuCount} RealMemory=${memoryMiB} State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
  ].join('\n')}\n`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** munged and the Slurm daemons live in /usr/sbin, not always on a test runner's PATH. */
function withSbin(): NodeJS.ProcessEnv {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  return { ...process.env, PATH: path.includes('/usr/sbin') ? path : `${path}:/usr/sbin:/sbin` };
}
