/**
 * Reads vigil.yaml (in the working directory, or the file `-c` names) into `vigil run` options.
 * Any problem is one line naming the file, the line, the key, what was expected and what was
 * found, and exits 2 before anything starts.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { nearestName } from '../../core/text/nearest-name.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import {
  NESTED_KEYS,
  RUN_CONFIG_FIELDS,
  optionKey,
  runConfigSchema,
  type RunConfigKey,
  type RunConfigOptions,
} from './run-config-schema.ts';

export const DEFAULT_CONFIG_FILE = 'vigil.yaml';

export type RunConfig = {
  options: RunConfigOptions;
  /** The command, when the file gives one (the command line's wins). */
  command: string[] | null;
  /** The file read, absolute. */
  source: string;
};

/** vigil.yaml in `cwd`, or `explicitPath` (relative to `cwd`); null when there is no vigil.yaml and no -c. */
export function loadRunConfig(cwd: string, explicitPath?: string): RunConfig | null {
  const source = explicitPath === undefined ? join(cwd, DEFAULT_CONFIG_FILE) : resolve(cwd, explicitPath);
  const shown = explicitPath ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicitPath === undefined) return null;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : code;
    throw new VigilError(`${explicitPath === undefined ? '' : '-c '}${shown}: ${why}`, ExitCode.usage, { cause: error });
  }
  return { ...parseRunConfig(text, shown), source };
}

/** The options in a vigil.yaml's text; `file` names it in errors. */
export function parseRunConfig(text: string, file: string): Omit<RunConfig, 'source'> {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const fail = (offset: number | undefined, message: string): never => {
    throw new VigilError(`${file}:${lineOf(offset)}: ${message}`, ExitCode.usage);
  };

  const [syntax] = document.errors;
  if (syntax) fail(syntax.pos[0], `not valid YAML: ${syntax.message.split('\n')[0]}`);
  const top = document.contents;
  if (top === null || (isScalar(top) && top.value === null)) return { options: {}, command: null }; // empty file
  if (!isMap(top))
    return fail(top.range?.[0], `expected a mapping of vigil run options (e.g. restart: on-failure), found ${describe(top)}`);

  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!Object.hasOwn(RUN_CONFIG_FIELDS, key))
      fail((pair.key as Node | null)?.range?.[0], unknownKey(key, Object.keys(RUN_CONFIG_FIELDS)));
  }

  const parsed = runConfigSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const first = parsed.error.issues.map((issue) => locate(document, issue)).sort((a, b) => lineOf(a.offset) - lineOf(b.offset))[0];
    if (first) fail(first.offset, first.message);
  }
  const { command, ...keys } = parsed.data as Record<string, unknown> & { command?: string[] };
  const options = Object.fromEntries(Object.entries(keys).map(([key, value]) => [optionKey(key), value])) as RunConfigOptions;
  return { options, command: command ?? null };
}

/** Where an issue is (the deepest node its path reaches) and what to say about it. */
function locate(document: Document, issue: z.core.$ZodIssue): { offset: number | undefined; message: string } {
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const key = path[0] as RunConfigKey;
  let node: unknown = document.contents;
  for (const part of path) {
    const child = isMap(node) || isSeq(node) ? node.get(part, true) : undefined;
    if (child === undefined) break;
    node = child;
  }
  const where = path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0] as string;
    const pair = isMap(node) ? node.items.find((item) => isScalar(item.key) && item.key.value === unknown) : undefined;
    const message = `${where}: ${unknownKey(unknown, NESTED_KEYS[key] ?? [])}`;
    return { offset: (pair?.key as Node | undefined)?.range?.[0] ?? (node as Node).range?.[0], message };
  }
  const offset = (node as Node).range?.[0];
  // A parser's own words say more than the generic expectation ("a bare number is seconds, so 30000 would be 8h20m…").
  if (issue.code === 'custom' && (isMap(node) || isSeq(node))) return { offset, message: `${where}: ${issue.message}` };
  const expected = issue.code === 'custom' ? issue.message : `expected ${RUN_CONFIG_FIELDS[key].expected}`;
  return { offset, message: `${where}: ${expected}, found ${describe(node as Node)}` };
}

/** How a value reads in a message: `"5 minutes"`, `32`, `true`, `a list`, `a mapping`, `nothing`. */
function describe(node: Node | null | undefined): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null || node.value === undefined) return 'nothing';
  if (typeof node.value === 'string') return JSON.stringify(node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value);
  return String(node.value);
}

function unknownKey(key: string, known: readonly string[]): string {
  const kebab = key.replace(/_/g, '-');
  const negated = /^no-(.+)$/.exec(kebab)?.[1];
  if (kebab !== key && known.includes(kebab)) return `unknown key ${key}: write ${kebab} (keys are spelled as the options are)`;
  if (negated && known.includes(negated)) return `unknown key ${key}: write ${negated}: false`;
  const near = nearestName(key, known);
  return `unknown key ${key}${near ? ` (did you mean ${near}?)` : ''}`;
}
