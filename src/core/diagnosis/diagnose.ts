/**
 * From a log (fed line by line, in bounded memory) and how the process ended, to one Diagnosis:
 * the root cause, the lines that decided it, where in the user's code, which process, whether a
 * retry can help, and what to do. Pure: no I/O, the caller reads the file.
 */

import { CATEGORIES, type Category } from './categories.ts';
import { NATIVE_ABORT_RULE, RULES, type Rule } from './catalog.ts';
import { type Automaton, compileLiterals, lineHasLiteral } from '../text/literal-automaton.ts';
import { requiredLiterals } from '../text/required-literals.ts';
import { type LineSink, SelectiveLines } from '../text/selective-lines.ts';
import { LastLineTracker } from '../text/last-line.ts';
import { normalizeLine } from './normalize.ts';
import { BARE_EXCEPTION_LITERALS, type BareException, BareExceptionTracker } from './bare-exception.ts';
import { NON_FINITE_LITERALS, NonFiniteMetrics } from './nonfinite-metrics.ts';
import { FLATTENED_MARK, unflattenedTraceback } from './flattened-traceback.ts';
import { LOGGED_ERROR_LITERALS, type LoggedError, LoggedErrors } from './logged-errors.ts';
import { ERROR_SPOKEN, readStoppedLog } from './stopped-log.ts';
import { categoryByVocabulary } from './vocabulary.ts';
import {
  assertedCondition,
  categoryByRaisingCode,
  categoryOfCutTraceback,
  raisedOnLine,
  raisingSubsystem,
  refineByRaisingCode,
  startsAProcess,
} from './raising-code.ts';
import { type ReportedException, reporterOf, workerName } from './process-names.ts';
import type { ProcessStack } from './stack-dump.ts';
import { type Frame, innermostUserFrame, type PyException, TRACEBACK_TRIGGERS, type Traceback, TracebackCollector } from './traceback.ts';

export type Evidence = { line: number; text: string };

/** The JSON contract of `vigil explain --json` and of each failed attempt in `vigil show --json`. */
export type Diagnosis = {
  category: Category;
  retryable: boolean;
  summary: string;
  evidence: Evidence[];
  where: Frame | null;
  process: string | null;
  exception: PyException | null;
  confidence: number;
  rule: string | null;
  fixes: string[];
  /** Python stacks behind it (a hang; a process killed by a fatal signal). */
  stacks?: ProcessStack[];
};

export type ExitFacts = {
  exitCode?: number | null;
  signal?: string | null;
  stoppedByUser?: boolean;
  /** Uncaught exceptions the job's Python processes reported themselves, naming their process. */
  reported?: readonly ReportedException[];
};

type Match = { line: number; text: string; rank: number | null; groups: Record<string, string> };
type RuleHits = { rule: Rule; first: Match[]; last: Match | null; count: number };

/** Communication failures that are usually the echo of a crash elsewhere, not its cause. */
const CASCADES: ReadonlySet<Category> = new Set(['nccl_timeout', 'nccl_error']);
/** Launcher exceptions that wrap a child's failure. */
const WRAPPERS = /ChildFailedError|CalledProcessError|^SystemExit$|ProcessExitedException|ProcessRaisedException/;
const MAX_LINE_CHARS = 8192;
const MAX_EVIDENCE = 6;
/** How many lines before an unexplained traceback a non-finite metric still counts as its cause: the last report or two before it. */
const NON_FINITE_REACH = 20;
const NON_FINITE_BEFORE = 'the metrics turned non-finite just before the crash; the exception that followed is its consequence';
const SHARED_MEMORY_DIR = '/dev/shm/';
const FATAL_PYTHON_ERROR = 'Fatal Python error: ';

/** A numbered line of source in an IPython/Jupyter traceback: `    592             raise …`, `--> 594         raise …`. */
const SOURCE_LISTING = /^\s*(?:-+>\s*)?\d+\s{2,}\S/;
const LISTED_RAISE = /^\s*(?:-+>\s*)?\d+\s{2,}(?:raise|assert)\b/;

// One alternation of every pattern: a line that matches none costs one test.
const ANY = new RegExp(
  RULES.flatMap((rule) => rule.patterns.map((p) => `(?:${p.source.replace(/\(\?<\w+>/g, '(?:').replace(/\(\?!\\k<\w+>\)/g, '')})`)).join(
    '|',
  ),
  'i',
);

// A line logged at debug severity (c10d's `[c10d - debug] Read callback failed`, Python logging's
// `DEBUG:`) narrates what a library noticed, such as a peer that went away: never the cause itself.
const DEBUG_SEVERITY = /\[[^\]]*\bdebug\]|(?:^|[\s[|])DEBUG(?:[:\]|]|\s+-)/;
/**
 * NCCL_DEBUG=INFO's lines speak of NCCL's connections only (`Call to connect returned Connection refused, retrying`):
 * a plugin it looked for and did without (`Plugin load (libnccl-net.so) returned 2 : … cannot open shared object file`,
 * then `No plugin found, using internal implementation`) is no missing import of the job's.
 */
