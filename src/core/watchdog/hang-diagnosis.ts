/**
 * A stalled job, explained from the stacks of its Python processes: which process is stuck
 * where ("main waits in DataLoader.__next__ at train.py:31; DataLoader worker 1 in
 * dataset.py:42 __getitem__"), or, during start-up, which module has been importing for how
 * long. Pure: the stacks are faulthandler dumps already read by the caller.
 */

import { CATEGORIES } from '../diagnosis/categories.ts';
import type { Diagnosis } from '../diagnosis/diagnose.ts';
import type { ReportedException } from '../diagnosis/process-names.ts';
import { type DumpThread, mainThread, ownFrames, parseStackDump, type ProcessStack } from '../diagnosis/stack-dump.ts';
import { type Frame, isUserFrame } from '../diagnosis/traceback.ts';
import { formatDuration } from '../duration.ts';
import type { Stall } from './stall-clock.ts';
import { lastPathPart } from '../text/last-path-part.ts';

export type HangDiagnosis = Diagnosis & {
  stacks: ProcessStack[];
  /** What stalled, without the culprit: "no progress for 6.3s after step 80". */
  stalled: string;
  /** Uncaught exceptions reported before the stall, oldest first: the likelier cause (stall-after-exception.ts). */
  raised: ReportedException[];
};
export const isHangDiagnosis = (diagnosis: Diagnosis): diagnosis is HangDiagnosis => 'stalled' in diagnosis && 'raised' in diagnosis;

export type ImportMarker = { pid: number; module: string; at: number };
/** A process found stopped by a signal (state T): it cannot dump its stack, and it is not hung. */
export type StoppedProcess = { process: string; pid: number };

const at = (frame: Frame) => `${lastPathPart(frame.file)}:${frame.line} ${frame.function}`;

/** The module a thread is importing, when it is inside an import: the innermost `<module>` frame below importlib. */
function importing(thread: DumpThread): { module: string; frame: Frame } | null {
  const inImport = thread.frames.some((f) => f.file.includes('importlib._bootstrap'));
  if (!inImport) return null;
  const frame = thread.frames.find((f) => f.function === '<module>' && !f.file.startsWith('<'));
  if (!frame) return null;
  const file = lastPathPart(frame.file);
  const module = file === '__init__.py' ? lastPathPart(frame.file.slice(0, -'/__init__.py'.length)) : file.replace(/\.py$/, '');
  return { module, frame };
}

type Finding = {
  stack: ProcessStack;
  thread: DumpThread;
  user: Frame | null;
  /** Where it is blocked: the library call user code handed over to, or the user's own frame when it is innermost. */
  innermost: Frame | null;
};

/** Blocked in its own code (sleeping, spinning, in a C call it made), not waiting in a library call. */
const inUserCode = (f: Finding) => f.user !== null && f.innermost === f.user;

