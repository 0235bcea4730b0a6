import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { LogEcho } from '../../src/supervisor/log-echo.ts';
import { LogFollower } from '../../src/supervisor/log-follower.ts';
import { tempHome, waitUntil } from '../helpers/vigil.ts';

/** A stdout whose reader can be paused: writes are taken only while `reading`. */
class PausableOut extends Writable {
  reading = false;
  received: Buffer[] = [];
  #held: (() => void)[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.received.push(Buffer.from(chunk));
    if (this.reading) done();
    else this.#held.push(done);
  }

  resume(): void {
    this.reading = true;
    for (const done of this.#held.splice(0)) done();
  }
}

test('log echo: a stdout that stops reading holds up neither the record nor memory; the echo drains byte-exact', async () => {
  const path = join(tempHome(), 'attempt-1.log');
  writeFileSync(path, '');
  const out = new PausableOut();
  const echo = new LogEcho({ logPath: path, stream: out });
  let recorded = 0;
  const record = new LogFollower(path, (chunk) => void (recorded += chunk.length));
  await Promise.all([echo.start(), record.start()]);

  const line = `${'x'.repeat(1023)}\n`;
  let written = 0;
  for (let i = 0; i < 8 * 1024; i += 1) {
    appendFileSync(path, line); // 8 MiB, while nobody reads stdout
    written += line.length;
  }
  await record.catchUp();
  assert.equal(recorded, written, 'the record read it all');
  await waitUntil('the echo to take its first chunk', () => out.received.length > 0);
  assert.ok(echo.offset <= 1 << 20, `the echo read ${echo.offset} bytes ahead of stdout: at most one chunk`);
  assert.equal(echo.settled(Date.now() + 10_000, 400), false, 'no status line while a write is pending');

  out.resume();
  await Promise.all([echo.drain(), record.finish()]);
  assert.equal(echo.offset, written);
  assert.equal(Buffer.concat(out.received).toString(), line.repeat(8 * 1024));
  assert.equal(echo.settled(Date.now() + 10_000, 400), true, 'caught up, at the start of a line');
});
