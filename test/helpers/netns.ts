/**
 * Several "machines" on this one: each node is a network namespace with its own address, its own
 * hostname and /etc/hosts, on one bridge in the root namespace. The nodes reach each other, and a
 * server in the root namespace listening on the bridge address (PostgreSQL, a rendezvous store) is
 * reachable from every node. Needs root (ip netns, veth, unshare).
 *
 * A command runs inside through `nsenter --net` + `unshare --uts --mount`, not `ip netns exec`:
 * the latter remounts /sys, which hides /sys/fs/cgroup and so vigil's cgroups. Each node gets its
 * own hostname resolving to its own address because torch's c10d rendezvous decides who hosts the
 * store, and which MASTER_ADDR the workers get, from the hostname (shared by every namespace, and
 * resolving to 127.0.0.1 here): with one hostname for all, node 2's workers dial their own
 * loopback and wait forever.
 *
 * Node↔node traffic is bridged (layer 2), node↔root is local delivery: neither needs
 * net.ipv4.ip_forward. A firewall on INPUT or on bridged frames (br_netfilter) could still drop
 * it; multinode.test.ts checks the paths with real sockets first.
 */

import { type ChildProcess, spawn, type SpawnOptions, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, type Result } from './vigil.ts';

export type Node = {
  /** 1-based. */
  index: number;
  /** The namespace's name, also its hostname. */
  name: string;
  address: string;
  /** Its interface inside (for GLOO_SOCKET_IFNAME). */
  ifname: string;
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  exec(command: string, args: string[], options?: SpawnOptions & { timeoutMs?: number }): Promise<Result>;
  /** Every process left inside the node. */
  pids(): number[];
};

export type Nodes = {
  nodes: Node[];
  /** The bridge's address in the root namespace: what nodes dial for a server running outside them. */
  hostAddress: string;
  /** Kills what is left inside the nodes, deletes namespaces, veths and bridge. Idempotent, synchronous. */
  cleanup(): void;
};

let counter = 0;

export function makeNodes(n: number): Nodes {
  if (n < 1 || n > 61) throw new Error(`makeNodes: 1 to 61 nodes in a /26, not ${n}`);
  // Unique per process and call (test files run in parallel); interface names must stay ≤ 15 characters.
  const call = counter++;
  const id = `${process.pid.toString(36)}-${call.toString(36)}`;
  const bridge = `vgb${id}`;
  const subnet = freeSubnet(process.pid, call);
  const hostAddress = addressIn(subnet, 1);
  const names = Array.from({ length: n }, (_, i) => ({
    index: i + 1,
    name: `vg${id}n${i + 1}`,
    hostVeth: `vgh${id}n${i + 1}`,
    ifname: `vge${id}n${i + 1}`,
    address: addressIn(subnet, i + 2),
  }));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nodes-'));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, ['127.0.0.1 localhost', ...names.map((node) => `${node.address} ${node.name}`), ''].join('\n'));

  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    process.removeListener('exit', cleanup);
    for (const node of names) killInside(node.name);
    for (const node of names) ipQuiet(['link', 'del', node.hostVeth]);
    for (const node of names) ipQuiet(['netns', 'del', node.name]);
    ipQuiet(['link', 'del', bridge]);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup); // a crashed test file leaves nothing behind either

  try {
    ip(['link', 'add', bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${hostAddress}/26`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    for (const node of names) {
      ip(['netns', 'add', node.name]);
      ip(['link', 'add', node.hostVeth, 'type', 'veth', 'peer', 'name', node.ifname, 'netns', node.name]);
      ip(['link', 'set', node.hostVeth, 'master', bridge, 'up']);
      ip(['-n', node.name, 'link', 'set', 'lo', 'up']);
      ip(['-n', node.name, 'addr', 'add', `${node.address}/26`, 'dev', node.ifname]);
      ip(['-n', node.name, 'link', 'set', node.ifname, 'up']);
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  const nodes = names.map(({ index, name, address, ifname }): Node => {
    const spawnInside = (command: string, args: string[], options: SpawnOptions = {}) =>
      spawn('nsenter', [`--net=/run/netns/${name}`, ...ENTER, name, hosts, command, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...options,
      });
    return {
      index,
      name,
      address,
      ifname,
      spawn: spawnInside,
      exec: (command, args, { timeoutMs, ...options } = {}) => collect(spawnInside(command, args, options), timeoutMs ?? 60_000),
      pids: () => pidsInside(name),
    };
  });
  return { nodes, hostAddress, cleanup };
}

/**
 * After nsenter: a UTS and mount namespace of its own (private propagation, so the bind stays
 * inside), the node's hostname and /etc/hosts, then exec: the spawned pid ends up being the
 * command itself.
 */
const ENTER = [
  'unshare',
  '--uts',
  '--mount',
  '--propagation',
  'private',
  '--',
  '/bin/sh',
  '-c',
  'hostname "$0" && mount --bind "$1" /etc/hosts && shift && exec "$@"',
];

function ip(args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim() || result.error}`);
}

function ipQuiet(args: string[]): void {
  spawnSync('ip', args, { stdio: 'ignore' });
}

function pidsInside(name: string): number[] {
  const result = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** SIGKILL to everything inside, until nothing is (a fork between two looks is caught by the next). */
function killInside(name: string): void {
  const deadline = Date.now() + 5000;
  for (let pids = pidsInside(name); pids.length > 0 && Date.now() < deadline; pids = pidsInside(name)) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // let the kernel reap
  }
}

/**
 * A /26 of 10.0.0.0/8 from the pid and the call's number, skipped past while any address of this
 * machine lies in it (another test file's nodes, a real network).
 */
function freeSubnet(pid: number, call: number): number {
  const used = spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' })
    .stdout.split('\n')
    .flatMap((line) => /inet (\d+\.\d+\.\d+\.\d+)/.exec(line)?.slice(1) ?? [])
    .map(toNumber);
  for (let block = ((pid % 4096) * 64 + (call % 64)) % 2 ** 18; ; block = (block + 1) % 2 ** 18) {
    const base = (10 << 24) + block * 64;
    if (!used.some((address) => address >= base && address < base + 64)) return base;
  }
}

function addressIn(subnet: number, host: number): string {
  return toAddress(subnet + host);
}

function toNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}
