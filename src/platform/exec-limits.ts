/**
 * What the kernel lets one exec carry (fs/exec.c): argv and envp together, each string with its
 * NUL and its pointer, within a quarter of the stack size limit (at most 6 MiB, at least
 * 128 KiB), and no single string over 128 KiB (MAX_ARG_STRLEN). Used to explain an E2BIG.
 */

import { readFileSync } from 'node:fs';

const POINTER = 8;
const MIN_ROOM = 128 * 1024;
const MAX_ROOM = 6 * 1024 * 1024;
export const MAX_ARG_STRLEN = 128 * 1024;

/** The room for argv + envp under the current stack size limit. */
export function argumentRoom(limits = safeRead('/proc/self/limits')): number {
  const soft = /^Max stack size\s+(\S+)/m.exec(limits)?.[1];
  const quarter = soft === undefined || soft === 'unlimited' ? MAX_ROOM : Number(soft) / 4;
  return Math.max(MIN_ROOM, Math.min(quarter, MAX_ROOM));
}

/** What an exec of `file` with these words and environment strings charges against that room. */
export function execCost(file: string, words: readonly (string | Buffer)[], env: readonly string[]): number {
  const cost = (s: string | Buffer) => Buffer.byteLength(s) + 1 + POINTER;
  return Buffer.byteLength(file) + 1 + [...words, ...env].reduce((sum, s) => sum + cost(s), 0);
}

/** `KEY=VALUE` strings as exec receives them (unset values dropped, as Node does). */
export function environmentStrings(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
