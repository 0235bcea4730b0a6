/**
 * What vigil does with state it did not expect: a database damaged in its middle pages, another
 * program's database, a relative VIGIL_HOME, a read-only home (a real read-only tmpfs mount),
 * loose permissions and symbolic links planted among a run's files.
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/database.ts';
import { RunStore } from '../../src/store/runs.ts';
import { REPO, VIGIL, collect, envFor, psJson, showJson, startVigil, tempHome, vigil, waitUntil } from '../helpers/vigil.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

/** Inserts `count` ended runs (each with an attempt and events), as a real home accumulates them; returns the store's page map. */
function seedRuns(home: string, count: number, extra: { running?: string } = {}): Map<string, number[]> {
  const store = new RunStore(openDatabase(join(home, 'vigil.db')));
  const now = Date.now();
  const ids = Array.from({ length: count }, (_, i) => `seed${String(i).padStart(8, '0')}`);
  if (extra.running) ids.push(extra.running);
  store.exclusively(() => {
    for (const id of ids) {
      const running = id === extra.running;
      const run = runRecord(home, {
        id,
        command: ['python', 'train.py', '--seed', id],
        status: running ? 'running' : 'succeeded',
        createdAt: now - 1000,
        endedAt: running ? null : now,
        // A supervisor that is not alive: pid 1 with a start time it never had.
        supervisorPid: running ? 1 : null,
        supervisorStart: running ? 'not-its-start-time' : null,
        exitCode: running ? null : 0,
      });
      store.insertRun(run);
      store.insertAttempt(attemptRecord(run));
      for (let n = 0; n < 3; n += 1) store.addEvent({ runId: id, attempt: 1, at: now, kind: 'python_import', data: { module: 'torch' } });
    }
  });
  store.db.pragma('wal_checkpoint(TRUNCATE)'); // page numbers below are those of the main file
  const pages = new Map<string, number[]>();
  for (const row of store.db.prepare('SELECT name, pageno FROM dbstat ORDER BY pageno').all() as { name: string; pageno: number }[]) {
    pages.set(row.name, [...(pages.get(row.name) ?? []), row.pageno]);
  }
  store.db.close();
  return pages;
}

