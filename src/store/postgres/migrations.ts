/**
 * The shared store's schema history in PostgreSQL (VIGIL_DATABASE_URL). Each entry moves the
 * database from version i to i+1 (the schema_version table) and is never edited once released:
 * add a new entry instead. Times are ms since the epoch (BIGINT), as in the SQLite file.
 *
 * Today the queue (`jobs`) is what the machines share; `runs`, `attempts` and `events` mirror the
 * SQLite tables (src/store/migrations.ts) plus `node` (the machine that ran it), ready for each
 * supervisor to record into.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    seq                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- submission order
    id                 TEXT    NOT NULL UNIQUE,
    name               TEXT,
    priority           INTEGER NOT NULL,
    gpus               INTEGER NOT NULL,
    share_gpus         BOOLEAN NOT NULL,
    "after"            JSONB   NOT NULL,     -- array of job ids
    command            JSONB   NOT NULL,     -- array
    cwd                TEXT    NOT NULL,
    env                JSONB   NOT NULL,     -- the environment it runs with
    declared_env       JSONB   NOT NULL,     -- --env / vigil.yaml env
    run_options        JSONB   NOT NULL,     -- vigil run options as words
    on_supervisor_loss TEXT    NOT NULL,     -- 'adopt' | 'requeue'
    identity           TEXT    NOT NULL,     -- sha256 of core/queue/job.ts jobIdentity
    dedup              BOOLEAN NOT NULL,     -- false with --allow-duplicate
    state              TEXT    NOT NULL,     -- JobState (src/core/queue/job.ts)
    submitted_at       BIGINT  NOT NULL,
    claimed_at         BIGINT,
    claimed_by         TEXT,                 -- the machine whose daemon claimed it (VIGIL_NODE, or the hostname)
    ended_at           BIGINT,
    gpu_ids            JSONB   NOT NULL DEFAULT '[]',
    supervisor_pid     INTEGER,              -- on claimed_by's machine
    supervisor_start   TEXT,
    outcome            TEXT,
    requeues           INTEGER NOT NULL DEFAULT 0,
    wait_reason        TEXT
  );
  CREATE INDEX jobs_by_state ON jobs (state, priority, seq);
  -- Exactly once: one live job per identity, enforced by the database whichever machine submits.
  CREATE UNIQUE INDEX jobs_live_identity ON jobs (identity) WHERE dedup AND state IN ('queued', 'claimed');

  CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    node             TEXT,
    name             TEXT,
    command          TEXT    NOT NULL,
    cwd              TEXT    NOT NULL,
    run_dir          TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    ended_at         BIGINT,
    supervisor_pid   INTEGER,
    supervisor_start TEXT,
    cgroup_path      TEXT,
    stop_timeout_ms  BIGINT  NOT NULL,
    exit_code        INTEGER,
    signal           TEXT,
    progress         TEXT,
    flags            TEXT    NOT NULL DEFAULT '[]',
    stages           TEXT,
    checkpoint_dirs  TEXT,
    checkpoint_glob  TEXT,
    job_id           TEXT,
    git_state        TEXT,
    training_env     TEXT,
    runtime_env      TEXT
  );
  CREATE INDEX runs_by_name ON runs (name, created_at);
  CREATE INDEX runs_by_status ON runs (status);
  CREATE INDEX runs_by_job ON runs (job_id, created_at);

  CREATE TABLE attempts (
    run_id           TEXT    NOT NULL REFERENCES runs (id),
    n                INTEGER NOT NULL,
    node             TEXT,
    pid              INTEGER,
    pgid             INTEGER,
    started_at       BIGINT  NOT NULL,
    ended_at         BIGINT,
    exit_code        INTEGER,
    signal           TEXT,
    peak_rss_bytes   BIGINT,
    log_path         TEXT    NOT NULL,
    stop_reason      TEXT,
    diagnosis        TEXT,
    memory_measure   TEXT,
    params           TEXT,
    restart_reason   TEXT,
    restart_delay_ms BIGINT,
    resumed_from     TEXT,
    lost_steps       BIGINT,
    lost_seconds     DOUBLE PRECISION,
    fingerprints     TEXT,
    PRIMARY KEY (run_id, n)
  );

  CREATE TABLE events (
    id      BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id  TEXT    NOT NULL REFERENCES runs (id),
    node    TEXT,
    attempt INTEGER,
    at      BIGINT  NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT
  );
  CREATE INDEX events_by_run ON events (run_id, kind, at);
  `,
  `
  -- Groups (src/core/group/identity.ts): one job over several machines, each node's supervisor
  -- recording its run here. heartbeat_at: the supervisor's last word (every second while it lives),
  -- so that the other nodes see one that died. group_requests: what a node asks of every node of a
  -- group (stop), read by each node's supervisor within a second.
  ALTER TABLE runs ADD COLUMN group_id TEXT;
  ALTER TABLE runs ADD COLUMN group_member TEXT;
  ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT;
  CREATE INDEX runs_by_group ON runs (group_id, created_at) WHERE group_id IS NOT NULL;
  CREATE TABLE group_requests (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id  TEXT   NOT NULL,
    kind      TEXT   NOT NULL,   -- 'stop'
    at        BIGINT NOT NULL,
    by_node   TEXT   NOT NULL,
    data      TEXT
  );
  CREATE INDEX group_requests_by_group ON group_requests (group_id, id);
  `,
  `
  -- A group restarts as one (src/core/group/restart-together.ts): each node reports how its attempt
  -- of a round ended and which checkpoint steps it holds verified; one decision per round, made under
  -- an advisory lock by the first node to get there, read by all.
  CREATE TABLE group_rounds (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id  TEXT    NOT NULL,
    round     INTEGER NOT NULL,  -- the attempt number the nodes just ended
    run_id    TEXT    NOT NULL,
    report    TEXT    NOT NULL,  -- JSON RoundReport
    at        BIGINT  NOT NULL
  );
  CREATE INDEX group_rounds_by_round ON group_rounds (group_id, round);
  CREATE TABLE group_decisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id   TEXT    NOT NULL,
    round      INTEGER NOT NULL,
    decision   TEXT    NOT NULL, -- JSON GroupDecision (names the runs it is for)
    decided_by TEXT    NOT NULL,
    at         BIGINT  NOT NULL
  );
  CREATE INDEX group_decisions_by_round ON group_decisions (group_id, round);
  `,
];
