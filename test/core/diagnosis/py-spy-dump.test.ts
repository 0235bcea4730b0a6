import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pySpyToFaulthandler } from '../../../src/core/diagnosis/py-spy-dump.ts';
import { mainThreadFrames, parseStackDump } from '../../../src/core/diagnosis/stack-dump.ts';

// The shape of `py-spy dump --json` (py-spy src/stack_trace.rs: StackTrace, Frame), frames innermost first.
const dump = JSON.stringify([
  {
    pid: 4242,
    thread_id: 139900,
    thread_name: 'pin_memory',
    os_thread_id: 4250,
    active: false,
    owns_gil: false,
    frames: [{ name: 'wait', filename: '/usr/lib/python3.11/threading.py', module: null, short_filename: null, line: 320, locals: null }],
    process_info: null,
  },
  {
    pid: 4242,
    thread_id: 139800,
    thread_name: 'MainThread',
    os_thread_id: 4242,
    active: true,
    owns_gil: true,
    frames: [
      { name: 'acquire', filename: '<frozen importlib._bootstrap>', line: 0, locals: null },
      { name: 'wait_for_batch', filename: '/jobs/train.py', line: 15, locals: null },
      { name: '<module>', filename: '/jobs/train.py', line: 30, locals: null },
    ],
    process_info: null,
  },
]);

test('py-spy JSON becomes a faulthandler dump: threads, frames innermost first, the main thread found', () => {
  const text = pySpyToFaulthandler(dump) as string;
  const threads = parseStackDump(text);
  assert.equal(threads.length, 2);
  assert.deepEqual(
    threads[1]?.frames.map((f) => `${f.file}:${f.line} ${f.function}`),
    ['<frozen importlib._bootstrap>:0 acquire', '/jobs/train.py:15 wait_for_batch', '/jobs/train.py:30 <module>'],
  );
  assert.deepEqual(
    mainThreadFrames(text).map((f) => f.function),
    ['acquire', 'wait_for_batch', '<module>'],
  );
});

test('anything but py-spy JSON is refused', () => {
  for (const text of ['', 'Error: Permission denied (os error 13)', '{}', '[]', '[{"pid": 1}]'])
    assert.equal(pySpyToFaulthandler(text), null, text);
});
