/**
 * `py-spy dump --json` output (a list of threads, frames innermost first; see py-spy's
 * src/stack_trace.rs), rewritten as a faulthandler dump so the stacks of processes without the
 * Python hooks go through the same parsing, hang diagnosis and rendering. Pure.
 */

type PySpyFrame = { name?: unknown; filename?: unknown; line?: unknown };
type PySpyThread = { thread_id?: unknown; thread_name?: unknown; frames?: unknown };

/** null when the text is not py-spy's JSON. */
export function pySpyToFaulthandler(json: string): string | null {
  let threads: unknown;
  try {
    threads = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(threads)) return null;
  const blocks = (threads as PySpyThread[]).filter((t) => Array.isArray(t?.frames)).map(threadBlock);
  return blocks.length > 0 ? blocks.join('\n') : null;
}

function threadBlock(thread: PySpyThread): string {
  const id = typeof thread.thread_id === 'number' ? thread.thread_id : 0;
  const name = typeof thread.thread_name === 'string' ? ` "${thread.thread_name}"` : '';
  const header = `Thread 0x${id.toString(16).padStart(16, '0')} (most recent call first):${name}`;
  const frames = (thread.frames as PySpyFrame[]).map((frame) => {
    const line = typeof frame.line === 'number' && frame.line > 0 ? frame.line : 0;
    return `  File "${String(frame.filename ?? '???')}", line ${line} in ${String(frame.name ?? '???')}`;
  });
  return [header, ...frames].join('\n') + '\n';
}