const NCCL_INFO = /\bNCCL INFO\b/;
const NCCL_CATEGORIES: ReadonlySet<Category> = new Set(['nccl_error', 'nccl_timeout', 'dist_init_error']);
/** A line a library printed as a warning (`libibverbs: Warning: …`, Python's `UserWarning:`, `[W socket.cpp:…]` is torch's, `WARNING:root:`). */
const WARNING_SEVERITY = /[Ww]arning:|\bWARN(?:ING)?\b|^\[W [\w.]+:\d+\]/;

// Most lines of a log contain none of the literals the rules and the traceback parser need:
// those lines are skipped by a byte automaton without being decoded (see SelectiveLines).
// Built on first use (`vigil explain`), or by `vigil run` while the job runs (prepareDiagnoser).
type Prefilter = {
  automaton: Automaton;
  everyLine: boolean;
  /**
   * The rules' literals alone: a line let through for the traceback parser, a bare exception or a
   * non-finite metric (`Error`, `: inf`) goes through the rules only if it holds one of theirs
   * (null when some rule has none: then every line does).
   */
  rules: Automaton | null;
};
let prefilter: Prefilter | null = null;
function linePrefilter(): Prefilter {
  if (prefilter) return prefilter;
  const literals = RULES.flatMap((rule) => rule.patterns.map(requiredLiterals));
  const everyLine = literals.some((l) => l === null);
  prefilter = {
    rules: everyLine ? null : compileLiterals([...literals.flatMap((l) => l ?? []), '\x1b']),
    automaton: compileLiterals([
      ...literals.flatMap((l) => l ?? []),
      ...TRACEBACK_TRIGGERS,
      ...BARE_EXCEPTION_LITERALS,
      ...NON_FINITE_LITERALS,
      ...LOGGED_ERROR_LITERALS,
      SHARED_MEMORY_DIR,
      '\x1b', // colour codes can split a literal: lines with them are read in full
    ]),
    // A pattern without a required literal would have to see every line.
    everyLine,
  };
  return prefilter;
}

const NO_LITERALS = compileLiterals([]);

/**
 * Builds the prefilter and compiles the rules' alternation now (~100 ms): `vigil run` calls it once
 * the job has run a while, so that diagnosing a failed attempt, on the way to its restart, does not pay for it.
 */
export function prepareDiagnoser(): void {
  linePrefilter();
  ANY.test(''); // compiled on its first use
}

/** A made-up failure that takes a diagnosis through the rules and the traceback parser. */
const WARM_UP_LOG = [
  'step 1 loss 0.5',
  'Traceback (most recent call last):',
  '  File "train.py", line 1, in <module>',
  '    raise RuntimeError("CUDA error: out of memory")',
  'RuntimeError: CUDA error: out of memory',
  '',
].join('\n');
let rulesWarm = false;

/**
 * Diagnoses a made-up failure once per process (~60 ms of CPU): V8 compiles each of the rules'
 * regular expressions on its first use, and a failed attempt's diagnosis — even of a small log —
 * would otherwise pay for all of them between the job's end and its record.
 */
export function warmUpRules(): void {
  if (rulesWarm) return;
  rulesWarm = true;
  const warm = new Diagnoser({ everyLine: true });
  warm.push(Buffer.from(WARM_UP_LOG));
  warm.finish({ exitCode: 1 });
}

/**
 * Feed it bytes (`push`), then `finish`. Lines that cannot matter are skipped unread; the rest
 * go through the rules and the traceback parser.
 */
export class Diagnoser implements LineSink {
  #hits = new Map<string, RuleHits>();
  #tracebacks = new TracebackCollector();
  #bare = new BareExceptionTracker();
  #nonFinite = new NonFiniteMetrics();
  #loggedErrors = new LoggedErrors();
  /** Some line spoke of an error (ERROR_SPOKEN): a log that stops short is then no sign of a stall. */
  #errorSpoken = false;
  #lastLine = new LastLineTracker();
  /** The first line that names a path in /dev/shm (`temp folder: /dev/shm/3rsb8fq5`): where the job writes, perhaps. */
  #sharedMemoryPath: Evidence | null = null;
  /** Python said it died of a fatal error (`Fatal Python error: …`): a stack dump that follows is its last words, not a hang's. */
  #fatalError = false;
  #lineCount = 0;
  #everyLine: boolean;
  #ruleLiterals: Automaton | null;
  #lines: SelectiveLines;

  /** `everyLine`: a small input, read whole: cheaper than building the prefilter for it (the log of an attempt that failed at once). */
  constructor({ everyLine = false }: { everyLine?: boolean } = {}) {
    const filter = everyLine ? { automaton: NO_LITERALS, everyLine: true, rules: null } : linePrefilter();
    this.#everyLine = filter.everyLine;
    this.#ruleLiterals = filter.rules;
    this.#lines = new SelectiveLines(filter.automaton, this);
  }

  push(bytes: Uint8Array): void {
    this.#lines.push(bytes);
    this.#lastLine.push(bytes);
  }

