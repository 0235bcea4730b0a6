import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printable, stripEscapeSequences, truncate } from '../../../src/core/text/printable.ts';
import { shellQuote } from '../../../src/core/text/shell-quote.ts';

test('printable: escape sequences removed, other controls shown as escapes', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['\x1b[31mred\x1b[0m', 'red'],
    ['\x1b[1;38;5;196mbold\x1b[m', 'bold'],
    ['\x1b]0;pwned title\x07after', 'after'], // OSC ended by BEL
    ['\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\', 'link'], // OSC 8 hyperlink ended by ST (ESC \)
    ['\x1b]52;c;ZXZpbA==\u009cafter', 'after'], // OSC ended by the 8-bit ST
    ['\u009d0;title\x07x', 'x'], // 8-bit OSC
    ['\u009b2Jcleared', 'cleared'], // 8-bit CSI
    ['\x1bPq#0;2;0;0;0\x1b\\dcs', 'dcs'], // DCS (sixel)
    ['\x1b]0;unterminated', ''], // an OSC that never ends swallows the rest, as a terminal would
    ['\x1bcreset', 'reset'], // RIS
    ['\x1b(Bcharset', 'charset'],
    ['two\nlines', 'two\\nlines'],
    ['tab\there', 'tab\\there'],
    ['cr\rover', 'cr\\rover'],
    ['bell\x07 del\x7f nul\x00', 'bell\\x07 del\\x7f nul\\x00'],
    ['lone \x1b', 'lone \\x1b'],
    ['c1 \u0085 next', 'c1 \\u0085 next'],
    ['épsilon δ ✓ 🙂', 'épsilon δ ✓ 🙂'],
  ];
  for (const [text, expected] of cases) assert.equal(printable(text), expected, JSON.stringify(text));
});

test('stripEscapeSequences keeps newlines', () => {
  assert.equal(stripEscapeSequences('\x1b[2Ka\nb\x1b]0;t\x1b\\'), 'a\nb');
});

test('truncate: at most width characters, an ellipsis when cut, never half a surrogate pair', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('exactly10!', 10), 'exactly10!');
  assert.equal(truncate('a longer text', 8), 'a longe…');
  assert.equal(truncate('ab🙂cd', 4), 'ab…');
  assert.equal(truncate('abc', 0), '');
});

test('shellQuote: plain words bare, others quoted, control characters in ANSI-C quoting', () => {
  assert.equal(shellQuote(['python3', 'train.py', '--lr=0.1']), 'python3 train.py --lr=0.1');
  assert.equal(shellQuote(['sh', '-c', "echo 'hi' there"]), `sh -c 'echo '\\''hi'\\'' there'`);
  assert.equal(shellQuote(['']), `''`);
  assert.equal(shellQuote(['sh', '-c', 'echo a\necho b']), `sh -c $'echo a\\necho b'`);
  assert.equal(shellQuote(['\x1b[31mred', "it's\\"]), `$'\\e[31mred' 'it'\\''s\\'`);
  assert.equal(shellQuote(['a\tb\x01\u009b']), `$'a\\tb\\x01\\u009b'`);
  assert.equal(shellQuote(["x'\n\\"]), `$'x\\'\\n\\\\'`);
});
