/**
 * A queued job's supervisor stays connected to the daemon for as long as it lives: the kernel
 * closes the connection when the supervisor dies, however it dies, which is how the daemon learns
 * of it at once (no polling). When the daemon goes away (a crash, an upgrade), the supervisor goes
 * on as if nothing happened and connects again as soon as a daemon listens on the socket.
 */

import { type FSWatcher, watch } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import { encodeMessage } from '../core/daemon/protocol.ts';

/** A fallback for a missed file event (the watched folder replaced, an NFS home). */
const RECONNECT_FALLBACK_MS = 10_000;

export function linkToDaemon(socketPath: string, jobId: string): () => void {
  let socket: Socket | null = null;
  let watcher: FSWatcher | null = null;
  let fallback: NodeJS.Timeout | null = null;
  let closed = false;

  const connectNow = () => {
    stopWaiting();
    if (closed) return;
    const current = connect(socketPath);
    socket = current;
    current.unref(); // the link never keeps the supervisor alive
    current.on('connect', () => current.write(encodeMessage({ op: 'hello', jobId, pid: process.pid })));
    current.on('data', () => undefined);
    current.on('error', () => undefined);
    current.on('close', () => {
      if (socket === current) waitForDaemon();
    });
  };

  const waitForDaemon = () => {
    if (closed || watcher) return;
    try {
      watcher = watch(dirname(socketPath), (_event, file) => {
        if (file === basename(socketPath)) connectNow();
      });
      watcher.unref();
      watcher.on('error', () => undefined);
    } catch {
      watcher = null; // no folder to watch yet: the fallback timer tries again
    }
    fallback = setTimeout(connectNow, RECONNECT_FALLBACK_MS);
    fallback.unref();
  };

  const stopWaiting = () => {
    watcher?.close();
    watcher = null;
    if (fallback) clearTimeout(fallback);
    fallback = null;
  };

  connectNow();
  return () => {
    closed = true;
    stopWaiting();
    socket?.destroy();
  };
}
