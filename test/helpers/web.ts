/** A real `vigil web` for tests: started on a free port, its URL and token read from what it prints. */

import type { ChildProcess } from 'node:child_process';
import { startVigil, waitUntil } from './vigil.ts';

export type WebServer = { base: string; token: string; child: ChildProcess; stop: () => Promise<void>; stderr: () => string };

export async function startWeb(home: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WebServer> {
  const child = startVigil(home, ['web', '--port', '0', ...extra], { env });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const printed = await waitUntil(`vigil web's URL (stderr: ${err})`, () => /vigil web: (http:\/\/\S+\/)#token=(\S+)/.exec(out));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { base: printed[1] as string, token: printed[2] as string, child, stop, stderr: () => err };
}

/** A request to the server; JSON answers parsed. */
export async function api(
  server: Pick<WebServer, 'base'>,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('X-Vigil-Token', init.token);
  const response = await fetch(new URL(path, server.base), { ...init, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the text itself
  }
  return { status: response.status, body };
}
