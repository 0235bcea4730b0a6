/**
 * The distributed set-up the environment declares (torchrun and NCCL variables), judged from
 * facts gathered at the edge: MASTER_ADDR resolves, MASTER_PORT is free here, the socket
 * interfaces NCCL and Gloo are told to use exist. Pure.
 */

import { check, type CheckResult } from './check.ts';

export type DistributedFacts = {
  masterAddr: string | null;
  /** null: MASTER_ADDR unset, or it resolved; else the resolver's error. */
  resolveError: string | null;
  masterPort: number | null;
  /** Whether MASTER_PORT could be bound here (null: not tried: unset, or MASTER_ADDR is another host). */
  portFree: boolean | null;
  /** NCCL_SOCKET_IFNAME / GLOO_SOCKET_IFNAME entries naming interfaces that do not exist. */
  missingInterfaces: { variable: string; name: string }[];
  interfaces: string[];
};

export function judgeDistributed(facts: DistributedFacts): CheckResult[] {
  const declared = facts.masterAddr !== null || facts.masterPort !== null || facts.missingInterfaces.length > 0;
  if (!declared) return [check('distributed', 'skip', 'no MASTER_ADDR, MASTER_PORT or *_SOCKET_IFNAME set: not a distributed set-up')];
  const results: CheckResult[] = [];
  if (facts.resolveError !== null)
    results.push(
      check(
        'distributed',
        'fail',
        `MASTER_ADDR=${facts.masterAddr} does not resolve (${facts.resolveError})`,
        'set MASTER_ADDR to the rank-0 host as every node can resolve it',
      ),
    );
  if (facts.portFree === false)
    results.push(
      check(
        'distributed',
        'fail',
        `MASTER_PORT=${facts.masterPort} is in use here`,
        'pick a free port (a stale job may hold it: ss -ltnp | grep PORT)',
      ),
    );
  for (const { variable, name } of facts.missingInterfaces)
    results.push(
      check(
        'distributed',
        'fail',
        `${variable} names ${name}, which this machine does not have`,
        `use one of: ${facts.interfaces.join(', ')}`,
      ),
    );
  return results.length > 0
    ? results
    : [check('distributed', 'ok', `MASTER_ADDR=${facts.masterAddr ?? '-'} resolves, MASTER_PORT=${facts.masterPort ?? '-'} free`)];
}

/** `eth0,ib0`, `^docker,lo` (exclusions), `=eth0` (exact): the names a variable requires to exist. */
export function requiredInterfaces(value: string): string[] {
  if (value.startsWith('^')) return [];
  return value
    .replace(/^=/, '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
