/**
 * The queue in a real PostgreSQL (a throwaway cluster, test/helpers/postgres.ts): the queue
 * contract, what a shared queue adds (the machine that claimed a job, connection errors, schema
 * migrations from machines starting together), and 4 machines — 4 processes, each its own pool —
 * submitting and claiming at once: every job claimed exactly once.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ExitCode, VigilError } from '../../src/errors.ts';
import { openQueue, type QueueHandle } from '../../src/store/open-queue.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { jobRequest } from '../helpers/jobs.ts';
import { type PostgresCluster, startPostgres } from '../helpers/postgres.ts';
import { collect, freePort } from '../helpers/vigil.ts';
import { queueContract } from './queue-contract.ts';

let cluster: PostgresCluster;
const opened: QueueHandle[] = [];
before(async () => {
  cluster = await startPostgres();
});
after(async () => {
  await Promise.all(opened.map((handle) => handle.close().catch(() => undefined)));
  cluster?.stop();
});

const noSqlite = () => {
  throw new Error('a shared queue opens no SQLite file');
};

async function open(url: string, node = 'test-node'): Promise<QueueHandle> {
  const handle = await openQueue(noSqlite, { VIGIL_DATABASE_URL: url, VIGIL_NODE: node });
  opened.push(handle);
  return handle;
}

queueContract('PostgreSQL', async () => (await open(await cluster.createDatabase())).queue);

describe('the PostgreSQL queue', () => {
  test('a claim records the machine that made it; a requeue clears it', async () => {
    const url = await cluster.createDatabase();
    const { queue } = await open(url, 'gpu-box-7');
    const other = (await open(url, 'gpu-box-8')).queue;
    const submitted = await queue.submit(jobRequest(), 1);
    assert.ok(submitted.kind === 'queued');
    assert.equal(submitted.job.claimedBy, null);
    assert.equal(await other.claim(submitted.job.id, [], 2), true);
    assert.equal((await queue.get(submitted.job.id))!.claimedBy, 'gpu-box-8');
    await queue.requeue(submitted.job.id);
    assert.equal((await queue.get(submitted.job.id))!.claimedBy, null);
  });

  test('4 machines starting together on a fresh database migrate it once', async () => {
    const url = await cluster.createDatabase();
    await Promise.all(['a', 'b', 'c', 'd'].map((node) => open(url, node)));
    const client = new pg.Client(url);
    await client.connect();
    try {
      assert.deepEqual((await client.query('SELECT version FROM schema_version')).rows, [{ version: PG_MIGRATIONS.length }]);
    } finally {
      await client.end();
    }
  });

  test('a database from a newer vigil is refused (exit 5) and left as it is', async () => {
    const url = await cluster.createDatabase();
    await open(url);
    const client = new pg.Client(url);
    await client.connect();
    await client.query('UPDATE schema_version SET version = 99');
    await client.end();
    await assert.rejects(open(url), (error: VigilError) => {
      assert.equal(error.exitCode, ExitCode.databaseNewer);
      assert.match(error.message, /schema version 99, newer than this vigil understands/);
      return true;
    });
  });

  test('a server that cannot be reached, a bad URL: one line, exit 16, no password shown', async () => {
    const closedPort = await freePort();
    const cases = [
      [
        `postgresql://vigil:s3cret@127.0.0.1:${closedPort}/queue`,
        /^cannot use the shared queue's PostgreSQL at postgresql:\/\/vigil:\*\*\*@127\.0\.0\.1:\d+\/queue: .*ECONNREFUSED/,
      ],
      [`postgresql://postgres@${cluster.host}:${cluster.port}/no_such_database`, /database "no_such_database" does not exist/],
      ['mysql://root:s3cret@db/queue', /^VIGIL_DATABASE_URL is not a URL of the form postgresql:\/\//],
    ] as const;
    for (const [url, message] of cases) {
      await assert.rejects(openQueue(noSqlite, { VIGIL_DATABASE_URL: url }), (error: VigilError) => {
        assert.equal(error.exitCode, ExitCode.databaseUnreachable, url);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /s3cret|\n/);
        return true;
      });
    }
  });

  test('4 machines submitting and claiming at once: every job claimed exactly once', { timeout: 120_000 }, async () => {
    const url = await cluster.createDatabase();
    await open(url); // the schema, before the race
    const perMachine = 100;
    const machines = ['m1', 'm2', 'm3', 'm4'];
    const results = await Promise.all(
      machines.map((node) =>
        collect(
          spawn(
            process.execPath,
            ['--import', 'tsx', join(import.meta.dirname, 'postgres-machine.ts'), url, node, String(perMachine), String(perMachine * 4)],
            { stdio: ['ignore', 'pipe', 'pipe'] },
          ),
          110_000,
        ),
      ),
    );
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const reports = results.map(
      (result) => JSON.parse(result.stdout) as { node: string; submitted: string[]; claimed: string[]; tries: number; ms: number },
    );
    const submitted = reports.flatMap((report) => report.submitted);
    const claimed = reports.flatMap((report) => report.claimed);
    assert.equal(new Set(submitted).size, perMachine * 4);
    assert.equal(claimed.length, perMachine * 4, 'no job claimed twice');
    assert.deepEqual(new Set(claimed), new Set(submitted), 'every job claimed');
    const { queue } = await open(url);
    const jobs = await queue.list();
    assert.ok(jobs.every((job) => job.state === 'claimed'));
    for (const report of reports)
      assert.equal(
        jobs.filter((job) => job.claimedBy === report.node).length,
        report.claimed.length,
        `${report.node}'s claims are recorded as its`,
      );
    const figures = reports.map((report) => `${report.node}: ${report.claimed.length} claimed in ${report.tries} tries, ${report.ms} ms`);
    process.stderr.write(`${figures.join('; ')}\n`);
  });
});
