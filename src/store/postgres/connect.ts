/**
 * The shared store's PostgreSQL, from its URL (VIGIL_DATABASE_URL): a pool, checked and brought
 * up to date before use. A server that cannot be reached, refuses us, or a URL that is not one is
 * one line and exit 16 (ExitCode.databaseUnreachable), never a trace.
 */

import pg from 'pg';
import { ExitCode, VigilError } from '../../errors.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { shownUrl } from './shown-url.ts';

export { shownUrl };

/** Past this, a connection attempt is given up (a host that drops packets would otherwise hang the command). */
const CONNECT_TIMEOUT_MS = 5000;
/** Any fixed number: the key of the advisory lock every machine's vigil takes to migrate. */
const MIGRATION_LOCK = 0x7669_6769;

/** BIGINT columns hold ms since the epoch, sizes and counts: all far below 2^53, so read as numbers (pg's default is text). */
const INT8_OID = 20;
const MS_AS_NUMBERS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export type PostgresStore = { pool: pg.Pool; shown: string };

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export async function connectPostgres(url: string): Promise<PostgresStore> {
  const shown = shownUrl(url);
  if (!isPostgresUrl(url) || shown === '(an unparsable URL)')
    // Not echoed: a mistyped URL may still hold a password.
    throw new VigilError(
      'VIGIL_DATABASE_URL is not a URL of the form postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE',
      ExitCode.databaseUnreachable,
    );
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: 4,
    allowExitOnIdle: true,
    types: MS_AS_NUMBERS,
  });
  pool.on('error', () => undefined); // an idle connection the server closed: the next query opens another
  try {
    await migrate(pool, shown);
    return { pool, shown };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error instanceof VigilError ? error : unreachable(error, shown);
  }
}

/** A failure to talk to the server (refused, unknown host, timeout, authentication, no such database) as one line; null for anything else. */
export function postgresErrorToVigilError(error: unknown, shown: string): VigilError | null {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message ?? String(error);
  const connection =
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ENOENT)$/.test(code) ||
    /^(08|28|3D|57P)/.test(code) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message);
  return connection ? unreachable(error, shown) : null;
}

function unreachable(error: unknown, shown: string): VigilError {
  const code = (error as { code?: unknown }).code;
  const message = ((error as Error).message || String(code ?? error)).split('\n')[0];
  return new VigilError(`cannot use the shared queue's PostgreSQL at ${shown}: ${message}`, ExitCode.databaseUnreachable, { cause: error });
}

/**
 * Brings the schema up to date. Read first without a lock (the common case: nothing to do); else
 * under a transaction-scoped advisory lock, so that machines starting together migrate once: the
 * second waits, then reads the version the first wrote.
 */
async function migrate(pool: pg.Pool, shown: string): Promise<void> {
  const current = await readVersion(pool);
  refuseNewer(current, shown);
  if (current === PG_MIGRATIONS.length) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
    const version = rows[0]?.version ?? 0;
    refuseNewer(version, shown);
    for (let next = version; next < PG_MIGRATIONS.length; next += 1) await client.query(PG_MIGRATIONS[next] as string);
    await client.query('UPDATE schema_version SET version = $1', [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function readVersion(pool: pg.Pool): Promise<number> {
  try {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_version');
    return rows[0]?.version ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0; // undefined_table: a fresh database
    throw error;
  }
}

function refuseNewer(version: number, shown: string): void {
  if (version <= PG_MIGRATIONS.length) return;
  throw new VigilError(
    `the shared queue at ${shown} has schema version ${version}, newer than this vigil understands (${PG_MIGRATIONS.length}); upgrade vigil — the database was left untouched`,
    ExitCode.databaseNewer,
  );
}
