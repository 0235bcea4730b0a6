/**
 * The git commit of a directory and how many tracked files differ from it, as a run starts: what
 * an incident report shows as the code that ran (asked later, the checkout may have moved on).
 * Bounded: a slow or missing git answers null, never an error.
 */

import { programOutput } from './program-output.ts';

export type GitState = { commit: string; changed: number | null };

const GIT_TIMEOUT_MS = 3000;

export async function gitStateOf(cwd: string): Promise<GitState | null> {
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (commit === null || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, changed: status === null ? null : status.split('\n').filter(Boolean).length };
}

const git = (cwd: string, args: string[]) => programOutput('git', ['-C', cwd, ...args], { timeoutMs: GIT_TIMEOUT_MS });
