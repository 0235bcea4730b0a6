/**
 * A throwaway PostgreSQL cluster for one test file: initdb (trust, fsync off) into a temp
 * directory, on a free TCP port and a unix socket in that directory; `createDatabase()` gives
 * each test a database of its own; `stop()` shuts it down at once and removes it. The binaries
 * are required (CI installs `postgresql`): missing ones fail the test loudly, they never skip it.
 * PostgreSQL refuses to run as root: as root, it runs as the `postgres` user.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './vigil.ts';

export type PostgresCluster = {
  /** The server's TCP port, on `host`. */
  port: number;
  host: string;
  /** A fresh, empty database: its URL. */
  createDatabase(): Promise<string>;
  stop(): void;
};

/** initdb and pg_ctl: on PATH, or where Debian's postgresql package puts them. */
function binary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : [];
  for (const version of versions) {
    const candidate = join('/usr/lib/postgresql', version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`PostgreSQL's ${name} is not installed (apt-get install postgresql): the shared-queue tests need it`);
}

/** `listen`: the address the server listens on (127.0.0.1 unless a test needs another, e.g. from a network namespace). */
export async function startPostgres(options: { listen?: string } = {}): Promise<PostgresCluster> {
  const [initdb, pgCtl] = [binary('initdb'), binary('pg_ctl')];
  const host = options.listen ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const asRoot = userInfo().uid === 0;
  const idOf = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  if (asRoot) chownSync(dir, idOf('-u'), idOf('-g'));
  const as = (command: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]];
  const run = (command: string, args: string[]) => {
    const [file, argv] = as(command, args);
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  const data = join(dir, 'data');
  run(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  // initdb trusts loopback only: a server for network namespaces must let their addresses in too.
  if (host !== '127.0.0.1') appendFileSync(join(data, 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=${host} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '30', 'start']);
  let databases = 0;
  return {
    port,
    host,
    async createDatabase() {
      const name = `vigil_test_${++databases}`;
      const admin = new pg.Client({ host, port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgresql://postgres@${host}:${port}/${name}`;
    },
    stop() {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
