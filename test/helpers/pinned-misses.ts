/**
 * A corpus test as a ratchet: the rows the code still gets wrong are pinned in a committed file,
 * so a new miss fails the test and so does a fixed one that is still listed (the list only
 * shrinks). A row is known by a hash of its text, never by its index (the corpus grows) nor by
 * its text (third-party logs stay out of the repository). `VIGIL_PIN_MISSES=1` rewrites the file.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { halfOf } from './corpus-halves.ts';
import { REPO } from './vigil.ts';

/**
 * One field of one corpus row that the code gets wrong. `source` only helps a person find the row.
 * A miss of the unseen half is pinned without its details: `unseen`, and a hash of what was
 * expected and got (enough to see that it changed, not what it is).
 */
export type Miss = { id: string; field: string; expected?: unknown; got?: unknown; source?: string; unseen?: boolean; outcome?: string };

/** A row's stable name: the first 16 hex digits of the SHA-256 of its text. */
export function rowId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const key = (miss: Miss) => `${miss.id} ${miss.field}`;
const outcome = (miss: Miss) => miss.outcome ?? rowId(JSON.stringify([miss.expected, miss.got]));
const isUnseen = (miss: Miss) => miss.unseen === true || halfOf(miss.source) === 'B';
/** What is pinned of a miss: all of it, or for the unseen half its id, field and outcome's hash. */
const pinnable = (miss: Miss): Miss => (isUnseen(miss) ? { id: miss.id, field: miss.field, unseen: true, outcome: outcome(miss) } : miss);
/** A miss in words; one of the unseen half (corpus-halves.ts) by its id alone, so that nobody tunes on it by accident. */
const showMiss = (miss: Miss) =>
  isUnseen(miss)
    ? `${miss.id} ${miss.field} (unseen half: details hidden)`
    : `${miss.id} ${miss.field}: expected ${JSON.stringify(miss.expected)}, got ${JSON.stringify(miss.got)}${miss.source ? ` (${miss.source})` : ''}`;

/**
 * Compares today's misses with the pinned ones and fails naming every difference; with
 * VIGIL_PIN_MISSES=1 it writes today's misses to `file` instead. `ids`: every row of the corpus.
 */
export async function checkPinnedMisses(file: string, misses: Miss[], ids: Set<string>): Promise<void> {
  const current = new Map<string, Miss>();
  for (const miss of misses) {
    const seen = current.get(key(miss));
    assert.ok(
      !seen || outcome(seen) === outcome(miss),
      `the corpus holds the same text twice with different expectations: ${showMiss(miss)}`,
    );
    current.set(key(miss), miss);
  }
  const name = relative(REPO, file);
  if (process.env.VIGIL_PIN_MISSES === '1') {
    const sorted = [...current.values()].map(pinnable).sort((a, b) => key(a).localeCompare(key(b)));
    const text = `[\n${sorted.map((miss) => JSON.stringify(miss)).join(',\n')}\n]\n`;
    writeFileSync(file, await format(text, { ...(await resolveConfig(file)), parser: 'json' }));
    console.log(`pinned ${sorted.length} misses in ${name}`);
    return;
  }
  assert.ok(existsSync(file), `${name} is missing: pin today's misses with VIGIL_PIN_MISSES=1`);
  const pinned = new Map((JSON.parse(readFileSync(file, 'utf8')) as Miss[]).map((miss) => [key(miss), miss]));
  const problems: string[] = [];
  for (const [k, miss] of current) {
    const was = pinned.get(k);
    if (!was) problems.push(`new miss ${showMiss(miss)}`);
    else if (outcome(was) !== outcome(miss)) problems.push(`changed miss ${showMiss(miss)}; pinned as ${showMiss(was)}`);
  }
  for (const [k, miss] of pinned) {
    if (current.has(k)) continue;
    problems.push(
      ids.has(miss.id) && isUnseen(miss)
        ? `fixed ${miss.id} ${miss.field} (unseen half: details hidden): remove it from ${name}`
        : ids.has(miss.id)
          ? `fixed ${miss.id} ${miss.field} (now ${JSON.stringify(miss.expected)} as expected; pinned as got ${JSON.stringify(miss.got)}): remove it from ${name}`
          : `${showMiss(miss)} is no longer in the corpus: remove it from ${name}`,
    );
  }
  assert.ok(
    problems.length === 0,
    `${problems.length} difference(s) from ${name}:\n${problems.join('\n')}\n(after an intended change, re-pin with VIGIL_PIN_MISSES=1)`,
  );
}
