import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAUSE_EXIT_CODES, causeExitCode } from '../../../src/core/kubernetes/cause-exit-code.ts';
import {
  TERMINATION_LOG_DEFAULT,
  TERMINATION_MESSAGE_MAX_BYTES,
  terminationLogPath,
  terminationMessage,
} from '../../../src/core/kubernetes/termination-message.ts';

test('exit codes by cause: success, a failure a retry may cure, one that will repeat, a stop from outside', () => {
  assert.equal(causeExitCode('succeeded', null), 0);
  assert.equal(causeExitCode('failed', { retryable: true }), CAUSE_EXIT_CODES.retryMayHelp);
  assert.equal(causeExitCode('failed', null), CAUSE_EXIT_CODES.retryMayHelp, 'no diagnosis: a retry is not ruled out');
  assert.equal(causeExitCode('failed', { retryable: false }), CAUSE_EXIT_CODES.fixFirst);
  assert.equal(causeExitCode('stopped', null), CAUSE_EXIT_CODES.stopped);
});

test('the termination message: the end, the cause, the fixes, within what Kubernetes keeps', () => {
  const message = terminationMessage({
    runId: 'r1',
    status: 'failed',
    jobExit: 'exit code 1',
    diagnosis: {
      category: 'cuda_oom',
      summary: 'CUDA out of memory',
      retryable: false,
      fixes: ['lower the batch size', 'x'.repeat(10_000)],
    },
  });
  assert.match(message, /^vigil run r1: failed, exit code 1\ncause: cuda_oom: CUDA out of memory\nretry: will not help/);
  assert.ok(Buffer.byteLength(message) <= TERMINATION_MESSAGE_MAX_BYTES);
  assert.ok(Buffer.byteLength(terminationMessage({ runId: 'r', status: 'failed', jobExit: 'é'.repeat(5000), diagnosis: null })) <= 4096);
});

test("where the message goes: as given ('' for nowhere), else Kubernetes' path inside a pod only", () => {
  const inPod = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
  assert.equal(
    terminationLogPath('/tmp/x', {}, () => false),
    '/tmp/x',
  );
  assert.equal(
    terminationLogPath('', inPod, () => true),
    null,
  );
  assert.equal(
    terminationLogPath(undefined, inPod, () => true),
    TERMINATION_LOG_DEFAULT,
  );
  assert.equal(
    terminationLogPath(undefined, inPod, () => false),
    null,
  );
  assert.equal(
    terminationLogPath(undefined, {}, () => true),
    null,
  );
});
