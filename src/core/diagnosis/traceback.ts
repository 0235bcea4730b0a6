/**
 * Finds Python tracebacks in a log, line by line: plain ones, DataLoader's re-raised
 * "Original Traceback", chained ones ("During handling…", "The above exception was the direct
 * cause…"), faulthandler dumps ("Current thread … (most recent call first)"), IPython/Jupyter
 * (`----> 12` and `file.py in func(...)`) and rich (`file.py:12 in func`) renderings. Lines
 * arrive already normalised (no rank prefix, no `\r` noise), with the rank kept separately, so
 * interleaved ranks each get their own traceback.
 */

import { requiredLiterals } from '../text/required-literals.ts';

/** A frame of a traceback; `code`: the source line Python printed under it, when it did. */
export type Frame = { file: string; line: number; function: string; code?: string };
export type PyException = { type: string; message: string };

export type Traceback = {
  startLine: number;
  endLine: number;
  rank: number | null;
  /** "DataLoader worker N" when DataLoader re-raised it from a worker. */
  worker: number | null;
  frames: Frame[];
  exception: PyException | null;
  exceptionLine: number | null;
  /** This traceback was raised while handling the previous one of the same process. */
  chained: boolean;
  faulthandler: boolean;
  /** The process that reported this exception itself (see process-names.ts), when the log does not say. */
  reporter?: string;
};

const MAX_FRAMES = 200;
/** Of a frame's source line only its start is kept: enough to read a bare assertion's condition. */
const MAX_CODE = 200;
const MAX_KEPT = 64;

const START =
  /^\s*(?:Original |[\w.]+:? +)?Traceback \(most recent call last\):?\s*$|^\s*(?:Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):|^\s*Stack \(most recent call first\):/;
