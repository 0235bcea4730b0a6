/**
 * Who may do what (README, "Dashboard: security"). On loopback, reads are open to the machine's
 * users (as `vigil ps` is) and actions need the home's token; on any other address, every request
 * needs it. Actions are POST and need the token in a header, which a page from another site cannot
 * set (the CSRF guard); a request whose Origin is another site is refused too. On loopback the Host
 * must be a loopback name: a site that rebinds its DNS name to 127.0.0.1 gets nothing.
 */

import type { Context, MiddlewareHandler } from 'hono';
import { sameToken } from './token.ts';

export const TOKEN_HEADER = 'X-Vigil-Token';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : (hostHeader.split(':')[0] ?? '');
}

export function guard(options: { token: string; loopback: boolean }): MiddlewareHandler {
  return async (c, next) => {
    if (options.loopback && !isLoopback(hostnameOf(c.req.header('host')))) return refuse(c, 403, 'this server answers loopback names only');
    const url = new URL(c.req.url);
    const isApi = url.pathname.startsWith('/api/');
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin && new URL(origin).host !== c.req.header('host')) return refuse(c, 403, 'a request from another site');
      if (!sameToken(c.req.header(TOKEN_HEADER), options.token))
        return refuse(c, 401, `the token is needed: open the URL vigil web printed (it holds #token=…)`);
    } else if (!options.loopback && isApi) {
      const given = c.req.header(TOKEN_HEADER) ?? url.searchParams.get('token');
      if (!sameToken(given, options.token))
        return refuse(c, 401, `the token is needed: open the URL vigil web printed (it holds #token=…)`);
    } else if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return refuse(c, 405, 'GET or POST only');
    await next();
  };
}

const refuse = (c: Context, status: 401 | 403 | 405, error: string) => c.json({ error }, status);
