/** src/store sits below the supervisor and the CLI: it may import only core, errors, its own files, node:* and SQLite. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/vigil.ts';

const STORE = join(REPO, 'src', 'store');
const ALLOWED = [/^node:/, /^better-sqlite3$/, /^\.\/[\w-]+\.ts$/, /^\.\.\/core\//, /^\.\.\/errors\.ts$/];

test('src/store imports only core, errors, itself, node:* and better-sqlite3', () => {
  const files = readdirSync(STORE).filter((file) => file.endsWith('.ts'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const source = readFileSync(join(STORE, file), 'utf8');
    for (const [, specifier] of source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      assert.ok(
        ALLOWED.some((pattern) => pattern.test(specifier as string)),
        `src/store/${file} imports ${specifier}`,
      );
    }
  }
});
