import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src, bottom first, each with what it may import besides itself. Imports go
 * downward only; src/store sits above src/platform but does not use it. A new folder of src must
 * take its place here (the check below refuses to lint otherwise).
 */
const LAYERS = {
  'errors.ts': [],
  core: ['errors.ts'],
  platform: ['errors.ts', 'core'],
  store: ['errors.ts', 'core'],
  diagnosis: ['errors.ts', 'core', 'platform', 'store'],
  supervisor: ['errors.ts', 'core', 'platform', 'store', 'diagnosis'],
  daemon: ['errors.ts', 'core', 'platform', 'store', 'diagnosis', 'supervisor', 'report', 'web'],
  doctor: ['errors.ts', 'core', 'platform', 'store', 'diagnosis', 'supervisor'],
  drill: ['errors.ts', 'core', 'platform', 'store', 'diagnosis', 'supervisor'],
  report: ['errors.ts', 'core', 'platform', 'store'],
  web: ['errors.ts', 'core', 'platform', 'store', 'diagnosis', 'supervisor', 'report'],
  cli: ['errors.ts', 'core', 'platform', 'store', 'diagnosis', 'supervisor', 'daemon', 'doctor', 'drill', 'report', 'web'],
};
const ORDER =
  'layer order, importing downward only: errors.ts → core → platform → store → diagnosis → supervisor → report → web → daemon, doctor, drill → cli';

const unplaced = readdirSync(`${import.meta.dirname}/src`).filter((entry) => !(entry in LAYERS));
if (unplaced.length > 0) throw new Error(`eslint.config.js: give src/${unplaced.join(', src/')} a place in LAYERS`);

/** src/core is the functional core: no I/O, so no node:* (nor their bare names). */
const NO_NODE = { group: ['node:*', 'fs', 'child_process', 'os', 'path'], message: 'src/core is pure: no node:* imports.' };
const escape = (name) => name.replace(/[.]/g, '\\.');

/**
 * no-restricted-imports matches the import's text, not the file it names, so `../diagnosis/x.ts`
 * means src/core/diagnosis from src/core/watchdog but src/diagnosis from src/supervisor. Hence one
 * rule per depth: a file `depth` folders below its layer's folder reaches src/ with exactly
 * depth + 1 `../`; what follows must be its own layer or one it may import (a further `../`
 * leaves src and is refused too).
 */
const MAX_DEPTH = 5;
function layerRules(layer, mayImport) {
  const allowed = [layer, ...mayImport].map(escape).join('|');
  const message = mayImport.length
    ? `src/${layer} may import only ${mayImport.map((l) => `src/${l}`).join(', ')} (${ORDER}).`
    : `src/${layer} imports nothing of ours (${ORDER}).`;
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^(\\.\\./){${depth + 1}}(?!(${allowed})(/|$))`, message }, ...(layer === 'core' ? [NO_NODE] : [])] },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'python/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/errors.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.', message: `src/errors.ts is the leaf: it imports nothing of ours (${ORDER}).` }] },
      ],
    },
  },
  ...Object.entries(LAYERS)
    .filter(([layer]) => layer !== 'errors.ts')
    .flatMap(([layer, mayImport]) => layerRules(layer, mayImport)),
);