  wantsEveryLine(): boolean {
    return this.#everyLine || this.#tracebacks.inside || this.#bare.waiting || this.#loggedErrors.waiting;
  }

  line(raw: string, lineNo: number): void {
    const unflattened = raw.includes(FLATTENED_MARK) ? unflattenedTraceback(raw) : null;
    if (unflattened) for (const line of unflattened) this.#line(line, lineNo);
    else this.#line(raw, lineNo);
  }

  #line(raw: string, lineNo: number): void {
    const { text, full, rank } = normalizeLine(raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw);
    this.#tracebacks.push(text, rank, lineNo);
    this.#bare.push(text, lineNo);
    this.#nonFinite.push(text, lineNo);
    this.#loggedErrors.push(text, lineNo);
    this.#errorSpoken ||= ERROR_SPOKEN.test(text);
    this.#fatalError ||= text.startsWith(FATAL_PYTHON_ERROR);
    if (this.#sharedMemoryPath === null && text.includes(SHARED_MEMORY_DIR))
      this.#sharedMemoryPath = { line: lineNo, text: text.trim().slice(0, 500) };
    if (this.#ruleLiterals && !lineHasLiteral(this.#ruleLiterals, full)) return;
    if (!ANY.test(full) || DEBUG_SEVERITY.test(full)) return;
    // Source code a traceback lists (`  592      raise FileNotFoundError(…)`) says what could be raised, not what was;
    // a pasted excerpt may start below the traceback's header, where a listed raise still shows what it is.
    if (SOURCE_LISTING.test(text) && (this.#tracebacks.inside || LISTED_RAISE.test(text))) return;
    const warning = WARNING_SEVERITY.test(full);
    const ncclInfo = NCCL_INFO.test(full);
    for (const rule of RULES) {
      if ((warning && rule.notFromWarnings) || (ncclInfo && !NCCL_CATEGORIES.has(rule.category))) continue;
      for (const pattern of rule.patterns) {
        const match = pattern.exec(full);
        if (!match) continue;
        this.#record(rule, { line: lineNo, text: full.trim().slice(0, 500), rank, groups: definedGroups(match.groups) });
        break;
      }
    }
  }

  finish(exit: ExitFacts = {}): Diagnosis {
    this.#lineCount = this.#lines.end();
    const tracebacks = this.#tracebacks.finish(this.#lineCount);
    for (const tb of tracebacks) {
      const reporter = tb.exception && tb.rank === null && tb.worker === null ? reporterOf(tb.exception, exit.reported ?? []) : null;
      if (reporter) tb.reporter = reporter;
    }
    if (exit.stoppedByUser) return fromExit('interrupted', 'stopped on request (vigil stop / Ctrl-C)', tracebacks);

    const wentOnTo = Math.max(lastFailureLine(tracebacks) ?? -1, lastPlainEvidence(this.#hits.values()));
    const ranked = [...this.#hits.values()]
      .filter((hits) => !warnedBefore(hits, wentOnTo))
      .sort((a, b) => b.rule.priority - a.rule.priority || (a.first[0]?.line ?? 0) - (b.first[0]?.line ?? 0));
    let winner = ranked[0];
    // A stop from outside that came after the job had failed, or a segfault as it went down after its own exception, is
    // not the cause: the next reading from before it is.
    if (winner && followedTheFailure(winner, tracebacks, this.#bare.last)) {
      const [consequence, line] = [winner.rule.category, winner.first[0]?.line ?? 0];
      winner = ranked.find((hits) => hits.rule.category !== consequence && (hits.first[0]?.line ?? line) < line);
      if (!winner) return this.#withoutRule(tracebacks, exit);
    }
    // A communication error on one rank is usually the echo of another rank's crash: prefer a
    // real exception from another process when there is one.
    if (winner && CASCADES.has(winner.rule.category)) {
      const culprit = tracebacks.find(
        (tb) => tb.exception && !WRAPPERS.test(tb.exception.type) && !isCascadeText(tb) && (tb.rank !== null || tb.reporter !== undefined),
      );
      if (culprit) return fromTraceback('other', culprit, tracebacks, 0.6);
    }
    const signalCategory = exitCategory(exit);
    if (signalCategory && (!winner || winner.rule.priority < signalCategory.priority)) {
      return fromExit(signalCategory.category, signalCategory.reason, tracebacks);
    }
    if (!winner) return this.#withoutRule(tracebacks, exit);
    return this.#fromWinner(winner, tracebacks);
  }

  /**
   * The winning rule's reading, unless the rest of the log says what its words meant there: a disk that filled where the
   * job writes in /dev/shm, an empty pipe that a child process found as it was started.
   */
  #fromWinner(winner: RuleHits, tracebacks: Traceback[]): Diagnosis {
    const read = fromRule(winner, tracebacks);
    // A disk that filled in a log naming a path in /dev/shm (a temporary directory there): most likely that small tmpfs.
    if (read.category === 'disk_full' && this.#sharedMemoryPath)
      return readAs(read, 'shm_exhausted', 'no space left, in a log whose job writes in /dev/shm', [this.#sharedMemoryPath]);
    // An abort after an error logged in words that name a cause (C++'s uncaught exception's `what():`): the abort is its
    // consequence. (An error logged after the abort, by a wrapper script, is not its cause.)
    const logged = this.#loggedErrors.first;
    const abortedAt = (winner.last ?? winner.first.at(-1))?.line ?? Number.POSITIVE_INFINITY;
    if (winner.rule.id === NATIVE_ABORT_RULE && logged && logged.category !== 'segfault' && logged.line < abortedAt)
      return readAs(read, logged.category, 'a native library aborted after an error that names the cause', [
        { line: logged.line, text: logged.text },
      ]);
    if (read.category === 'checkpoint_corrupt' && childFoundPipeEmpty(winner, tracebacks)) {
      const why = 'a child process found nothing to unpickle (EOFError) as it was started: what its parent sends it could not be pickled';
      return readAs(read, 'pickling_error', why);
    }
    return read;
  }

  /**
   * No rule matched: the final exceptions' own words (root of the last chain first, then an
   * exception line printed without a traceback), then metrics that turned non-finite, then the
   * words of a line logged at error severity; with none, where the log stopped.
   */
  #withoutRule(tracebacks: Traceback[], exit: ExitFacts): Diagnosis {
    const chain = lastChain(tracebacks);
    const bare = this.#bare.last;
    const bareIsNew = bare !== null && !tracebacks.some((tb) => tb.exceptionLine === bare.line);
    for (const tb of chain) {
      const exception = withAssertedCondition(tb.exception as PyException, tb.frames);
      const category =
        refineByRaisingCode(categoryByVocabulary(exception), tb.frames) ??
        categoryByRaisingCode(exception.type, tb.frames, exception.message);
      if (category) return { ...fromTraceback(category, tb, tracebacks, 0.5), rule: 'vocabulary', fixes: fixesFor(category) };
    }
    if (bareIsNew) {
      const category = categoryByVocabulary(bare.exception);
      if (category) return fromBareException(category, bare.exception, bare.line, 0.5);
    }
    const last = rootOfLastChain(tracebacks);
    const logged = this.#loggedErrors.first;
    if (last?.exception) {
      const read = fromTraceback('other', last, tracebacks, 0.4);
      if (logged && symptomOfAFailureLoggedBefore(last, logged))
        return readAs(read, logged.category, SYMPTOM_OF_A_LOGGED_FAILURE, [{ line: logged.line, text: logged.text }]);
      return this.#nonFiniteJustBefore(last) ? readAs(read, 'nan_loss', NON_FINITE_BEFORE, [this.#nonFinite.last as Evidence]) : read;
    }
    if (bareIsNew) return fromBareException('other', bare.exception, bare.line, 0.3);
    const cut = tracebacks.at(-1);
    if (cut?.faulthandler && cut.exception === null && !this.#fatalError) return fromStackDump(cut);
    const cutCategory = cut && cut.exception === null ? (categoryOfCutTraceback(cut.frames) ?? categoryOfRaiseStatement(cut.frames)) : null;
    if (cut && cutCategory) return fromCutTraceback(cutCategory, cut);
    const nonFinite = this.#nonFinite.last;
    if (nonFinite) {
      return withoutException({
        category: 'nan_loss',
        summary: `${CATEGORIES.nan_loss.label}: the metrics turned non-finite and no error followed`,
        evidence: [nonFinite],
        confidence: 0.5,
        rule: 'non-finite-metrics',
        fixes: fixesFor('nan_loss'),
      });
    }
    if (logged) {
      return withoutException({
        category: logged.category,
        summary: `${CATEGORIES[logged.category].label}: logged as an error, with no exception`,
        evidence: [{ line: logged.line, text: logged.text }],
        confidence: 0.35,
        rule: 'logged-error',
        fixes: fixesFor(logged.category),
      });
    }
    return cut ? noErrorFound(exit) : this.#endedWithoutError(exit);
  }

  /**
   * No error at all, not even a traceback cut short or a word of one: given how the job ended,
   * nothing more to say; without it, where the log stopped (stopped-log.ts).
   */
  #endedWithoutError(exit: ExitFacts): Diagnosis {
    const endKnown = (exit.exitCode ?? null) !== null || (exit.signal ?? null) !== null;
    const last = endKnown || this.#errorSpoken ? null : this.#lastLine.last((raw) => normalizeLine(raw).text);
    const reading = last && readStoppedLog({ line: this.#lineCount - last.linesAfter, text: last.text });
    return reading ? withoutException({ ...reading, fixes: reading.fixes ?? EXIT_FIXES[reading.category] ?? [] }) : noErrorFound(exit);
  }

  /**
   * The metrics turned non-finite in the last lines before a traceback no rule or word explains (`loss - nan`, then a
   * search over the network's outputs finds nothing: `'NoneType' object is not iterable`): the NaN is the cause.
   */
  #nonFiniteJustBefore(traceback: Traceback): boolean {
    const nonFinite = this.#nonFinite.last;
    return nonFinite !== null && nonFinite.line < traceback.startLine && traceback.startLine - nonFinite.line <= NON_FINITE_REACH;
  }

  #record(rule: Rule, match: Match): void {
    let hits = this.#hits.get(rule.id);
    if (!hits) this.#hits.set(rule.id, (hits = { rule, first: [], last: null, count: 0 }));
    hits.count += 1;
    if (hits.first.length < 3) hits.first.push(match);
    else hits.last = match;
  }
}

/**
 * A bare `AssertionError` says nothing; the condition its source line asserted does (`assert os.path.exists(path)`,
 * `assert x.shape == y.shape`): read as its message.
 */
function withAssertedCondition(exception: PyException, frames: readonly Frame[]): PyException {
  if (exception.message !== '' || !/(?:^|\.)AssertionError$/.test(exception.type)) return exception;
  const condition = assertedCondition(frames.at(-1));
  return condition === null ? exception : { ...exception, message: condition };
}

/** Where the job's last exception of its own was raised (not a launcher's wrapper of it); null when none was. */
function lastFailureLine(tracebacks: Traceback[]): number | null {
  const last = tracebacks.findLast((tb) => tb.exception !== null && tb.exceptionLine !== null && !WRAPPERS.test(tb.exception.type));
  return last?.exceptionLine ?? null;
}

const matchesOf = (hits: RuleHits) => [...hits.first, ...(hits.last ? [hits.last] : [])];

/** The last line a rule matched that is not a Python warning (-1 when none): something the job said after going on. */
function lastPlainEvidence(allHits: Iterable<RuleHits>): number {
  let last = -1;
  for (const hits of allHits) for (const match of matchesOf(hits)) if (!PYTHON_WARNING.test(match.text)) last = Math.max(last, match.line);
  return last;
}

/**
 * Evidence that only Python warnings gave, all of it before the job's last exception or a later error in plain words
 * (`UserWarning: Error fetching version info <urlopen error … timed out>`, then `TypeError: save_model() got an unexpected
 * keyword argument`; `UserWarning: CUDA initialization: The NVIDIA driver on your system is too old`, a fall-back to the CPU,
 * then `mat1 and mat2 shapes cannot be multiplied`): the job went on past them and failed of something else. A warning
 * right before a traceback cut short, with nothing after it, is still the best word on the cause.
 */
function warnedBefore(hits: RuleHits, wentOnTo: number): boolean {
  return matchesOf(hits).every((match) => match.line < wentOnTo && PYTHON_WARNING.test(match.text));
}

/**
 * Python's warnings module (`…/check_version.py:147: UserWarning: …`), and the source line it shows below, the call that
 * warned (`  warn("The installed version of bitsandbytes was compiled without GPU support. "`): said of something the
 * program then went on past.
 */
const PYTHON_WARNING = /\.py:\d+: \w*Warning: |^\s*(?:warnings\.)?warn\(/;

/** Exceptions a stop from outside raises in the job itself (SIGINT, torchrun's SignalException, sys.exit in a handler). */
const RAISED_BY_A_STOP = /KeyboardInterrupt|SignalException|^SystemExit$|Terminated/;
/** How close before the stop a failure must end to be what the job was doing when stopped (its last words). */
const LAST_WORDS_LINES = 50;

/** How close below an exception a segfault must be reported to be its teardown (the shell's report, a blank line). */
const TEARDOWN_LINES = 2;

/** The winning reading is what followed the job's failure, not its cause (see failedBeforeTheStop, segfaultAsItWentDown). */
function followedTheFailure(winner: RuleHits, tracebacks: Traceback[], bare: BareException | null): boolean {
  if (winner.rule.category === 'preempted') return failedBeforeTheStop(tracebacks, bare, winner);
  if (winner.rule.category === 'segfault') return segfaultAsItWentDown(tracebacks, winner);
  return false;
}

/**
 * A segfault reported right below the job's own exception (`KeyError: 'route_length'`, then the shell's `line 23: 7717
 * Segmentation fault (core dumped) python …`): a native library tearing down as the failed process exits.
 */
function segfaultAsItWentDown(tracebacks: Traceback[], segfault: RuleHits): boolean {
  const [segfaultLine, failedAt] = [segfault.first[0]?.line, lastFailureLine(tracebacks)];
  if (segfaultLine === undefined || failedAt === null) return false;
  return segfaultLine > failedAt && segfaultLine - failedAt <= TEARDOWN_LINES;
}

/**
 * The job had already failed when the scheduler stopped it: its last exception, raised by no signal, ends just before the
 * stop (`AttributeError: ckpt_dir`, then Slurm's `CANCELLED … DUE TO TIME LIMIT` on an allocation left idle; every rank's
 * `DistNetworkError: … Address already in use` printed without its traceback, then srun cancelling the step).
 */
function failedBeforeTheStop(tracebacks: Traceback[], bare: BareException | null, stop: RuleHits): boolean {
  const stopLine = stop.first[0]?.line;
  if (stopLine === undefined) return false;
  const last = tracebacks.findLast((tb) => tb.exception !== null && tb.exceptionLine !== null);
  const lastWords: BareException[] = [];
  if (last?.exception && last.exceptionLine !== null) lastWords.push({ exception: last.exception, line: last.exceptionLine });
  if (bare) lastWords.push(bare);
  return lastWords.some(
    ({ exception, line }) =>
      line < stopLine && stopLine - line <= LAST_WORDS_LINES && !RAISED_BY_A_STOP.test(exception.type) && !WRAPPERS.test(exception.type),
  );
}

/** Convenience for whole texts (tests, small logs). */
export function diagnoseText(text: string, exit: ExitFacts = {}): Diagnosis {
  const diagnoser = new Diagnoser();
  diagnoser.push(new TextEncoder().encode(text));
  return diagnoser.finish(exit);
}

function fromRule(hits: RuleHits, tracebacks: Traceback[]): Diagnosis {
  const { rule } = hits;
  const matches = matchesOf(hits);
  const decisive = matches[0] as Match;
  const groups = Object.assign({}, ...matches.map((m) => m.groups)) as Record<string, string>;
  const traceback = tracebackFor(decisive, tracebacks);
  const process = processFromLog(decisive.rank ?? traceback?.rank ?? null, traceback, tracebacks.length > 0);
  const evidence = matches.map((m) => ({ line: m.line, text: m.text }));
  if (traceback?.exception && traceback.exceptionLine !== null && !evidence.some((e) => e.line === traceback.exceptionLine)) {
    evidence.push({ line: traceback.exceptionLine, text: `${traceback.exception.type}: ${traceback.exception.message}`.slice(0, 500) });
  }
  const explanation = fill(rule.explain, groups);
  // A generic resource ("No space left", a socket timing out) raised inside a subsystem (/dev/shm, rendezvous) is that subsystem's failure.
  const subsystem = traceback ? raisingSubsystem(rule.category, traceback.frames) : null;
  if (traceback && subsystem) {
    const read = { ...fromTraceback(subsystem.category, traceback, tracebacks, 0.7), rule: rule.id, fixes: fixesFor(subsystem.category) };
    return subsystem.process ? { ...read, process: subsystem.process } : read;
  }
  return {
    category: rule.category,
    retryable: rule.retryable ?? CATEGORIES[rule.category].retryable,
    summary: `${CATEGORIES[rule.category].label}${process && process !== 'main' ? ` in ${process}` : ''}: ${explanation}`,
    evidence: evidence.sort((a, b) => a.line - b.line).slice(0, MAX_EVIDENCE),
    where: traceback ? innermostUserFrame(traceback.frames) : null,
    process,
    exception: traceback?.exception ?? null,
    confidence: Math.min(0.95, 0.7 + 0.05 * Math.min(hits.count, 3) + (traceback?.exception ? 0.05 : 0)),
    rule: rule.id,
    fixes: rule.fixes,
  };
}

/**
 * `EOFError: Ran out of input` said beside a process being started (`Process.start` → `_Popen`, as under spawn): the child
 * unpickled what its parent could not pickle and send, and found its pipe empty. No file is corrupt.
 */
function childFoundPipeEmpty(hits: RuleHits, tracebacks: Traceback[]): boolean {
  return matchesOf(hits).every((match) => RAN_OUT_OF_INPUT.test(match.text)) && tracebacks.some((tb) => startsAProcess(tb.frames));
}
const RAN_OUT_OF_INPUT = /^EOFError: Ran out of input/;

/** A rule's reading that the rest of the log showed to be another category's: the same evidence (and `more`), that category's word and fixes. */
function readAs(read: Diagnosis, category: Category, why: string, more: Evidence[] = []): Diagnosis {
  return {
    ...read,
    category,
    retryable: CATEGORIES[category].retryable,
    summary: `${CATEGORIES[category].label}: ${why}`,
    evidence: [...more, ...read.evidence].sort((a, b) => a.line - b.line).slice(0, MAX_EVIDENCE),
    fixes: fixesFor(category),
  };
}

function fromTraceback(category: Category, traceback: Traceback, tracebacks: Traceback[], confidence: number): Diagnosis {
  const exception = traceback.exception as PyException;
  const process = processFromLog(traceback.rank, traceback, tracebacks.length > 0);
  const where = innermostUserFrame(traceback.frames);
  const evidence: Evidence[] =
    traceback.exceptionLine !== null
      ? [{ line: traceback.exceptionLine, text: `${exception.type}: ${exception.message}`.slice(0, 500) }]
      : [];
  return {
    category,
    retryable: CATEGORIES[category].retryable,
    summary: `${exception.type}${process && process !== 'main' ? ` in ${process}` : ''}: ${exception.message || '(no message)'}`.slice(
      0,
      300,
    ),
    evidence,
    where,
    process,
    exception,
    confidence,
    rule: null,
    fixes: where ? [`Look at ${where.file}:${where.line} in ${where.function}`] : [],
  };
}

/** The raise statement a cut traceback ends on, read as the exception it was about to print: the catalog's, its words', its code's. */
function categoryOfRaiseStatement(frames: readonly Frame[]): Category | null {
  const raised = raisedOnLine(frames.at(-1)?.code ?? '');
  if (!raised) return null;
  const line = `${raised.type}: ${raised.message}`;
  const rule = RULES.filter((r) => r.patterns.some((pattern) => pattern.test(line))).sort((a, b) => b.priority - a.priority)[0];
  return (
    rule?.category ??
    refineByRaisingCode(categoryByVocabulary(raised), frames) ??
    categoryByRaisingCode(raised.type, frames, raised.message)
  );
}

/** The log ends inside a traceback: its innermost frame, where the code was when it raised. */
function fromCutTraceback(category: Category, traceback: Traceback): Diagnosis {
  const innermost = traceback.frames.at(-1) as Frame;
  return {
    category,
    retryable: CATEGORIES[category].retryable,
    summary: `${CATEGORIES[category].label}: the log ends inside a traceback raised in ${innermost.function} (${innermost.file.split(/[\\/]/).at(-1)})`,
    evidence: [{ line: traceback.endLine, text: `File "${innermost.file}", line ${innermost.line}, in ${innermost.function}` }],
    where: innermostUserFrame(traceback.frames),
    process: processFromLog(traceback.rank, traceback, true),
    exception: null,
    confidence: 0.3,
    rule: 'cut-traceback',
    fixes: fixesFor(category),
  };
}

/**
 * Threads' stacks that faulthandler dumped with no fatal error (`Current thread 0x… (most recent call first):`): dumped on a
 * timeout (`dump_traceback_later`) or on request (a signal, py-spy) — what one does to a job that stopped making progress.
 */
function fromStackDump(dump: Traceback): Diagnosis {
  const innermost = dump.frames.at(-1);
  const waitingIn = innermost ? ` (waiting in ${innermost.function}, ${innermost.file.split(/[\\/]/).at(-1)})` : '';
  return {
    category: 'hang',
    retryable: CATEGORIES.hang.retryable,
    summary: `${CATEGORIES.hang.label}: the log ends with the threads' stacks, dumped with no error${waitingIn}`,
    evidence: innermost ? [{ line: dump.endLine, text: `File "${innermost.file}", line ${innermost.line} in ${innermost.function}` }] : [],
    where: innermostUserFrame(dump.frames),
    process: processFromLog(dump.rank, dump, true),
    exception: null,
    confidence: 0.4,
    rule: 'stack-dump',
    fixes: fixesFor('hang'),
  };
}

function fromBareException(category: Category, exception: PyException, line: number, confidence: number): Diagnosis {
  return {
    category,
    retryable: CATEGORIES[category].retryable,
    summary: `${category === 'other' ? exception.type : CATEGORIES[category].label}: ${exception.message || '(no message)'}`.slice(0, 300),
    evidence: [{ line, text: `${exception.type}: ${exception.message}`.slice(0, 500) }],
    where: null,
    process: null,
    exception,
    confidence,
    rule: category === 'other' ? null : 'vocabulary',
    fixes: fixesFor(category),
  };
}

/** A category's advice: that of its first rule in the catalog. */
function fixesFor(category: Category): string[] {
  return RULES.find((rule) => rule.category === category)?.fixes ?? [];
}

function fromExit(category: Category, reason: string, tracebacks: Traceback[]): Diagnosis {
  const last = rootOfLastChain(tracebacks);
  return {
    category,
    retryable: CATEGORIES[category].retryable,
    summary: `${CATEGORIES[category].label}: ${reason}`,
    evidence: [],
    where: last ? innermostUserFrame(last.frames) : null,
    process: 'main',
    exception: last?.exception ?? null,
    confidence: 0.6,
    rule: null,
    fixes: EXIT_FIXES[category] ?? [],
  };
}

/** A cause the log shows without an exception (metrics, a logged error, where it stopped): no frame, no process. */
function withoutException(reading: Pick<Diagnosis, 'category' | 'summary' | 'evidence' | 'confidence' | 'rule' | 'fixes'>): Diagnosis {
  return { ...reading, retryable: CATEGORIES[reading.category].retryable, where: null, process: null, exception: null };
}

function noErrorFound(exit: ExitFacts): Diagnosis {
  const how = exit.exitCode !== undefined && exit.exitCode !== null ? ` (exit code ${exit.exitCode})` : '';
  return {
    category: 'other',
    retryable: false,
    summary: `no error found in the log${how}`,
    evidence: [],
    where: null,
    process: null,
    exception: null,
    confidence: 0.05,
    rule: null,
    fixes: [],
  };
}

const EXIT_FIXES: Partial<Record<Category, string[]>> = {
  host_oom: ['Check `dmesg | grep -i oom` and the memory limit; reduce DataLoader workers or host-side buffers'],
  segfault: ['Enable faulthandler (python -X faulthandler) to see the Python line that called native code'],
  preempted: ['Resume from the newest checkpoint'],
  shm_exhausted: ['Give the job more /dev/shm (docker --shm-size)'],
};

/** How the process ended, as evidence of a cause when the log says nothing stronger. */
function exitCategory(exit: ExitFacts): { category: Category; priority: number; reason: string } | null {
  const signal = exit.signal?.toUpperCase().replace(/^(?!SIG)/, 'SIG') ?? null;
  const code = exit.exitCode ?? null;
  if (signal === 'SIGKILL' || code === 137)
    return { category: 'host_oom', priority: 62, reason: 'killed by SIGKILL with no error in the log, the mark of the kernel OOM killer' };
  if (signal === 'SIGSEGV' || code === 139) return { category: 'segfault', priority: 62, reason: 'the process died of SIGSEGV' };
  if (signal === 'SIGBUS' || code === 135)
    return { category: 'shm_exhausted', priority: 62, reason: 'the process died of SIGBUS, typically shared memory running out' };
  if (signal === 'SIGTERM' || code === 143)
    return { category: 'preempted', priority: 56, reason: 'terminated by SIGTERM from outside (scheduler, preemption)' };
  if (signal === 'SIGINT' || code === 130) return { category: 'interrupted', priority: 56, reason: 'interrupted (SIGINT, Ctrl-C)' };
  return null;
}

function tracebackFor(match: Match, tracebacks: Traceback[]): Traceback | null {
  // DataLoader re-raises a worker's exception with the worker's own traceback right after it.
  const reraised = tracebacks.find((tb) => tb.worker !== null && tb.startLine > match.line && tb.startLine <= match.line + 3);
  if (reraised) return reraised;
  const containing = tracebacks.filter(
    (tb) => tb.startLine <= match.line && match.line <= tb.endLine && (match.rank === null || tb.rank === match.rank),
  );
  if (containing.length > 0) return containing[containing.length - 1] as Traceback;
  const after = tracebacks.find(
    (tb) =>
      tb.exception && tb.startLine > match.line && (match.rank === null || tb.rank === match.rank) && !WRAPPERS.test(tb.exception.type),
  );
  if (after) return after;
  const before = [...tracebacks]
    .reverse()
    .find((tb) => tb.exception && tb.endLine < match.line && (match.rank === null || tb.rank === match.rank));
  return before ?? null;
}

/** The original exception of the last chain of tracebacks (what was being handled when the rest happened). */
function rootOfLastChain(tracebacks: Traceback[]): Traceback | null {
  const meaningful = tracebacks.filter((tb) => tb.exception && !WRAPPERS.test(tb.exception.type));
  let index = meaningful.length - 1;
  while (index > 0 && (meaningful[index] as Traceback).chained) index -= 1;
  return meaningful[index] ?? tracebacks.at(-1) ?? null;
}

/**
 * An exception that says only that a value was never made (`UnboundLocalError: local variable 'W' referenced before
 * assignment`, a `'NoneType' object` used), a few lines after the job logged an error (`ERROR: input file was not found in
 * …`): code that caught its failure, said so, and went on without the value.
 */
function symptomOfAFailureLoggedBefore(tb: Traceback, logged: LoggedError): boolean {
  const { type, message } = tb.exception as PyException;
  const valueNeverMade = /(?:^|\.)UnboundLocalError$/.test(type) || /\breferenced before assignment\b|'NoneType' object\b/.test(message);
  return valueNeverMade && logged.line < tb.startLine && tb.startLine - logged.line <= SWALLOWED_FAILURE_LINES;
}
const SWALLOWED_FAILURE_LINES = 20;
const SYMPTOM_OF_A_LOGGED_FAILURE = 'the exception is a value the code never got, after it logged an error that names the cause';

/** The exceptions of the last chain, its root first. */
function lastChain(tracebacks: Traceback[]): Traceback[] {
  const meaningful = tracebacks.filter((tb) => tb.exception && !WRAPPERS.test(tb.exception.type));
  let index = meaningful.length - 1;
  while (index > 0 && (meaningful[index] as Traceback).chained) index -= 1;
  return meaningful.slice(Math.max(0, index));
}

function isCascadeText(tb: Traceback): boolean {
  const text = `${tb.exception?.type}: ${tb.exception?.message}`;
  return RULES.some((rule) => CASCADES.has(rule.category) && rule.patterns.some((p) => p.test(text)));
}

/** The failed process as the log tells it (rank prefixes, DataLoader's re-raise), or as it reported itself. */
function processFromLog(rank: number | null, traceback: Traceback | null, sawTraceback: boolean): string | null {
  if (traceback?.worker !== null && traceback?.worker !== undefined)
    return workerName(traceback.worker, rank !== null ? `rank ${rank}` : null);
  if (rank !== null) return `rank ${rank}`;
  if (traceback?.reporter) return traceback.reporter;
  return sawTraceback ? 'main' : null;
}

/** "{name}" placeholders; a [bracketed part] disappears when one of its names was not captured. */
function fill(template: string, groups: Record<string, string>): string {
  return template
    .replace(/\[([^\]]*)\]/g, (_, part: string) =>
      /\{(\w+)\}/.test(part) && [...part.matchAll(/\{(\w+)\}/g)].some((m) => !groups[m[1] as string]) ? '' : part,
    )
    .replace(/\{(\w+)\}/g, (_, name: string) => groups[name] ?? '');
}

function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(groups ?? {})) if (value !== undefined) out[key] = value;
  return out;
}
