/**
 * Talking to the daemon from a command: one request, one reply, with a deadline. No daemon
 * (no socket, or nobody listening) is an answer too: null.
 */

import { connect } from 'node:net';
import { encodeMessage, type Reply, type Request } from '../core/daemon/protocol.ts';
import { onJsonLines } from '../platform/json-lines.ts';

export function askDaemon(socketPath: string, request: Request, timeoutMs = 2000): Promise<Reply | null> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let settled = false;
    const finish = (reply: Reply | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    if (request.op === 'nudge') {
      // Nothing comes back: done once the line is flushed.
      socket.end(encodeMessage(request), () => finish({ ok: true }));
      return;
    }
    socket.on('connect', () => socket.write(encodeMessage(request)));
    onJsonLines(socket, (message) => finish(message as Reply));
  });
}
