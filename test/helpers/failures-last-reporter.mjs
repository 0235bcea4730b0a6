/**
 * The TAP reporter, with every failure told again just above the summary.
 *
 * CI keeps only the head and the tail of a run's 1,200-test output; a failure's details sit in the
 * middle and were lost twice (the stop/exit races, stops 24 and 27). Repeated as TAP comments
 * above `# tests N`, they land in the tail, and the run still ends with the runner's own summary.
 */
import { tap } from 'node:test/reporters';

/** @typedef {{ type: string, data: Record<string, any> }} TestEvent */

// CI keeps about 60 lines of the tail: each failure gets a few, each cut to a readable length.
const MAX_LINES_PER_FAILURE = 16;
const MAX_CHARS_PER_LINE = 2000;

// JavaScript, not TypeScript: Node 20 loads reporters before `--import tsx` takes effect.
/** @param {AsyncIterable<TestEvent>} source */
export default async function* failuresLast(source) {
  yield* tap(withFailuresBeforeSummary(source));
}

/** @param {AsyncIterable<TestEvent>} source */
async function* withFailuresBeforeSummary(source) {
  /** @type {string[]} */
  const failures = [];
  let told = false;
  for await (const event of source) {
    if (isFailure(event)) failures.push(describeFailure(event.data));
    if (!told && isSummaryStart(event)) {
      told = true;
      for (const line of failureLines(failures)) yield { type: 'test:diagnostic', data: { ...event.data, message: line } };
    }
    yield event;
  }
}

/** A test that failed: not a suite (its failing tests are told), not a test marked todo or skipped. @param {TestEvent} event */
function isFailure(event) {
  const { details, todo, skip } = event.data;
  return event.type === 'test:fail' && details?.type !== 'suite' && todo === undefined && skip === undefined;
}

/** @param {TestEvent} event */
function isSummaryStart(event) {
  return event.type === 'test:diagnostic' && event.data.nesting === 0 && /^tests \d+$/.test(event.data.message);
}

/** @param {Record<string, any>} data */
function describeFailure(data) {
  const error = data.details?.error?.cause ?? data.details?.error;
  const message = String(error?.message ?? error);
  // The test's own frames say where; the runner's frames (node:…) say nothing.
  const frames = String(error?.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !/\(node:|at node:/.test(line))
    .slice(0, 3);
  const where = data.file ? ` (${data.file}${data.line ? `:${data.line}` : ''})` : '';
  const lines = [`${data.name}${where}`, ...message.split('\n').filter((line) => line.trim() !== ''), ...frames];
  return lines
    .slice(0, MAX_LINES_PER_FAILURE)
    .map((line) => line.slice(0, MAX_CHARS_PER_LINE))
    .join('\n');
}

/** @param {string[]} failures */
function failureLines(failures) {
  if (failures.length === 0) return [];
  const lines = [`failures, told again (${failures.length}):`];
  failures.forEach((failure, i) => lines.push(...`${i + 1}. ${failure}`.split('\n').map((line) => `  ${line}`)));
  return lines;
}
