/**
 * `vigil web [--port N] [--host ADDR] [--open]`: serves the dashboard until interrupted. It
 * prints the ready URL with the home's token (`#token=…`: a fragment, which a browser never sends
 * to a server or a proxy log), and how to reach a loopback server from a laptop.
 */

import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { printable } from '../../core/text/printable.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { isLoopback } from '../../web/auth.ts';
import { startWebServer } from '../../web/server.ts';
import { webTokenOf } from '../../web/token.ts';
import { out } from '../colours.ts';
import { openContext } from '../context.ts';

type WebOptions = { port: number; host: string; open?: boolean };

export async function webCommand(options: WebOptions): Promise<void> {
  const context = openContext();
  const token = webTokenOf(context.home);
  const vigil = [process.execPath, ...process.execArgv, process.argv[1] as string];
  let server;
  try {
    server = await startWebServer({ store: context.store, token, host: options.host, port: options.port, vigil });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE' ? `port ${options.port} is in use (--port N, or --port 0 for any free one)` : (error as Error).message;
    throw new VigilError(`cannot serve on ${printable(options.host)}:${options.port}: ${why}`, ExitCode.usage, { cause: error });
  }
  const url = `${server.url}#token=${token}`;
  process.stdout.write(`vigil web: ${url}\n`);
  if (isLoopback(options.host))
    process.stdout.write(
      `from another machine: ssh -L ${server.port}:127.0.0.1:${server.port} ${hostname()}, then open the same URL there\n`,
    );
  else
    process.stderr.write(
      out.yellow(
        `warning: serving on ${printable(options.host)}: anyone who can reach it sees the page's address; every request needs the token, but the traffic is plain HTTP (an SSH tunnel is safer)\n`,
      ),
    );
  if (options.open)
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
