/**
 * The home's web token: a random secret in `$VIGIL_HOME/web-token` (mode 0600), made the first
 * time a server starts and kept across restarts (a bookmarked URL stays good). Whoever can read
 * the home's files can act on its runs anyway; the token keeps other local users and web pages
 * out. Written atomically: two servers starting at once agree on one token.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN_FILE = 'web-token';
const TOKEN = /^[A-Za-z0-9_-]{32,}$/;

export function webTokenOf(home: string): string {
  const path = join(home, TOKEN_FILE);
  const existing = readToken(path);
  if (existing) return existing;
  // Written whole under another name, then linked in place: link fails if another server was first, and its token stands.
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  const written = readToken(path);
  if (!written) throw new Error(`could not read back the web token in ${path}`);
  return written;
}

function readToken(path: string): string | null {
  try {
    // A token others can read is no secret: tighten it rather than trust it.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const token = readFileSync(path, 'utf8').trim();
    return TOKEN.test(token) ? token : null;
  } catch {
    return null;
  }
}

/** Compared in constant time: the answer's timing says nothing of how much of a guess was right. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}
