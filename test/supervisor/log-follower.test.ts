import assert from 'node:assert/strict';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogFollower } from '../../src/supervisor/log-follower.ts';
import { tempHome, waitUntil } from '../helpers/vigil.ts';

test('log follower: every byte in order; inotify while quiet, dropped while output flows, armed again after', async () => {
  const path = join(tempHome(), 'attempt-1.log');
  writeFileSync(path, '');
  const received: Buffer[] = [];
  const follower = new LogFollower(path, (chunk) => void received.push(Buffer.from(chunk)));
  await follower.start();
  const got = () => Buffer.concat(received).toString();
  assert.equal(follower.watching, true, 'armed while quiet');

  let written = '';
  const write = (text: string) => {
    appendFileSync(path, text);
    written += text;
  };
  write('first line\n');
  await waitUntil('the first write', () => got() === written);
  await waitUntil('the watch dropped while output flows', () => !follower.watching);
  for (let i = 0; i < 20_000; i += 1) write(`step ${i}\n`); // a flood of small writes
  assert.equal(follower.watching, false, 'still polled, not watched: these writes cost the job no inotify event');
  await waitUntil('the flood', () => got() === written);
  await waitUntil('the watch armed again after a quiet moment', () => follower.watching);
  write('after the pause\n');
  await waitUntil('a write after the pause', () => got() === written);
  await follower.finish();
  assert.equal(got(), written);
});

test('log follower: a file truncated under it is said once and followed again from its start; catchUp reads to the end', async () => {
  const path = join(tempHome(), 'attempt-1.log');
  writeFileSync(path, '');
  const received: string[] = [];
  const truncations: number[] = [];
  const follower = new LogFollower(
    path,
    (chunk) => void received.push(chunk.toString()),
    0,
    (offset) => truncations.push(offset),
  );
  await follower.start();
  appendFileSync(path, 'a long first part\n');
  await follower.catchUp();
  assert.equal(received.join(''), 'a long first part\n', 'catchUp returns once what was written is read');
  truncateSync(path, 0); // `: > attempt-1.log`
  appendFileSync(path, 'after\n');
  await follower.catchUp();
  assert.deepEqual(truncations, [18]);
  assert.equal(received.join(''), 'a long first part\nafter\n');
  await follower.finish();
  assert.deepEqual(truncations, [18], 'said once');
});
