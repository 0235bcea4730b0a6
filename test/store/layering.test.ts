/** src/store sits below the supervisor and the CLI: it may import only core, errors, its own files, node:* and its drivers (SQLite, PostgreSQL). */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/vigil.ts';

const SRC = join(REPO, 'src');
const STORE = join(SRC, 'store');
const PACKAGES = [/^node:/, /^better-sqlite3$/, /^pg$/];
/** Where a relative import may lead, from src/. */
const LAYERS_BELOW = [/^store\//, /^core\//, /^errors\.ts$/];

test('src/store imports only core, errors, itself, node:* and its database drivers', () => {
  const files = (readdirSync(STORE, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
  assert.ok(
    files.some((file) => file.startsWith('postgres')),
    'the PostgreSQL store is checked too',
  );
  for (const file of files) {
    const path = join(STORE, file);
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const specifier = (match[1] ?? match[2]) as string;
      const allowed = specifier.startsWith('.')
        ? LAYERS_BELOW.some((pattern) => pattern.test(relative(SRC, resolve(dirname(path), specifier))))
        : PACKAGES.some((pattern) => pattern.test(specifier));
      assert.ok(allowed, `src/store/${file} imports ${specifier}`);
    }
  }
});