export function diagnoseHang(
  stall: Stall,
  stacks: ProcessStack[],
  context: { step: number | null; imports: ImportMarker[]; stopped: StoppedProcess[]; raised: readonly ReportedException[]; now: number },
): HangDiagnosis {
  const findings: Finding[] = stacks.flatMap((stack) => {
    const thread = mainThread(parseStackDump(stack.text));
    if (!thread) return [];
    const own = ownFrames(thread.frames).frames;
    const userIndex = own.findIndex(isUserFrame);
    const user = userIndex === -1 ? null : (own[userIndex] as Frame);
    // Where user code handed over: the library call it is blocked in (DataLoader's __next__, a lock's acquire).
    const entry = userIndex > 0 ? (own[userIndex - 1] as Frame) : null;
    return [{ stack, thread: { ...thread, frames: own }, user, innermost: entry ?? own[0] ?? null }];
  });
  const silent = formatDuration(stall.silentForMs);
  const lead =
    stall.kind === 'startup'
      ? `no output and no progress for ${silent} since start`
      : stall.kind === 'exit'
        ? `it did not exit: silent for ${silent} after the exception`
        : `no progress for ${silent}${context.step !== null ? ` after step ${context.step}` : ''}${stall.phase ? ` (phase ${stall.phase})` : ''}`;

  const done = (what: Outcome) => build(stall, stacks, lead, context.raised, what);

  // A stopped process explains the stall by itself, and whoever waits on it: main first, as it
  // is the one whose steps stopped.
  const stopped = context.stopped.find((p) => p.process === 'main') ?? context.stopped[0];
  if (stopped)
    return done({
      summary: `${lead}: ${stopped.process} (pid ${stopped.pid}) is stopped by a signal, not hung (SIGSTOP, Ctrl-Z, or a background job reading the terminal); kill -CONT ${stopped.pid} resumes it`,
      where: null,
      process: stopped.process,
      // Seen in /proc, not guessed from stacks.
      confidence: 0.8,
      fixes: [
        'Resume it with kill -CONT PID, or find what stopped it: Ctrl-Z in its terminal, or a background job reading the terminal (give it stdin from /dev/null)',
      ],
    });

  // A start-up stall inside an import says which module and since when.
  for (const finding of findings) {
    const inImport = importing(finding.thread);
    if (!inImport) continue;
    const marker = [...context.imports].reverse().find((m) => m.pid === finding.stack.pid && inImport.module.startsWith(m.module));
    const since = marker ? ` for ${formatDuration(context.now - marker.at)}` : '';
    return done({
      summary: `${lead}: ${finding.stack.process} has been importing ${inImport.module}${since} (at ${at(inImport.frame)})`,
      where: inImport.frame,
      process: finding.stack.process,
    });
  }

  // The culprit: a process stuck in its own code (a worker in __getitem__, a rank reading a
  // shard) rather than one waiting in a library call for it (DataLoader's __next__, a
  // collective); helpers before main, which usually waits on them.
  const main = findings.find((f) => f.stack.process === 'main' || /^rank \d+$/.test(f.stack.process)) ?? findings[0];
  const stuck = findings.filter(inUserCode);
  const culprit = stuck.find((f) => f !== main) ?? stuck[0] ?? findings.find((f) => f !== main && f.user) ?? main;
  const describe = (f: Finding) =>
    f.user
      ? `${f.stack.process} ${f.innermost && f.innermost !== f.user ? `waits in ${f.innermost.function} (${lastPathPart(f.innermost.file)}:${f.innermost.line}) from ` : 'in '}${at(f.user)}`
      : f.innermost
        ? `${f.stack.process} in ${at(f.innermost)}`
        : `${f.stack.process}: no Python frame`;
  const shown = [main, ...findings.filter((f) => f !== main && f.user)].filter((f): f is Finding => f !== undefined);
  const summary = shown.length > 0 ? `${lead}: ${shown.map(describe).join('; ')}` : `${lead} (no Python stack could be taken)`;
  return done({ summary, where: culprit?.user ?? null, process: culprit?.stack.process ?? null });
}

/** What a branch of diagnoseHang found; confidence and fixes default to the stall's. */
type Outcome = { summary: string; where: Frame | null; process: string | null; confidence?: number; fixes?: string[] };

const RULE_OF_STALL: Record<Stall['kind'], string> = { startup: 'startup-timeout', progress: 'progress-timeout', exit: 'exit-grace' };

function build(stall: Stall, stacks: ProcessStack[], stalled: string, raised: readonly ReportedException[], what: Outcome): HangDiagnosis {
  return {
    category: 'hang',
    retryable: CATEGORIES.hang.retryable,
    summary: `${CATEGORIES.hang.label}: ${what.summary}${raised[0] ? ` (after ${raisedBy(raised[0])})` : ''}`,
    evidence: [],
    where: what.where,
    process: what.process,
    exception: null,
    confidence: what.confidence ?? (stacks.length > 0 ? 0.8 : 0.5),
    rule: RULE_OF_STALL[stall.kind],
    fixes:
      what.fixes ??
      (stall.kind === 'startup'
        ? [
            'Look at what the process does at start (imports, downloads, dataset indexing); raise --startup-timeout if it is expected to be slow',
          ]
        : stall.kind === 'exit'
          ? [
              'Fix the exception first; then what kept the process from exiting: a non-daemon thread (daemon=True), a queue or pool never closed',
              'If its exit is legitimately slow (an upload at exit), raise --exit-grace',
            ]
          : [
              'Read the stacks: a lock, a queue, a collective or a worker that never returns',
              'If a phase is legitimately slow, declare it with vigil.phase("eval") or raise --progress-timeout',
            ]),
    stacks,
    stalled,
    raised: [...raised],
  };
}

/** "main raised RuntimeError: its message's first line". */
function raisedBy(exception: ReportedException): string {
  const message = (exception.message.split('\n')[0] ?? '').slice(0, 200);
  return `${exception.process} raised ${exception.type}${message ? `: ${message}` : ''}`;
}
