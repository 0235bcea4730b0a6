/** Runs the built vigil CLI as a user would, against a throwaway VIGIL_HOME. */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const VIGIL = join(REPO, 'dist', 'cli', 'main.js');
export const JOBS = join(REPO, 'test', 'fixtures', 'jobs');

export type Result = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; stdoutBytes: Buffer };

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'vigil-test-'));
}

export function envFor(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_HOME: home, NO_COLOR: '1', ...extra };
  delete env.VIGIL_RUN_ID; // tests may themselves run under vigil
  return env;
}

/** Runs vigil to completion (async: the event loop keeps serving other work meanwhile). */
export function vigil(
  home: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<Result> {
  const child = startVigil(home, args, options);
  return collect(child, options.timeoutMs ?? 60_000);
}

export function startVigil(home: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [VIGIL, ...args], { env: envFor(home, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<Result> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil did not finish within ${timeoutMs} ms: ${Buffer.concat(err).toString()}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString(), stderr: Buffer.concat(err).toString(), stdoutBytes });
    });
  });
}

export function showJson(home: string, run = 'last'): Record<string, any> {
  const result = spawnSync(process.execPath, [VIGIL, 'show', run, '--json'], { env: envFor(home), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil show failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export function psJson(home: string, all = true): Record<string, any>[] {
  const result = spawnSync(process.execPath, [VIGIL, 'ps', '--json', ...(all ? ['--all'] : [])], { env: envFor(home), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil ps failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * Polls until `condition` returns a truthy value; fails with `what` after the deadline. A condition
 * that runs a vigil command takes a process start (~250 ms of CPU here): the pause after it is at
 * least as long, so that polling takes at most half a core from the runs under test.
 */
export async function waitUntil<T>(
  what: string,
  condition: () => T | Promise<T>,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = Date.now();
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, Math.max(intervalMs, Date.now() - started)));
  }
}

/** Every live process whose environment carries the run's tag (independent of vigil's own code). */
export function taggedPids(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.split('\0').includes(`VIGIL_RUN_ID=${runId}`)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export function readLog(home: string, run = 'last'): Buffer {
  return readFileSync(showJson(home, run).log_path);
}

/** Waits for the run to be recorded and its log to contain `text`; returns the run id. */
export async function waitForLog(home: string, text: string, timeoutMs = 30_000): Promise<string> {
  let seen = 'nothing yet';
  // The last run's id and log path, asked of `vigil show` once a second (a newer run may start meanwhile); the file at every poll.
  let run: Record<string, any> | null = null;
  let askedAt = 0;
  try {
    return await waitUntil(
      `"${text}" in the log`,
      () => {
        try {
          if (run === null || Date.now() - askedAt >= 1000) [run, askedAt] = [showJson(home), Date.now()];
          const log = readFileSync(run.log_path, 'latin1');
          seen = `run ${JSON.stringify(run)}, log ${JSON.stringify(log.slice(-500))}`;
          return log.includes(text) ? (run.id as string) : null;
        } catch (error) {
          seen = String(error);
          return null;
        }
      },
      timeoutMs,
      100,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${seen}`, { cause: error });
  }
}

/** A TCP port free right now, for torchrun's --master_port: tests run in parallel and its default (29500) is shared. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
