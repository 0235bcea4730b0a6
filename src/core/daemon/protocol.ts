/**
 * What goes over the daemon's socket: one JSON object per line, each way.
 *
 * - `nudge`: something changed in the queue (a submit, a cancel): plan again. No reply.
 * - `status`: the daemon answers with a StatusReply.
 * - `stop`: the daemon answers `{ok: true}` and exits; the runs it started go on.
 * - `hello`: a job's supervisor (or adopter) says who it is and keeps the connection open for
 *   as long as it lives: the connection closing is how the daemon learns at once that it ended.
 */

export type Request = { op: 'nudge' } | { op: 'status' } | { op: 'stop' } | { op: 'hello'; jobId: string; pid: number };

export type DrivenRun = { jobId: string; runId: string | null; supervisorPid: number | null; gpuIds: number[]; connected: boolean };

export type StatusReply = { ok: true; pid: number; startedAt: number; runs: DrivenRun[]; queued: number };

export type Reply = StatusReply | { ok: true } | { ok: false; error: string };

export const encodeMessage = (message: Request | Reply): string => `${JSON.stringify(message)}\n`;

/** A request as received: null when the line is not one (the peer is told nothing; the line is ignored). */
export function decodeRequest(message: Record<string, unknown>): Request | null {
  switch (message.op) {
    case 'nudge':
    case 'status':
    case 'stop':
      return { op: message.op };
    case 'hello':
      return typeof message.jobId === 'string' && Number.isInteger(message.pid)
        ? { op: 'hello', jobId: message.jobId, pid: message.pid as number }
        : null;
    default:
      return null;
  }
}
