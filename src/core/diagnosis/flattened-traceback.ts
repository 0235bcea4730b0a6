/**
 * A traceback whose line breaks a paste lost (`Traceback (most recent call last): File "a.py", line 3, in f x = g()
 * IndexError: …`, an issue written without a code block): its lines again, as Python printed them, for the
 * traceback parser, which reads one line at a time.
 */

const HEADER = 'Traceback (most recent call last):';
/** The header with a frame after it on the same line. */
const FLATTENED = /Traceback \(most recent call last\):\s+File "/;
const FRAME = /\s*File "([^"]+)", line (\d+), in (\S+)\s*/g;
/** The exception after the innermost frame's source line (`… [:, :, 3] IndexError: index 3 is out of bounds`). */
const EXCEPTION_AFTER_CODE = /\s((?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Interrupt|Exit|Iteration|Fault)(?::\s.*|:?$))/;

/** What a line must hold to be one: the header with something after it (cheap to look for on every line). */
export const FLATTENED_MARK = 'call last): ';

/** The lines of a traceback flattened onto `line`, and whatever came before it; null when there is none. */
export function unflattenedTraceback(line: string): string[] | null {
  if (!FLATTENED.test(line)) return null;
  const start = line.indexOf(HEADER);
  const lines = start > 0 && line.slice(0, start).trim() !== '' ? [line.slice(0, start).trimEnd()] : [];
  // Chained exceptions: each traceback in turn.
  for (const part of line.slice(start).split(/(?=Traceback \(most recent call last\):)/)) {
    lines.push(HEADER, ...frameLines(part.slice(HEADER.length)));
  }
  return lines;
}

function frameLines(text: string): string[] {
  const frames = [...text.matchAll(FRAME)];
  if (frames.length === 0) return text.trim() === '' ? [] : [text.trim()];
  const lines: string[] = [];
  frames.forEach((frame, i) => {
    const [, file, lineNo, fn] = frame;
    lines.push(`  File "${file}", line ${lineNo}, in ${fn}`);
    const body = text.slice(frame.index + frame[0].length, frames[i + 1]?.index ?? text.length).trim();
    if (i < frames.length - 1) {
      if (body !== '') lines.push(`    ${body}`);
      return;
    }
    const exception = EXCEPTION_AFTER_CODE.exec(` ${body}`);
    const code = exception ? ` ${body}`.slice(0, exception.index).trim() : body;
    if (code !== '') lines.push(`    ${code}`);
    if (exception) lines.push((exception[1] as string).trim());
  });
  return lines;
}
