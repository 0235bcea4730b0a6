/**
 * What `kubectl describe pod` shows as the container's last state: the run's end in a few lines,
 * written to the termination-message file (Kubernetes reads at most 4096 bytes of it). Also where
 * that file is: `--termination-log PATH`, else Kubernetes' default path when vigil runs in a pod.
 */

export const TERMINATION_LOG_DEFAULT = '/dev/termination-log';
/** Kubernetes keeps at most this much of the message. */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;

export type RunEnd = {
  runId: string;
  status: string;
  /** How the job itself ended: "exit code 1", "killed by SIGKILL". */
  jobExit: string;
  diagnosis: { category: string; summary: string; retryable?: boolean; fixes?: readonly string[] } | null;
};

export function terminationMessage(end: RunEnd): string {
  const lines = [`vigil run ${end.runId}: ${end.status}, ${end.jobExit}`];
  const diagnosis = end.diagnosis;
  if (diagnosis) {
    lines.push(`cause: ${diagnosis.category}: ${diagnosis.summary}`);
    lines.push(diagnosis.retryable === false ? 'retry: will not help, fix the cause first' : 'retry: may help');
    for (const fix of (diagnosis.fixes ?? []).slice(0, 3)) lines.push(`fix: ${fix}`);
  }
  lines.push(`more: vigil show ${end.runId}`);
  return cutToBytes(`${lines.join('\n')}\n`, TERMINATION_MESSAGE_MAX_BYTES);
}

/** `--termination-log` as given; else the default path when in a pod (KUBERNETES_SERVICE_HOST) and it exists; else none. */
export function terminationLogPath(
  given: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): string | null {
  if (given !== undefined) return given === '' ? null : given;
  return env.KUBERNETES_SERVICE_HOST && exists(TERMINATION_LOG_DEFAULT) ? TERMINATION_LOG_DEFAULT : null;
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never half a character. */
function cutToBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  let cut = text.slice(0, max);
  while (encoder.encode(cut).length > max) cut = cut.slice(0, -1);
  return cut;
}
