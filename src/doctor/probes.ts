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
import which from 'which';
import type { DistributedFacts } from '../core/doctor/distributed.ts';
import { requiredInterfaces } from '../core/doctor/distributed.ts';
import { GPU_HEALTH_FIELDS, type GpuHealth, parseGpuHealth } from '../core/doctor/gpu-health.ts';
import { PYTHON_PROBE, type PythonFacts } from '../core/doctor/python.ts';
import type { LimitFacts, MemoryFacts, SpaceFacts } from '../core/doctor/resources.ts';

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

/** The open-files limit a job started from here inherits (this process's, as the shell gave it). */
export function probeOpenFiles(): LimitFacts {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((v) => (/^\d+$/.test(v) ? Number(v) : null));
  return { openFilesSoft: soft ?? null, openFilesHard: hard ?? null };
}

/** null: no nvidia-smi on PATH. */
export async function probeGpus(env: NodeJS.ProcessEnv): Promise<GpuHealth[] | null> {
  const nvidiaSmi = await which('nvidia-smi', { path: env.PATH ?? '', nothrow: true });
  if (!nvidiaSmi) return null;
  const stdout = await run(nvidiaSmi, [`--query-gpu=${GPU_HEALTH_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], env);
  const gpus = parseGpuHealth(stdout);
  if (!gpus) throw new Error(`unexpected output from nvidia-smi: ${stdout.split('\n')[0]}`);
  return gpus;
}

export async function probePython(interpreter: string, env: NodeJS.ProcessEnv): Promise<PythonFacts> {
  const stdout = await run(interpreter, ['-c', PYTHON_PROBE], env);
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

/** stdout of a program; a failure says how, with its first line of stderr. The runner's timeout bounds it. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, maxBuffer: 4 * 2 ** 20, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const said = stderr.trim().split('\n').at(-1) ?? '';
      reject(new Error(`${file} failed (${error.code ?? error.signal ?? error.message})${said ? `: ${said}` : ''}`));
    });
    running.add(child);
    child.on('exit', () => running.delete(child));
  });
}

/** Children still running when the doctor answers (a hung nvidia-smi): killed so that vigil can exit. */
const running = new Set<ReturnType<typeof execFile>>();
export function killProbes(): void {
  for (const child of running) child.kill('SIGKILL');
}
