/**
 * Reads a vigil.yaml and checks it against its one schema (run-config-schema.ts): `vigil run`'s
 * options and `vigil submit`'s jobs alike. Any problem is one line naming the file, the line, the
 * key, what was expected and what was found (exit 2), before anything starts.
 */

import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { nearestName } from '../../core/text/nearest-name.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { CONFIG_FILE_FIELDS, configFileSchema, fieldAt, type ConfigFileData } from './run-config-schema.ts';

export type ConfigFile = {
  /** As checked and parsed by the schema (durations in ms, …). */
  data: ConfigFileData;
  /** As written (`45s`, not 45000): what goes back onto a command line. */
  raw: Record<string, unknown>;
  /** A problem the schema cannot see (a missing directory), reported at the key `path` reaches. */
  fail(path: readonly (string | number)[], message: string): never;
};

type Path = readonly (string | number)[];

/** The file's text; `shown` names it in errors. Null when it is missing and `optional`. */
export function readConfigText(source: string, shown: string, optional: boolean): string | null {
  try {
    return readFileSync(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return null;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : code;
    throw new VigilError(`${shown}: ${why}`, ExitCode.usage, { cause: error });
  }
}

/** The file's text, checked; `file` names it in errors. */
export function parseConfigFile(text: string, file: string): ConfigFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const failAt = (offset: number | undefined, message: string): never => {
    throw new VigilError(`${file}:${lineOf(offset)}: ${message}`, ExitCode.usage);
  };
  const fail = (path: Path, message: string): never => failAt(nodeAt(document, path).node?.range?.[0], `${pathText(path)}: ${message}`);

  const [syntax] = document.errors;
  if (syntax) failAt(syntax.pos[0], `not valid YAML: ${syntax.message.split('\n')[0]}`);
  const top = document.contents;
  if (top === null || (isScalar(top) && top.value === null)) return { data: {}, raw: {}, fail }; // empty file
  if (!isMap(top))
    return failAt(top.range?.[0], `expected a mapping of vigil run options (e.g. restart: on-failure), found ${describe(top)}`);

  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!Object.hasOwn(CONFIG_FILE_FIELDS, key))
      failAt((pair.key as Node | null)?.range?.[0], unknownKey(key, Object.keys(CONFIG_FILE_FIELDS)));
  }

  const raw = document.toJS() as Record<string, unknown>;
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.map((issue) => locate(document, issue)).sort((a, b) => lineOf(a.offset) - lineOf(b.offset))[0];
    if (first) failAt(first.offset, first.message);
  }
  return { data: parsed.data as ConfigFileData, raw, fail };
}

/** The deepest node `path` reaches, and whether it reached the end (a missing key does not). */
function nodeAt(document: Document, path: Path): { node: Node | null; reached: boolean } {
  let node = document.contents as Node | null;
  for (const part of path) {
    const child: unknown = isMap(node) || isSeq(node) ? node.get(part, true) : undefined;
    if (child === undefined) return { node, reached: false };
    node = child as Node;
  }
  return { node, reached: true };
}

/** Where `key` is written in the mapping `node`. */
function keyOffset(node: Node | null, key: string): number | undefined {
  const pair = isMap(node) ? node.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
  return (pair?.key as Node | undefined)?.range?.[0];
}

/** `jobs.train.checkpoints[1]` */
function pathText(path: Path): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Where an issue is (the deepest node its path reaches) and what to say about it. */
function locate(document: Document, issue: z.core.$ZodIssue): { offset: number | undefined; message: string } {
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const { node, reached } = nodeAt(document, path);
  const where = pathText(path);
  const { field, knownKeys } = fieldAt(path);
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0] as string;
    return { offset: keyOffset(node, unknown) ?? node?.range?.[0], message: `${where}: ${unknownKey(unknown, knownKeys)}` };
  }
  if (issue.code === 'invalid_key' && path[0] === 'jobs' && path.length === 2) {
    const message = `${where}: expected a job name: letters, digits, _, . and - (it is typed on the command line), found ${JSON.stringify(path[1])}`;
    return { offset: keyOffset(nodeAt(document, ['jobs']).node, String(path[1])) ?? node?.range?.[0], message };
  }
  const offset = node?.range?.[0];
  const expected = issue.code === 'custom' ? issue.message : `expected ${field?.expected ?? 'something else'}`;
  // Said in full: the found value is in the message already ("no job prepar in this file").
  if (issue.code === 'custom' && (issue.params as { complete?: boolean } | undefined)?.complete)
    return { offset, message: `${where}: ${issue.message}` };
  if (!reached) return { offset, message: `${where}: missing: ${expected}` };
  // A parser's own words say more than the generic expectation ("a bare number is seconds, so 30000 would be 8h20m…").
  if (issue.code === 'custom' && (isMap(node) || isSeq(node))) return { offset, message: `${where}: ${issue.message}` };
  return { offset, message: `${where}: ${expected}, found ${describe(node)}` };
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
