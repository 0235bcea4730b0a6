/**
 * Lines a program logged at error severity (`[Error] [gpu.plugin] …`, `ERROR: …`, `| ERROR | …`)
 * in a log with no exception: native programs and simulators report their failures that way. The
 * first one whose words name a cause is kept: an error logged early is usually the root of those
 * after it.
 */

import type { Category } from './categories.ts';
import { categoryByVocabulary } from './vocabulary.ts';

/**
 * The severity as loggers print it: bracketed, or a bare upper-case word before a colon or a bar;
 * glog's fatal or error check (Caffe, MXNet; TensorFlow's C++ as `date time: F file:line] Check failed:`). (Lines reach the diagnoser when they
 * hold `error` or a check that failed: glog's other `E0512 …` lines and `FATAL` alone do not.) The CUDA error-check macro
 * custom ops copy from one another prints `GPUassert: <cudaGetErrorString> <file> <line>` before it exits; ggml (llama.cpp,
 * whisper.cpp) aborts on `GGML_ASSERT: <file>:<line>: <condition>`; PyTorch's THC library (≤ 0.4) on
 * `THCudaCheck FAIL file=<file> line=<n> error=<code> : <cudaGetErrorString>`; C++'s uncaught exception its message
 * (`terminate called after throwing an instance of 'gloo::IoException'`, then `  what():  … Wait timeout for key(s): 0`); libc++'s
 * (clang, macOS) on one line (`libc++abi: terminating due to uncaught exception of type gloo::EnforceNotMet: [enforce fail at …]`);
 * a Rust program's panic (candle, burn, tokenizers: `thread 'main' panicked at 'called \`Result::unwrap()\` on an \`Err\` value: …'`);
 * C's assert() in native code, as macOS's and Windows' libc word it (`Assertion failed: (input_size == 3), function f, file
 * x.m, line 130.`) and glibc does (`python: ops.c:12: f: Assertion \`n > 0' failed.`).
 */
const ERROR_SEVERITY =
  /\[(?:error|ERROR|Error)\]|(?:^|[\s|\]-])(?:ERROR|CRITICAL)(?=[\s:\]|-]|$)|^(?:[FE]\d{4} |\d{4}-\d\d-\d\d [\d:.]+: [FE] )[^\]]*\] Check failed: |^\s*GPUassert: |\bGGML_ASSERT: |\bTHCudaCheck FAIL\b|^Error(?: in .+?)?: |\bwhat\(\): |\buncaught exception of type |^thread '[^']*' panicked at |^Assertion failed: |: Assertion `[^\n]*' failed\./;

/** Literals for the diagnoser's prefilter: a native check that failed (glog's `F0727 … eltwise_layer.cpp:34] Check failed: …`), which says no `error`. */
export const LOGGED_ERROR_LITERALS: readonly string[] = [
  '] check failed: ',
  'gpuassert: ',
  'ggml_assert: ',
  'thcudacheck fail',
  'what(): ',
  'terminate called after throwing',
  'uncaught exception of type ',
  "' panicked at ",
  'assertion failed: ',
  'assertion `',
];

/** A Rust panic since 1.73 (`thread 'main' panicked at src/main.rs:10:5:`): its message is the next line. */
const PANIC_MESSAGE_BELOW = /panicked at \S+:\d+:\d+:\s*$/;

/** A Rust panic in a thread named for data loading. */
const LOADER_THREAD_PANICKED = /^thread '[^']*(?:data ?loader|loader|worker)[^']*' panicked at /i;

/** C++'s report of an uncaught exception, before its `what():` line: the exception's type (`thrust::system::system_error`). */
const UNCAUGHT_CPP = /terminate called after throwing an instance of '([^']+)'/;

export type LoggedError = { line: number; text: string; category: Category };

/** How many error lines are read for a cause: the first ones are the root; a log that logs errors by the million is not read a million times over. */
const MAX_EXAMINED = 256;

export class LoggedErrors {
  /** The first line logged at error severity whose words name a cause, or null. */
  first: LoggedError | null = null;
  #examined = 0;
  /**
   * The C++ exception reported uncaught on the line before: its `what():` is read with its type (a library's name says
   * whose memory ran out); no later line is.
   */
  #thrown: { type: string; line: number } | null = null;
  /** A panic whose message is the next line (PANIC_MESSAGE_BELOW), with its line number. */
  #panic: { text: string; line: number } | null = null;

  /** True while the next line is a panic's message: then it matters whatever it says. */
  get waiting(): boolean {
    return this.#panic !== null;
  }

  push(text: string, lineNo: number): void {
    if (this.first !== null || this.#examined >= MAX_EXAMINED) return;
    const panic = this.#panic;
    if (panic) {
      this.#panic = null;
      if (panic.line === lineNo - 1) return this.#read(`${panic.text} ${text.trim()}`, panic.line);
    }
    const thrown = text.includes('terminate called') ? UNCAUGHT_CPP.exec(text) : null;
    if (thrown) this.#thrown = { type: thrown[1] as string, line: lineNo };
    if (!ERROR_SEVERITY.test(text)) return;
    if (PANIC_MESSAGE_BELOW.test(text)) {
      this.#panic = { text: text.trim(), line: lineNo };
      return;
    }
    this.#read(text, lineNo);
  }

  #read(text: string, lineNo: number): void {
    this.#examined += 1;
    const type = this.#thrown?.line === lineNo - 1 ? this.#thrown.type : null;
    // A data-loading worker's own panic (DeepFilterNet's Rust loader: `thread 'DataLoader Worker 1' panicked at …`): its bug.
    if (LOADER_THREAD_PANICKED.test(text)) {
      this.first = { line: lineNo, text: text.trim().slice(0, 500), category: 'dataloader_worker_error' };
      return;
    }
    const message = type ? `${type}: ${text}` : text;
    // An error named by its identifier alone (candle's `ShapeMismatchBinaryOp { lhs: [2, 4, 1], … }`) is read by its words.
    const category =
      categoryByVocabulary({ type: '', message }) ?? categoryByVocabulary({ type: '', message: identifiersAsWords(message) });
    if (category) this.first = { line: lineNo, text: text.trim().slice(0, 500), category };
  }
}

/** CamelCase identifiers split into words (`ShapeMismatchBinaryOp` → `Shape Mismatch Binary Op`). */
function identifiersAsWords(text: string): string {
  return text.replace(/([a-z])(?=[A-Z])/g, '$1 ');
}
