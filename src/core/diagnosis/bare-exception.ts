/**
 * The last exception line printed on its own (`RuntimeError: …` with no `Traceback` header above
 * it): what a user pastes, what a launcher echoes, what rich tracebacks end with after their box.
 * The traceback parser needs a header; this keeps the final word of a log that has none.
 */

import { MessageBelow, type PyException } from './traceback.ts';

/**
 * An unindented `pkg.mod.SomethingError: message`: the type must look like an exception class
 * (`Exception` itself too: `raise Exception("…")` is common in training scripts), or be one by the module that defines it
 * (`torch._dynamo.exc.Unsupported`, `….errors.ConfigCompositionException`, `….exceptions.RayTaskFailed`).
 * TensorFlow 1 prints `InvalidArgumentError (see above for traceback): message` after an op's creation stack.
 * Markdown a paste kept before it (`**"MXNetError: …`, a backtick) is no part of it; nor is JAX's wrapper of the
 * exception with its frames unfiltered (`UnfilteredStackTrace: flax.errors.ScopeParamShapeError: …`).
 */
const BARE_EXCEPTION =
  /^(?:[*_`"']{1,3}(?=[A-Za-z_]))?(?:(?:[\w.]+\.)?UnfilteredStackTrace: )?(?<type>(?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*(?:Error|Exception|Interrupt|Failure|Fault)|Exception)|(?:[A-Za-z_]\w*\.)*(?:exc|errors|exceptions)\.[A-Z]\w*)(?: \(see above for traceback\))?(?::\s?(?<message>.*))?$/;

/**
 * A call refused, pasted without its `TypeError: `: by PyTorch's argument parser (`dropout(): argument 'input' (position 1)
 * must be Tensor, not str`, `linear() received an invalid combination of arguments - got (…)`) or by Python itself
 * (`sample_images() got an unexpected keyword argument 'num_frames'`, `forward() missing 1 required positional argument: 'x'`,
 * `f() takes 2 positional arguments but 3 were given`): a TypeError all the same.
 */
const CALL_REFUSED =
  /^[\w.]+\(\)(?::? argument '\w+' (?:\(position \d+\) )?must be [\w.[\]]+, not [\w.]+|:? received an invalid combination of arguments\b| got an unexpected keyword argument '\w+'| got multiple values for argument '\w+'| missing \d+ required (?:positional|keyword-only) arguments?:| takes (?:from \d+ to )?\d+ positional arguments? but \d+ (?:were|was) given)/;

/** Literals a line must hold to be one (for the diagnoser's prefilter). */
export const BARE_EXCEPTION_LITERALS: readonly string[] = [
  "(): argument '",
  '() received an invalid combination of arguments',
  '() got ',
  '() missing ',
  '() takes ',
  'Error',
  'Exception',
  'Interrupt',
  'Failure',
  'Fault',
  // (`….errors.X` and `….exceptions.X` hold `Error` and `Exception`: the prefilter matches without case.)
  'exc.',
];

export type BareException = { exception: PyException; line: number };

export class BareExceptionTracker {
  last: BareException | null = null;
  /** The last one ended at its colon (`RuntimeError: `): the indented lines below it are its message. */
  #messageBelow: MessageBelow | null = null;

  /** True while the lines below the last one may still be its message: then every line matters. */
  get waiting(): boolean {
    return this.#messageBelow !== null;
  }

  push(text: string, lineNo: number): void {
    if (this.#messageBelow) {
      if (this.#messageBelow.take(text)) return;
      this.#messageBelow = null;
    }
    if (text.length === 0 || text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9) return;
    const line = text.trimEnd();
    if (line.includes('()') && CALL_REFUSED.test(line)) {
      this.last = { exception: { type: 'TypeError', message: line.slice(0, 2000) }, line: lineNo };
      return;
    }
    const match = BARE_EXCEPTION.exec(line);
    if (!match?.groups) return;
    const message = (match.groups.message ?? '').trim().slice(0, 2000);
    const exception = { type: match.groups.type as string, message };
    this.last = { exception, line: lineNo };
    if (message === '' && match.groups.message !== undefined) this.#messageBelow = new MessageBelow(exception);
  }
}
