/**
 * What `scontrol show job -o JOBID` says of a job (one line of `Key=Value` words), and the
 * durations Slurm prints (`TimeLimit=1-02:03:04`, `UNLIMITED`). Read without slurmdbd: the
 * controller keeps a finished job's record for MinJobAge seconds.
 */

export type SlurmJobRecord = {
  state: string;
  reason: string | null;
  /** Milliseconds; null when UNLIMITED or absent. */
  timeLimitMs: number | null;
  /** When the controller will end it (epoch ms, read as local time as scontrol prints it); null when unknown. */
  endAt: number | null;
  restarts: number;
  /** Slurm may requeue it (`--requeue`, or JobRequeue=1 in slurm.conf). */
  requeue: boolean;
  exitCode: string | null;
  nodeList: string | null;
};

/** `JobState=RUNNING Reason=None …` → its fields; a value may hold spaces (`Command=…`), up to the next `Key=`. */
export function parseControlRecord(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const pattern = /(?:^|\s)([A-Za-z][\w:/]*)=(.*?)(?=\s+[A-Za-z][\w:/]*=|\s*$)/g;
  for (const match of line.trim().matchAll(pattern)) {
    const key = match[1] as string;
    if (!fields.has(key)) fields.set(key, (match[2] as string).trim());
  }
  return fields;
}

export function slurmJobRecord(line: string): SlurmJobRecord | null {
  const fields = parseControlRecord(line);
  const state = fields.get('JobState');
  if (!state) return null;
  const present = (key: string) => {
    const value = fields.get(key);
    return value === undefined || value === '' || value === 'None' || value === '(null)' || value === 'Unknown' ? null : value;
  };
  const end = present('EndTime');
  const endAt = end === null ? null : Date.parse(end);
  return {
    state,
    reason: present('Reason'),
    timeLimitMs: parseSlurmDuration(fields.get('TimeLimit') ?? ''),
    endAt: endAt === null || Number.isNaN(endAt) ? null : endAt,
    restarts: Number(fields.get('Restarts') ?? 0) || 0,
    requeue: fields.get('Requeue') === '1',
    exitCode: present('ExitCode'),
    nodeList: present('NodeList'),
  };
}

/**
 * Slurm's duration words: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS` (sbatch's
 * `--time` forms, which scontrol and squeue print). Null for UNLIMITED, INVALID, NOT_SET or nonsense.
 */
export function parseSlurmDuration(text: string): number | null {
  const match = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, days, a, b, c] = match;
  const n = (value: string | undefined) => (value === undefined ? 0 : Number(value));
  let seconds: number;
  if (days !== undefined) seconds = n(days) * 86_400 + n(a) * 3600 + n(b) * 60 + n(c);
  else if (c !== undefined) seconds = n(a) * 3600 + n(b) * 60 + n(c);
  else if (b !== undefined) seconds = n(a) * 60 + n(b);
  else seconds = n(a) * 60;
  return seconds * 1000;
}