function overwritePages(path: string, pages: number[], pageSize = 4096): void {
  const fd = openSync(path, 'r+');
  for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.equal(stderr.trimEnd().split('\n').length, 1, `one line expected, got: ${stderr}`);
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('a damaged database', () => {
  test('corrupt middle pages: run refuses before starting the job, ps and show say so in one line (exit 4), the file untouched', async () => {
    const home = tempHome();
    const pages = seedRuns(home, 40);
    const dbPath = join(home, 'vigil.db');
    // The index that recording an attempt writes: the page header and the schema stay intact,
    // so the database opens fine and a run gets as far as starting its job.
    overwritePages(dbPath, pages.get('sqlite_autoindex_attempts_1') ?? []);
    const damaged = readFileSync(dbPath);
    const marker = join(home, 'job-started');

    const run = await vigil(home, ['run', '--', 'touch', marker]);
    assertOneLine(run.stderr, /^vigil: database .*vigil\.db is corrupt or not a vigil database \(.*\); it was left untouched/);
    assert.equal(run.code, 4);
    assert.equal(existsSync(marker), false, 'the job must not start on a database that cannot record it');

    for (const args of [
      ['ps', '--all'],
      ['show', 'seed00000001'],
      ['logs', 'seed00000001'],
    ]) {
      const result = await vigil(home, args);
      assertOneLine(result.stderr, /^vigil: database .*vigil\.db is corrupt or not a vigil database \(database disk image is malformed\)/);
      assert.equal(result.code, 4, args.join(' '));
    }
    assert.deepEqual(readFileSync(dbPath), damaged);
  });

  test("another program's SQLite database is refused (exit 4) before any write: same bytes, same mode, no -wal or -shm", async () => {
    for (const version of [0, 2]) {
      const home = tempHome();
      const dbPath = join(home, 'vigil.db');
      const foreign = new Database(dbPath);
      foreign.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES ('a.jpg'), ('b.jpg');");
      foreign.pragma(`user_version = ${version}`);
      foreign.close();
      chmodSync(dbPath, 0o644);
      const before = readFileSync(dbPath);
      for (const args of [['ps'], ['run', '--', 'true'], ['show', 'last']]) {
        const result = await vigil(home, args);
        assertOneLine(result.stderr, /is not a vigil database \(schema version \d, tables photos\); it was left untouched/);
        assert.equal(result.code, 4, `${args.join(' ')} on user_version ${version}`);
        assert.deepEqual(readFileSync(dbPath), before);
        assert.equal(modeOf(dbPath), 0o644);
        assert.equal(existsSync(`${dbPath}-wal`) || existsSync(`${dbPath}-shm`), false);
      }
    }
  });
});

describe('VIGIL_HOME', () => {
  test('a relative VIGIL_HOME is made absolute: a job that changes directory still reports to its run', async () => {
    const workdir = tempHome();
    const elsewhere = tempHome();
    const job = `import os; os.chdir(${JSON.stringify(elsewhere)}); raise ValueError("raised after chdir")`;
    const child = spawn(process.execPath, [VIGIL, 'run', '-q', '--', 'python3', '-c', job], {
      cwd: workdir,
      env: envFor('state'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child);
    assert.equal(result.code, 1, result.stderr);
    const run = showJson(join(workdir, 'state'));
    assert.ok(run.run_dir.startsWith(`${workdir}/state/runs/`), run.run_dir);
    assert.deepEqual(
      run.exceptions.map((raised: { type: string }) => raised.type),
      ['ValueError'],
    );
  });

  test('homes and files are owner-only whatever the umask; a loose home of vigil is tightened, nothing else of the user', async () => {
    const umask = process.umask(0o022);
    try {
      const home = join(tempHome(), 'vigil-home');
      const go = join(home, 'go');
      const run = startVigil(home, ['run', '-q', '--', 'sh', '-c', 'while [ ! -e "$0" ]; do sleep 0.05; done', go]);
      const runDir = await waitUntil('the run and its files', () => {
        try {
          const { run_dir: dir } = showJson(home);
          return existsSync(join(dir, 'attempt-1.times')) ? (dir as string) : null;
        } catch {
          return null;
        }
      });
      const dbPath = join(home, 'vigil.db');
      const expected: [string, number][] = [
        [home, 0o700],
        [join(home, 'runs'), 0o700],
        [runDir, 0o700],
        [join(runDir, 'attempt-1.py'), 0o700],
        [dbPath, 0o600],
        [`${dbPath}-wal`, 0o600],
        [`${dbPath}-shm`, 0o600],
        [join(runDir, 'attempt-1.log'), 0o600],
        [join(runDir, 'attempt-1.events'), 0o600],
        [join(runDir, 'attempt-1.times'), 0o600],
      ];
      for (const [path, mode] of expected) assert.equal(modeOf(path).toString(8), mode.toString(8), path);
      writeFileSync(go, '');
      assert.equal((await collect(run)).code, 0);

      // A home from an earlier vigil, with the umask's modes: tightened when opened for writing.
      chmodSync(home, 0o755);
      chmodSync(join(home, 'runs'), 0o755);
      chmodSync(dbPath, 0o644);
      writeFileSync(join(home, 'notes.txt'), 'mine');
      chmodSync(join(home, 'notes.txt'), 0o644);
      assert.equal((await vigil(home, ['ps'])).code, 0);
      assert.deepEqual(
        [home, join(home, 'runs'), dbPath, join(home, 'notes.txt')].map((path) => modeOf(path).toString(8)),
        ['700', '700', '600', '644'],
      );

      // A directory VIGIL_HOME merely points at (no vigil database in it yet) keeps its mode.
      const shared = tempHome();
      chmodSync(shared, 0o755);
      assert.equal((await vigil(shared, ['ps'])).code, 0);
      assert.equal(modeOf(shared), 0o755);
      assert.equal(modeOf(join(shared, 'vigil.db')), 0o600);
    } finally {
      process.umask(umask);
    }
  });

  test('vigil logs refuses a symbolic link planted in place of a log (one line), and does not print its target', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'sh', '-c', 'echo the real log']);
    const secret = join(tempHome(), 'secret.txt');
    writeFileSync(secret, 'TOP SECRET\n');
    const log = showJson(home).log_path as string;
    unlinkSync(log);
    symlinkSync(secret, log);
    for (const args of [
      ['logs', 'last'],
      ['logs', 'last', '--tail', '1'],
      ['logs', 'last', '-f'],
    ]) {
      const result = await vigil(home, args);
      assertOneLine(result.stderr, /^vigil: cannot read .*attempt-1\.log: it is a symbolic link/);
      assert.equal(result.code, 3, args.join(' '));
      assert.doesNotMatch(result.stdout, /SECRET/);
    }
  });
});