/** `File "x.py", line 3, in fn`; `, in` alone where a paste lost `<module>` (GitHub renders it as an HTML tag). */
export const FRAME = /^\s*File "(?<file>[^"]+)", line (?<line>\d+)(?:(?:, in | in )(?<fn>.+?)|,? in)?\s*$/;
const IPYTHON_FILE = /^(?<file>\S.*?\.py) in (?<fn>[\w<>.]+)\(.*$/;
const IPYTHON_ARROW = /^-+> ?(?<line>\d+)\s/;
/** IPython 8's frame of a notebook cell (`Cell In[15], line 2`); its frames in files are `File /x.py:181, in f()` (RICH_FRAME). */
const IPYTHON_CELL = /^Cell In\s?\[(?<cell>\d+)\], line (?<line>\d+)/;
const RICH_FRAME = /(?<file>[\w./\\~:-]+\.py):(?<line>\d+),? in (?<fn>[\w<>.]+)/;
/** IPython's header names the exception before the frames: `TimeoutError      Traceback (most recent call last)`. */
const IPYTHON_HEADER = /^\s*(?<type>[\w.]+)\s{2,}Traceback \(most recent call last\)/;
/**
 * VS Code's (debugpy's) exception header, `Exception has occurred: ValueError`, then the message on
 * the next line and the frames below it.
 */
const DEBUGGER_HEADER = /^Exception has occurred: (?<type>[A-Za-z_][\w.]*)/;
/** How much of a message printed below its exception's line is kept: its first lines say what failed. */
const MAX_BELOW_MESSAGE = 400;

/** A rule of asterisks, equals signs or dashes framing a message (NLTK's resource lookup): no words of it. */
const RULE_LINE = /^\s*([*=~#-])\1{9,}\s*$/;

/**
 * The message of an exception whose line ended at its colon (`RuntimeError: `), read from the
 * lines below it: the indented lines that follow, joined (one blank line is a gap in it, a rule
 * framing it is skipped), up to a line that is not indented or is a frame.
 */
export class MessageBelow {
  readonly exception: PyException;
  #parts: string[] = [];
  #gap = false;

  constructor(exception: PyException) {
    this.exception = exception;
  }

  /** True when `line` belonged to the message (and was taken into it); false when the message ended before it. */
  take(line: string): boolean {
    if (RULE_LINE.test(line)) return true;
    const text = line.trim();
    // One blank line inside the message is a gap in it (an indented blank line arrives trimmed).
    if (text === '') {
      if (this.#parts.length === 0 || this.#gap) return false;
      this.#gap = true;
      return true;
    }
    if (!/^\s/.test(line) || FRAME.test(line) || START.test(line) || this.exception.message.length >= MAX_BELOW_MESSAGE) return false;
    this.#gap = false;
    this.#parts.push(text);
    this.exception.message = this.#parts.join(' ').slice(0, MAX_BELOW_MESSAGE);
    return true;
  }
}

/** `pkg.SomeError: message`; TensorFlow 1's `SomeError (see above for traceback): message`. */
const EXCEPTION = /^(?<type>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(?: \(see above for traceback\))?(?::\s?(?<message>.*))?$/;
const CHAIN =
  /^During handling of the above exception, another exception occurred:|^The above exception was the direct cause of the following exception:/;
/** DataLoader re-raising a worker's exception in the iterating process. */
export const DATALOADER_WORKER = /Caught \w+ in DataLoader worker process (\d+)/;

/**
 * Where a traceback's exception line stands, a qualified class name is one whatever its suffix
 * (voluptuous' `voluptuous.error.MultipleInvalid`, OpenCV's `cv2.error`): Python prints it with
 * its module. Not a logger's lower-case name (`torch.distributed.elastic.api: [WARNING] …`).
 */
const QUALIFIED_EXCEPTION_TYPE = /^[A-Za-z_]\w*(?:\.\w+)*\.(?:_?[A-Z]\w*[a-z]\w*|error)$/;

function looksLikeExceptionType(type: string): boolean {
  const last = type.slice(type.lastIndexOf('.') + 1);
  return (
    /^[A-Z]/.test(last) &&
    /(?:Error|Exception|Interrupt|Exit|Fault|Failure|Warning|Iteration|Timeout|Abort)$|^(?:KeyboardInterrupt|SystemExit|StopIteration)$/.test(
      last,
    )
  );
}

/** Literals of the only lines that matter while no traceback is open (see `inside`). */
export const TRACEBACK_TRIGGERS: readonly string[] = [START, CHAIN, DATALOADER_WORKER, FRAME, DEBUGGER_HEADER].flatMap((pattern) => {
  const literals = requiredLiterals(pattern);
  if (!literals) throw new Error(`no literal in ${pattern}`);
  return literals;
});

/** `headerType`: the exception IPython's header named, for a traceback cut before its last line. */
type Open = {
  traceback: Traceback;
  ipythonFile: { file: string; fn: string } | null;
  headerType: string | null;
  /** Below a debugger's header: the next line is the exception's message (null once read, or for other headers). */
  headerMessage: string | null;
  /** The last line was a frame: a line with no indentation next is its code, in a paste that lost its indentation. */
  afterFrame: boolean;
};

export class TracebackCollector {
  readonly tracebacks: Traceback[] = [];
  #open = new Map<string, Open>();
  #chainPending = new Set<string>();
  #workerHint = new Map<string, number>();
  /** Exceptions whose line ended at its colon (`RuntimeError: `): the indented lines below are the message. */
  #messageBelow = new Map<string, MessageBelow>();

  /** True while a traceback is open or its message is still to come: then every line matters; otherwise only TRACEBACK_TRIGGERS lines do. */
  get inside(): boolean {
    return this.#open.size > 0 || this.#messageBelow.size > 0;
  }

  /** Feed lines in order (every line while `inside`); `lineNo` is 1-based. */
  push(text: string, rank: number | null, lineNo: number): void {
    const key = String(rank);
    const trimmed = text.trimEnd();
    if (this.#messageBelow.size > 0 && this.#continuesMessage(key, trimmed)) return;
    const worker = DATALOADER_WORKER.exec(trimmed);
    if (worker) this.#workerHint.set(key, Number(worker[1]));

    if (START.test(trimmed)) {
      this.#close(key, lineNo - 1);
      this.#openAt(key, rank, lineNo, {
        faulthandler: /most recent call first/.test(trimmed),
        fromWorker: /^\s*Original Traceback/.test(trimmed) ? (this.#workerHint.get(key) ?? null) : null,
        headerType: headerTypeOf(trimmed),
      });
      return;
    }
    const debuggerType = DEBUGGER_HEADER.exec(trimmed)?.groups?.type;
    if (debuggerType && looksLikeExceptionType(debuggerType)) {
      this.#close(key, lineNo - 1);
      this.#openAt(key, rank, lineNo, { faulthandler: false, fromWorker: null, headerType: debuggerType }).headerMessage = '';
      return;
    }
    if (CHAIN.test(trimmed.trim())) {
      this.#close(key, lineNo - 1);
      this.#chainPending.add(key);
      return;
    }
    // A paste that starts below its header (or a SyntaxError, which prints none): its first frame opens it.
    const open =
      this.#open.get(key) ??
      (FRAME.test(trimmed) ? this.#openAt(key, rank, lineNo, { faulthandler: false, fromWorker: null, headerType: null }) : null);
    if (!open) return;
    const tb = open.traceback;
    tb.endLine = lineNo;
    const afterFrame = open.afterFrame;
    open.afterFrame = false;
    if (open.headerMessage === '' && trimmed.trim() !== '' && !FRAME.test(trimmed)) {
      open.headerMessage = trimmed.trim().slice(0, 2000);
      return;
    }

    const frame = FRAME.exec(trimmed) ?? RICH_FRAME.exec(trimmed);
    if (frame?.groups) {
      this.#addFrame(tb, {
        file: frame.groups.file as string,
        line: Number(frame.groups.line),
        function: (frame.groups.fn ?? '').trim(),
      });
      open.afterFrame = true;
      return;
    }
    const cell = IPYTHON_CELL.exec(trimmed);
    if (cell?.groups) {
      this.#addFrame(tb, { file: `Cell In[${cell.groups.cell}]`, line: Number(cell.groups.line), function: '<module>' });
      return;
    }
    const ipythonFile = IPYTHON_FILE.exec(trimmed);
    if (ipythonFile?.groups) {
      open.ipythonFile = { file: ipythonFile.groups.file as string, fn: ipythonFile.groups.fn as string };
      return;
    }
    const arrow = IPYTHON_ARROW.exec(trimmed);
    if (arrow?.groups) {
      if (open.ipythonFile)
        this.#addFrame(tb, { file: open.ipythonFile.file, line: Number(arrow.groups.line), function: open.ipythonFile.fn });
      open.ipythonFile = null;
      return;
    }
    // The frame's source line (`    assert os.path.exists(path)`): what a bare assertion asserted.
    const innermost = tb.frames.at(-1);
    if (afterFrame && innermost && /^\s/.test(text) && trimmed.trim() !== '') innermost.code = trimmed.trim().slice(0, MAX_CODE);
    if (trimmed === '' || /^\s/.test(text) || /^[│╭╰|~^]/.test(trimmed) || /^-+$/.test(trimmed)) return;
    if (/^<no Python frame>$|^\.\.\.$/.test(trimmed.trim())) return;

    const exception = EXCEPTION.exec(trimmed) ?? /^(?<type>[A-Za-z_][\w.]*(?:Error|Exception))(?::\s?(?<message>.*))?/.exec(trimmed);
    const type = exception?.groups?.type as string;
    if (exception?.groups && (looksLikeExceptionType(type) || QUALIFIED_EXCEPTION_TYPE.test(type)) && !tb.faulthandler) {
      tb.exception = { type: exception.groups.type as string, message: (exception.groups.message ?? '').trim().slice(0, 2000) };
      tb.exceptionLine = lineNo;
      if (tb.exception.message === '' && exception.groups.message !== undefined)
        this.#messageBelow.set(key, new MessageBelow(tb.exception));
      this.#close(key, lineNo);
      return;
    }
    // faulthandler dumps list several threads; any other unindented line ends the traceback.
    if (tb.faulthandler && /^(?:Current thread|Thread) 0x/.test(trimmed)) return;
    // A frame's code in a traceback pasted flat.
    if (afterFrame && !tb.faulthandler) return;
    this.#close(key, lineNo - 1);
  }

  #openAt(
    key: string,
    rank: number | null,
    lineNo: number,
    how: { faulthandler: boolean; fromWorker: number | null; headerType: string | null },
  ): Open {
    const open: Open = {
      traceback: {
        startLine: lineNo,
        endLine: lineNo,
        rank,
        worker: how.fromWorker,
        frames: [],
        exception: null,
        exceptionLine: null,
        chained: this.#chainPending.delete(key),
        faulthandler: how.faulthandler,
      },
      ipythonFile: null,
      headerType: how.headerType,
      headerMessage: null,
      afterFrame: false,
    };
    this.#open.set(key, open);
    return open;
  }

  /** The line after an exception that ended at its colon: its message when indented; either way the wait ends. */
  #continuesMessage(key: string, line: string): boolean {
    const below = this.#messageBelow.get(key);
    if (!below) return false;
    if (below.take(line)) return true;
    this.#messageBelow.delete(key);
    return false;
  }

  /** Closes whatever is still open (a log cut mid-traceback). */
  finish(lastLine: number): Traceback[] {
    for (const key of [...this.#open.keys()]) this.#close(key, lastLine);
    return this.tracebacks;
  }

  #addFrame(tb: Traceback, frame: Frame): void {
    // Keep the outermost and innermost frames of very deep stacks (recursion).
    if (tb.frames.length >= MAX_FRAMES) tb.frames.splice(MAX_FRAMES / 2, 1);
    tb.frames.push(frame);
  }

  #close(key: string, endLine: number): void {
    const open = this.#open.get(key);
    if (!open) return;
    this.#open.delete(key);
    const tb = open.traceback;
    tb.endLine = Math.max(tb.startLine, Math.min(tb.endLine, endLine));
    if (!tb.exception && open.headerType && (tb.frames.length > 0 || open.headerMessage)) {
      tb.exception = { type: open.headerType, message: open.headerMessage ?? '' };
      tb.exceptionLine = tb.startLine;
    }
    if (tb.frames.length === 0 && !tb.exception) return;
    this.tracebacks.push(tb);
    if (this.tracebacks.length > MAX_KEPT) this.tracebacks.splice(1, 1); // keep the first (often the root) and the latest
  }
}

function headerTypeOf(line: string): string | null {
  const type = IPYTHON_HEADER.exec(line)?.groups?.type;
  return type && looksLikeExceptionType(type) ? type : null;
}

const LIBRARY_PATH =
  /site-packages|dist-packages|[\\/]lib(?:64)?[\\/]python\d(?:\.\d+)?[\\/]|[\\/]Lib[\\/](?!site-packages)[\w]+\.py$|^<frozen |^<string>$|[\\/]anaconda\d?[\\/]lib[\\/]|[\\/]miniconda\d?[\\/]lib[\\/]|[\\/]envs[\\/][^\\/]+[\\/]lib[\\/]|[\\/]\.pyenv[\\/]versions[\\/]|^\/usr\/lib\//;

export function isUserFrame(frame: Frame): boolean {
  return !LIBRARY_PATH.test(frame.file) && !frame.file.startsWith('<');
}

/** The innermost frame in the user's own code (not site-packages, not the standard library). */
export function innermostUserFrame(frames: readonly Frame[]): Frame | null {
  for (let i = frames.length - 1; i >= 0; i -= 1) if (isUserFrame(frames[i] as Frame)) return frames[i] as Frame;
  return null;
}
