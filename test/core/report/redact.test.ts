import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, Redactor } from '../../../src/core/report/redact.ts';
import { isSecretName } from '../../../src/core/text/secret-names.ts';

const HF = 'hf_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7';
const GHP = 'ghp_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8';
const SK = 'sk-proj-' + 'abcDEF1234567890ghiJKL5678';
const AKIA = 'AKIA' + 'IOSFODNN7EXAMPLE';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9abcdef0123456789';

test('each kind of planted secret is gone, and counted by its kind', () => {
  const redactor = new Redactor(['my-plain-env-secret-value']);
  const lines = [
    `loading model with token ${HF}`,
    `git clone https://x:${GHP}@github.com/org/repo`,
    `client = OpenAI(api_key="${SK}")`,
    `aws configure set aws_access_key_id ${AKIA}`,
    `curl -H "Authorization: Bearer ${BEARER}" http://host`,
    'WANDB_API_KEY=abcdefgh12345678 python train.py',
    'echo my-plain-env-secret-value',
    'postgres://user:hunter2hunter2@db:5432/x',
  ];
  const out = lines.map((line) => redactor.text(line)).join('\n');
  for (const secret of [HF, GHP, SK, AKIA, BEARER, 'abcdefgh12345678', 'my-plain-env-secret-value', 'hunter2hunter2'])
    assert.ok(!out.includes(secret), `${secret} is left in:\n${out}`);
  assert.ok(out.includes(REDACTED));
  assert.deepEqual(Object.fromEntries(redactor.counts), {
    'secret value from the environment': 1,
    'password in a URL': 2,
    'value of a secret-named variable': 2,
    'API token': 2,
    'bearer credential': 1,
  });
});

test('a diagnosis stays readable: KeyError, token counts and plain numbers are not secrets', () => {
  const redactor = new Redactor();
  const lines = [
    "KeyError: 'label'",
    'max_tokens=512 key: 3',
    'step 10 loss 2.31',
    'token embedding_projection_layer ready',
    'keyboard=us',
  ];
  assert.deepEqual(
    lines.map((line) => redactor.text(line)),
    lines,
  );
  assert.equal(redactor.counts.size, 0);
});

test('a command line: --api-key VALUE, NAME=value and a token-shaped argument', () => {
  const redactor = new Redactor();
  assert.deepEqual(redactor.argv(['python', 'train.py', '--api-key', 'plainvalue', 'HF_TOKEN=xyz12345', `--hub=${HF}`, '--lr', '0.1']), [
    'python',
    'train.py',
    '--api-key',
    REDACTED,
    `HF_TOKEN=${REDACTED}`,
    `--hub=${REDACTED}`,
    '--lr',
    '0.1',
  ]);
});

test('an environment: a secret-named variable loses its value whatever it looks like; others are kept', () => {
  const redactor = new Redactor();
  assert.deepEqual(redactor.environment({ DB_PASSWORD: 'x', BATCH: '32', SECRET_KEY: 'abc' }), {
    DB_PASSWORD: REDACTED,
    BATCH: '32',
    SECRET_KEY: REDACTED,
  });
  assert.equal(redactor.counts.get('value of a secret-named variable'), 2);
});

test('secret names: parts of the name, not substrings', () => {
  for (const name of ['HF_TOKEN', 'apiKey', 'api-key', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'token'])
    assert.ok(isSecretName(name), name);
  for (const name of ['KeyError', 'keyboard', 'num_tokens', 'monkey', 'TOKENIZERS_PARALLELISM']) assert.ok(!isSecretName(name), name);
});

test('a log line that prints an argv: the value after a secret-named flag goes, other flags stay', () => {
  const redactor = new Redactor();
  assert.equal(
    redactor.text("argv: ['--api-key', 'p4ss-w0rd-9f8e', '--lr', '0.1', '--max-tokens', '512']"),
    `argv: ['--api-key', '${REDACTED}', '--lr', '0.1', '--max-tokens', '512']`,
  );
  assert.equal(redactor.text('launched with --password hunter2xyz --epochs 3'), `launched with --password ${REDACTED} --epochs 3`);
  assert.equal(redactor.text('--token-budget 4096 --keyboard us'), '--token-budget 4096 --keyboard us');
});
