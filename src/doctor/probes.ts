/**
 * What `vigil doctor` measures, at the edge: file systems, /proc, nvidia-smi, the job's Python,
 * the resolver and the network interfaces. Each probe answers with facts for a judgement in
 * src/core/doctor, or throws (the runner turns a throw or a timeout into a finding).
 */

import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFileSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, join } from 'node:path';
import which from 'which';
import type { DistributedFacts } from '../core/doctor/distributed.ts';
import { requiredInterfaces } from '../core/doctor/distributed.ts';
import { GPU_HEALTH_FIELDS, type GpuHealth, parseGpuHealth } from '../core/doctor/gpu-health.ts';
import { PYTHON_PROBE, type PythonFacts } from '../core/doctor/python.ts';
import { type LimitFacts, parseProcLimits } from '../core/doctor/limits.ts';
import type { MemoryFacts, SpaceFacts } from '../core/doctor/resources.ts';
import { PYTHON_DIR } from '../supervisor/spawn.ts';

export function probeSpace(path: string, checkpointBytes: number | null): SpaceFacts {
  const fs = statfsSync(path);
  return {
    path,
    freeBytes: fs.bavail * fs.bsize,
    totalBytes: fs.blocks * fs.bsize,
    freeInodes: fs.ffree,
    totalInodes: fs.files,
    checkpointBytes,
  };
}

export function probeMemory(): MemoryFacts {
  const info = new Map<string, number>();
  for (const line of readFileSync('/proc/meminfo', 'utf8').split('\n')) {
    const match = /^(\w+):\s+(\d+) kB/.exec(line);
    if (match) info.set(match[1] as string, Number(match[2]) * 1024);
  }
  let shm: MemoryFacts['shm'] = null;
  try {
    const fs = statfsSync('/dev/shm');
    shm = { totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize };
  } catch {
    // not mounted
  }
  return {
    availableBytes: info.get('MemAvailable') ?? info.get('MemFree') ?? 0,
    totalBytes: info.get('MemTotal') ?? 0,
    swapFreeBytes: info.get('SwapFree') ?? 0,
    shm,
  };
}

/** The limits a job started from here inherits (this process's, as the shell gave it; Node lifts only its open-files soft limit). */
export function probeLimits(): LimitFacts {
  const limits = parseProcLimits(readFileSync('/proc/self/limits', 'utf8'));
  const unknown = { soft: null, hard: null };
  let corePattern: string | null = null;
  try {
    corePattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  } catch {
    // not readable here: the figure alone is reported
  }
  return {
    openFiles: limits.get('Max open files') ?? unknown,
    processes: limits.get('Max processes') ?? unknown,
    coreFileBytes: limits.get('Max core file size') ?? unknown,
    root: process.getuid?.() === 0,
    corePattern,
  };
}

/** The job's nvidia-smi (its PATH); null when there is none. */
export async function findNvidiaSmi(env: NodeJS.ProcessEnv): Promise<string | null> {
  return await which('nvidia-smi', { path: env.PATH ?? '', nothrow: true });
}

/** null: no nvidia-smi on PATH. */
export async function probeGpus(env: NodeJS.ProcessEnv): Promise<GpuHealth[] | null> {
  const nvidiaSmi = await findNvidiaSmi(env);
  if (!nvidiaSmi) return null;
  const stdout = await runProgram(nvidiaSmi, [`--query-gpu=${GPU_HEALTH_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], env);
  const gpus = parseGpuHealth(stdout);
  if (!gpus) throw new Error(`unexpected output from nvidia-smi: ${stdout.split('\n')[0]}`);
  return gpus;
}

/** The job's interpreter, with vigil's Python side on PYTHONPATH as `vigil run` puts it (src/supervisor/spawn.ts). */
export async function probePython(interpreter: string, env: NodeJS.ProcessEnv): Promise<PythonFacts> {
  const pythonPath = [join(PYTHON_DIR, 'boot'), PYTHON_DIR, env.PYTHONPATH].filter(Boolean).join(':');
  const stdout = await runProgram(interpreter, ['-c', PYTHON_PROBE], { ...env, PYTHONPATH: pythonPath });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PythonFacts;
}

export async function probeDistributed(env: NodeJS.ProcessEnv): Promise<DistributedFacts> {
  const masterAddr = env.MASTER_ADDR?.trim() || null;
  const masterPort = env.MASTER_PORT && /^\d+$/.test(env.MASTER_PORT) ? Number(env.MASTER_PORT) : null;
  let resolveError: string | null = null;
  let local = false;
  if (masterAddr !== null) {
    try {
      const { address } = await lookup(masterAddr);
      local = isLocalAddress(address);
    } catch (error) {
      resolveError = (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }
  const portFree = masterPort !== null && (masterAddr === null || local) ? await canListen(masterPort) : null;
  const interfaces = Object.keys(networkInterfaces());
  const missingInterfaces: DistributedFacts['missingInterfaces'] = [];
  for (const variable of ['NCCL_SOCKET_IFNAME', 'GLOO_SOCKET_IFNAME']) {
    const value = env[variable];
    if (!value) continue;
    const exact = value.startsWith('=');
    // NCCL matches names by prefix (`eth` is eth0, eth1…) unless the value starts with `=`.
    for (const name of requiredInterfaces(value))
      if (!interfaces.some((have) => (exact ? have === name : have.startsWith(name)))) missingInterfaces.push({ variable, name });
  }
  return { masterAddr, resolveError, masterPort, portFree, missingInterfaces, interfaces };
}

function isLocalAddress(address: string): boolean {
  if (address.startsWith('127.') || address === '::1') return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === address));
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The kernel log as `dmesg` prints it; throws with dmesg's own reason when it cannot be read (dmesg_restrict, no dmesg). */
export async function probeKernelLog(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const dmesg = await which('dmesg', { path: env.PATH ?? '', nothrow: true });
  if (!dmesg) throw new Error('no dmesg on PATH');
  return await runProgram(dmesg, [], env, timeoutMs);
}

/**
 * stdout of a program; a failure says how, with its last line of stderr. The runner's timeout
 * bounds it, or `timeoutMs` when the check must go on without it (the error then says so).
 */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env, maxBuffer: 16 * 2 ** 20, killSignal: 'SIGKILL', timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if (error.killed && timeoutMs > 0) return reject(new Error(`${basename(file)} did not answer within ${timeoutMs / 1000} s`));
        const said = stderr.trim().split('\n').at(-1) ?? '';
        reject(new Error(`${file} failed (${error.code ?? error.signal ?? error.message})${said ? `: ${said}` : ''}`));
      },
    );
    running.add(child);
    child.on('exit', () => running.delete(child));
  });
}

/**
 * Children still running when the doctor answers (a hung nvidia-smi): killed, and their pipes let
 * go, so that vigil can exit. A process stuck in the driver (state D) dies only when it leaves
 * the kernel, and a grandchild may hold the pipe: neither must keep vigil waiting.
 */
const running = new Set<ReturnType<typeof execFile>>();
export function killProbes(): void {
  for (const child of running) {
    child.kill('SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  }
}
