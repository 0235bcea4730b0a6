/** A real local HTTP server that alerts and heartbeats are sent to: it keeps every request, or (hang) never answers. */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: number };

export type AlertServer = { url: string; requests: ReceivedRequest[]; close: () => Promise<void> };

export async function startAlertServer(options: { hang?: boolean } = {}): Promise<AlertServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      if (!options.hang) response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON alerts among the requests (the generic webhook's body). */
export function jsonAlerts(server: AlertServer, path = '/hook'): Record<string, any>[] {
  return server.requests.filter((request) => request.path === path && request.method === 'POST').map((request) => JSON.parse(request.body));
}
