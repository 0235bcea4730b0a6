/**
 * Schema history. Each entry moves the database from version i to i+1 (PRAGMA user_version)
 * and is never edited once released: add a new entry instead.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    name             TEXT,
    command          TEXT    NOT NULL,  -- JSON array: argv as given
    cwd              TEXT    NOT NULL,
    run_dir          TEXT    NOT NULL,
    status           TEXT    NOT NULL,  -- StoredStatus (src/core/run-status.ts)
    created_at       INTEGER NOT NULL,  -- ms since epoch, as every time here
    ended_at         INTEGER,
    supervisor_pid   INTEGER,
    supervisor_start TEXT,              -- /proc starttime: tells our supervisor from a reused pid
    cgroup_path      TEXT,
    stop_timeout_ms  INTEGER NOT NULL,
    exit_code        INTEGER,
    signal           TEXT
  );
  CREATE INDEX runs_by_name ON runs (name, created_at);
  CREATE INDEX runs_by_status ON runs (status);

  CREATE TABLE attempts (
    run_id         TEXT    NOT NULL REFERENCES runs (id),
    n              INTEGER NOT NULL,
    pid            INTEGER,
    pgid           INTEGER,
    started_at     INTEGER NOT NULL,
    ended_at       INTEGER,
    exit_code      INTEGER,
    signal         TEXT,
    peak_rss_bytes INTEGER,
    log_path       TEXT    NOT NULL,
    stop_reason    TEXT,               -- why vigil ended it: "SIGINT", "vigil stop", …
    diagnosis      TEXT,               -- JSON Diagnosis of a failed attempt
    PRIMARY KEY (run_id, n)
  );

  CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    run_id  TEXT    NOT NULL REFERENCES runs (id),
    attempt INTEGER,
    at      INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT                        -- JSON
  );
  CREATE INDEX events_by_run ON events (run_id, kind, at);
  `,
  `
  ALTER TABLE runs ADD COLUMN progress TEXT;              -- JSON Progress (src/core/progress/progress-tracker.ts)
  ALTER TABLE runs ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'; -- JSON array: "no_progress", "nan_loss", …
  `,
  `
  ALTER TABLE runs ADD COLUMN stages TEXT;                -- JSON array of pipeline stages: {name, total, rate, updated_at}
  `,
  `
  ALTER TABLE attempts ADD COLUMN memory_measure TEXT;    -- what peak_rss_bytes measured: 'pss', 'cgroup' or 'rss' (NULL: older runs, RSS sum)
  `,
  `
  ALTER TABLE attempts ADD COLUMN params TEXT;            -- JSON {NAME: value}: the adaptive values this attempt ran with
  ALTER TABLE attempts ADD COLUMN restart_reason TEXT;    -- why the next attempt was (or was not) started
  ALTER TABLE attempts ADD COLUMN restart_delay_ms INTEGER; -- the backoff before the next attempt
  ALTER TABLE attempts ADD COLUMN resumed_from TEXT;      -- the checkpoint the next attempt resumed from (NULL: started fresh)
  ALTER TABLE attempts ADD COLUMN lost_steps INTEGER;     -- progress between that checkpoint and the end of this attempt
  ALTER TABLE attempts ADD COLUMN lost_seconds REAL;
  `,
  `
  ALTER TABLE runs ADD COLUMN checkpoint_dirs TEXT;       -- JSON array: --checkpoints, absolute
  ALTER TABLE runs ADD COLUMN checkpoint_glob TEXT;       -- --checkpoint-glob
  `,
  `
  CREATE TABLE jobs (
    seq                INTEGER PRIMARY KEY,  -- submission order
    id                 TEXT    NOT NULL UNIQUE,
    name               TEXT,
    priority           INTEGER NOT NULL,
    gpus               INTEGER NOT NULL,
    share_gpus         INTEGER NOT NULL,     -- 0/1
    after              TEXT    NOT NULL,     -- JSON array of job ids
    command            TEXT    NOT NULL,     -- JSON array
    cwd                TEXT    NOT NULL,
    env                TEXT    NOT NULL,     -- JSON object: the environment it runs with
    declared_env       TEXT    NOT NULL,     -- JSON object: --env / vigil.yaml env
    run_options        TEXT    NOT NULL,     -- JSON array: vigil run options as words
    on_supervisor_loss TEXT    NOT NULL,     -- 'adopt' | 'requeue'
    identity           TEXT    NOT NULL,     -- sha256 of core/queue/job.ts jobIdentity
    dedup              INTEGER NOT NULL,     -- 0 with --allow-duplicate
    state              TEXT    NOT NULL,     -- JobState (src/core/queue/job.ts)
    submitted_at       INTEGER NOT NULL,
    claimed_at         INTEGER,
    ended_at           INTEGER,
    gpu_ids            TEXT    NOT NULL DEFAULT '[]',
    supervisor_pid     INTEGER,
    supervisor_start   TEXT,
    outcome            TEXT,
    requeues           INTEGER NOT NULL DEFAULT 0,
    wait_reason        TEXT                  -- why the daemon has not started it yet, in one line
  );
  CREATE INDEX jobs_by_state ON jobs (state, priority, seq);
  -- Exactly once: one live job per identity, enforced by the database whoever submits.
  CREATE UNIQUE INDEX jobs_live_identity ON jobs (identity) WHERE dedup = 1 AND state IN ('queued', 'claimed');
  ALTER TABLE runs ADD COLUMN job_id TEXT;  -- the queued job this run was started for (NULL: vigil run by hand)
  CREATE INDEX runs_by_job ON runs (job_id);

  -- The one daemon of this home: who holds it (a dead holder's lease is taken over).
  CREATE TABLE daemon (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    pid        INTEGER NOT NULL,
    start      TEXT,                 -- /proc start time: a reused pid is not the holder
    started_at INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE attempts ADD COLUMN fingerprints TEXT;      -- JSON: the inputs' fingerprints it ran with (--fingerprint)
  ALTER TABLE runs ADD COLUMN git_state TEXT;             -- JSON {commit, changed}: the cwd's checkout as the run started
  ALTER TABLE runs ADD COLUMN training_env TEXT;          -- JSON: the job's CUDA/NCCL/PyTorch/… variables (core/runs/ml-environment.ts)
  -- The memory of failures (src/store/failure-memory.ts) reads a few fields of every diagnosis:
  -- this index covers its query, so that reading them parses no JSON (the query repeats these expressions).
  CREATE INDEX attempts_failures ON attempts (
    json_extract(diagnosis, '$.category'),
    json_extract(diagnosis, '$.exception.type'),
    json_extract(diagnosis, '$.exception.message'),
    json_extract(diagnosis, '$.where.file'),
    json_extract(diagnosis, '$.where.function'),
    run_id, n, started_at, ended_at, params, fingerprints
  );
  `,
  `
  ALTER TABLE runs ADD COLUMN runtime_env TEXT;           -- JSON: vigil, node, host, the job's python/torch/CUDA build, GPUs as the run started
  `,
  `
  -- The loss curve, kept for charts as progress is written (src/store/progress-series.ts): the
  -- points themselves, and per level L (buckets 4^L steps wide) each bucket's lowest and highest loss.
  CREATE TABLE progress_points (
    run_id  TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    step    REAL NOT NULL,
    at      INTEGER NOT NULL,
    loss    REAL,                -- NULL: not finite (a gap in the curve)
    PRIMARY KEY (run_id, attempt, step, at)
  ) WITHOUT ROWID;
  CREATE TABLE progress_buckets (
    run_id   TEXT NOT NULL,
    attempt  INTEGER NOT NULL,
    level    INTEGER NOT NULL,
    bucket   INTEGER NOT NULL,
    min_step REAL NOT NULL, min_loss REAL NOT NULL, min_at INTEGER NOT NULL,
    max_step REAL NOT NULL, max_loss REAL NOT NULL, max_at INTEGER NOT NULL,
    points   INTEGER NOT NULL,   -- finite losses in the bucket (the top level's one bucket: the attempt's all)
    PRIMARY KEY (run_id, level, attempt, bucket)
  ) WITHOUT ROWID;
  `,
  `
  -- One job over several machines (src/core/group/identity.ts): the group a run belongs to, and
  -- the node it ran on (JSON: node, node rank, node count, where the group's id came from, addresses).
  ALTER TABLE runs ADD COLUMN group_id TEXT;
  ALTER TABLE runs ADD COLUMN group_member TEXT;
  CREATE INDEX runs_by_group ON runs (group_id, created_at) WHERE group_id IS NOT NULL;
  `,
];
