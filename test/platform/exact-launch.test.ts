/** The exact launch: every byte but NUL survives printf escaping and the shell's rebuild. */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { exactLaunch, printfEscape } from '../../src/platform/exact-launch.ts';
import { exactTrailingWords } from '../../src/platform/raw-argv.ts';

const ALL_BYTES = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));

describe('exact launch', () => {
  test('the escapes are ASCII without quotes, so a plain (UTF-8) argument carries them', () => {
    assert.match(printfEscape(ALL_BYTES), /^[\x20-\x7e]*$/);
    assert.doesNotMatch(printfEscape(ALL_BYTES), /['"%$`-]/);
  });

  test('the shell rebuilds every byte, leading dashes, trailing newlines and empty words', () => {
    const words = [Buffer.from('printf'), Buffer.from('%s\\0'), ALL_BYTES, Buffer.from('-n'), Buffer.from('end\n\n'), Buffer.alloc(0)];
    const { script, args } = exactLaunch({ command: words, cwd: Buffer.from('/tmp') });
    const result = spawnSync('/bin/sh', ['-c', script, 'vigil', ...args]);
    assert.equal(result.status, 0, result.stderr.toString());
    assert.deepEqual(result.stdout, Buffer.concat(words.slice(2).flatMap((word) => [word, Buffer.from([0])])));
  });
});

describe('exactTrailingWords', () => {
  const cmdline = (...words: (string | Buffer)[]) => Buffer.concat(words.flatMap((word) => [Buffer.from(word), Buffer.from([0])]));

  test('maps the trailing words to their bytes', () => {
    const raw = Buffer.from('caf\xe9', 'latin1');
    assert.deepEqual(exactTrailingWords(['caf\ufffd', ''], cmdline('node', 'main.js', 'run', '--', raw, '')), [raw, Buffer.alloc(0)]);
  });

  test('a word that does not match its bytes keeps its string (the command line was rewritten)', () => {
    assert.deepEqual(exactTrailingWords(['b'], cmdline('node', 'a')), [Buffer.from('b')]);
    assert.deepEqual(exactTrailingWords(['x', 'y'], cmdline('y')), [Buffer.from('x'), Buffer.from('y')]);
    assert.deepEqual(exactTrailingWords([], cmdline('node')), []);
  });
});