/** A tmpfs of our own, so that it can be remounted read-only (we are root: chmod would not stop us). */
function mountTmpfs(): string | null {
  const dir = tempHome();
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]).status === 0 ? dir : null;
}
const remount = (dir: string, mode: 'ro' | 'rw') => assert.equal(spawnSync('mount', ['-o', `remount,${mode}`, dir]).status, 0);

describe('a read-only VIGIL_HOME', () => {
  const mounts: string[] = [];
  let canMount = false;
  before(() => {
    const probe = mountTmpfs();
    canMount = probe !== null;
    if (probe) mounts.push(probe);
  });
  after(() => {
    for (const dir of mounts) spawnSync('umount', ['-l', dir]);
  });
  const readOnlyHome = async (prepare: (home: string) => void | Promise<void>): Promise<string> => {
    const mount = mountTmpfs();
    assert.ok(mount, 'mount -t tmpfs failed');
    mounts.push(mount);
    const home = join(mount, 'home');
    await prepare(home);
    remount(mount, 'ro');
    return home;
  };

  test('ps, show and logs read a cleanly closed home, observe without recording; run fails with exit 3 in one line', async (t) => {
    if (!canMount) return t.skip('cannot mount a tmpfs here (not root?)');
    const home = await readOnlyHome(async (dir) => {
      assert.equal((await vigil(dir, ['run', '-q', '--', 'sh', '-c', 'echo hello from the job'])).code, 0);
      seedRuns(dir, 2, { running: 'unwatched0001' }); // its supervisor is gone and no process is left
      assert.equal(existsSync(join(dir, 'vigil.db-shm')), false);
    });
    const dbBefore = readFileSync(join(home, 'vigil.db'));

    const runs = psJson(home);
    assert.equal(runs.length, 4);
    assert.equal(runs.find((run) => run.id === 'unwatched0001')?.status, 'unknown');
    const real = runs.find((run) => !String(run.id).startsWith('seed') && run.id !== 'unwatched0001');
    assert.equal(showJson(home, real?.id).status, 'succeeded');
    assert.equal((await vigil(home, ['logs', real?.id])).stdout, 'hello from the job\n');

    const run = await vigil(home, ['run', '--', 'true']);
    assertOneLine(run.stderr, /^vigil: cannot use VIGIL_HOME=.*: EROFS/);
    assert.equal(run.code, 3);
    assert.deepEqual(readFileSync(join(home, 'vigil.db')), dbBefore);
  });

  test('a home whose -wal and -shm a writer left behind is read with what the WAL holds', async (t) => {
    if (!canMount) return t.skip('cannot mount a tmpfs here (not root?)');
    const home = await readOnlyHome(async (dir) => {
      mkdirSync(dir);
      seedRuns(dir, 1);
      // A writer that dies without closing: its commit is in the WAL only.
      const writer = spawnSync(
        process.execPath,
        [
          '-e',
          `const db = new (require('better-sqlite3'))(${JSON.stringify(join(dir, 'vigil.db'))});
           db.prepare("INSERT INTO runs (id, command, cwd, run_dir, status, created_at, stop_timeout_ms) VALUES ('inwal0000001', '[\\"true\\"]', '/', '/', 'succeeded', 1, 1)").run();
           process.kill(process.pid, 'SIGKILL');`,
        ],
        { cwd: REPO },
      );
      assert.equal(writer.signal, 'SIGKILL', writer.stderr.toString());
      assert.ok(existsSync(join(dir, 'vigil.db-shm')) && existsSync(join(dir, 'vigil.db-wal')));
    });
    assert.deepEqual(
      psJson(home)
        .map((run) => run.id)
        .sort(),
      ['inwal0000001', 'seed00000000'],
    );
  });
});
