/** Tracebacks as notebooks and C++ frameworks print them: synthetic logs in their shapes. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

test("a notebook's source listing names what could be raised, not what was: the final exception decides", () => {
  const log = [
    '/env/lib/python3.9/site-packages/fetcher/cache.py in get_from_cache(url, cache_dir)',
    '    310             raise FileNotFoundError("no file at {}".format(url))',
    '    311         _check_offline(url)',
    '--> 312         raise ConnectionError("Could not reach {}".format(url))',
    '',
    'ConnectionError: Could not reach https://data.example.org/corpus/train.zip',
  ].join('\n');
  assert.equal(diagnoseText(log).category, 'network_error');
});

test('an IPython traceback cut before its last line: the header names the exception (here a socket timeout in urllib)', () => {
  const log = [
    '---------------------------------------------------------------------------',
    'TimeoutError                              Traceback (most recent call last)',
    'File ~/env/lib/python3.11/urllib/request.py:1348, in AbstractHTTPHandler.do_open(self, http_class, req)',
    '   1347 try:',
    '-> 1348     h.request(req.get_method(), req.selector, req.data, headers)',
    '',
    'File ~/env/lib/python3.11/http/client.py:1303, in HTTPConnection.request(self, method, url, body)',
    '-> 1303 self._send_request(method, url, body, headers)',
  ].join('\n');
  assert.equal(diagnoseText(log).category, 'network_error');
});

test("a CUDA call's out-of-memory status in a C++ framework's check is a CUDA OOM", () => {
  for (const line of [
    'F0101 10:00:00.000000 12345 cuda_util.cpp:88] Check failed: error == cudaSuccess (2 vs. 0) out of memory',
    '[10:00:00] src/storage/pooled_storage_manager.h:111: cudaMalloc failed: out of memory',
  ])
    assert.equal(diagnoseText(`${line}\n*** Check failure stack trace: ***\n`).category, 'cuda_oom', line);
  assert.notEqual(diagnoseText('Killed: host out of memory\n').category, 'cuda_oom');
});

test('a program that logs the Ctrl-C in words, then fails while shutting down, was interrupted', () => {
  const log = [
    'INFO step 1920: loss=1.68',
    'CRITICAL Keyboard interrupt. Ending early.',
    'Traceback (most recent call last):',
    '  File "run.py", line 9, in <module>',
    '    summarize(log)',
    "KeyError: 'reward'",
  ].join('\n');
  assert.equal(diagnoseText(log).category, 'interrupted');
});

test("Gloo's pair connect timing out while the group is made is set-up failing, not a collective's timeout", () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "trainer.py", line 315, in train',
    '    workspace.RunNetOnce(model.param_init_net)',
    'RuntimeError: [/src/third_party/gloo/gloo/transport/tcp/pair.cc:611] Connect timeout [10.0.0.13]:27023',
  ].join('\n');
  assert.equal(diagnoseText(log).category, 'dist_init_error');
});
