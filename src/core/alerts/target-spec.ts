/**
 * `--notify TARGET`, read: what kind of target it names and where. Pure, so that vigil.yaml and
 * the command line reject the same spellings with the same words before anything is sent.
 *
 *   https://hooks.slack.com/…           a webhook, Slack-shaped body ({text})
 *   https://discord.com/api/webhooks/…  a webhook, Discord-shaped body ({content})
 *   https://…, http://…                 a webhook, the alert as JSON
 *   ntfy:https://ntfy.sh/TOPIC          an ntfy topic (also any URL whose host is ntfy.*)
 *   exec:PATH                           a command, given the alert as JSON on stdin
 *   desktop                             notify-send, when a session bus exists
 *   mailto:ADDRESS[,ADDRESS…]           email through the SMTP server VIGIL_SMTP_URL names
 */

export type TargetSpec =
  | { kind: 'webhook'; url: string; shape: 'json' | 'slack' | 'discord' }
  | { kind: 'ntfy'; url: string }
  | { kind: 'exec'; path: string }
  | { kind: 'desktop' }
  | { kind: 'email'; to: string[] };

export const TARGET_SYNTAX = 'a webhook URL, ntfy:URL, exec:PATH, mailto:ADDRESS or desktop';
const EMAIL_ADDRESS = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

export function parseTargetSpec(spec: string): { value: TargetSpec } | { error: string } {
  const text = spec.trim();
  if (text === 'desktop') return { value: { kind: 'desktop' } };
  if (text.startsWith('exec:')) {
    const path = text.slice('exec:'.length);
    return path === ''
      ? { error: 'exec: needs the path of a command, e.g. exec:/usr/local/bin/page-me' }
      : { value: { kind: 'exec', path } };
  }
  if (text.startsWith('mailto:')) {
    const to = decodeURIComponent(text.slice('mailto:'.length))
      .split(',')
      .map((address) => address.trim())
      .filter((address) => address !== '');
    const bad = to.find((address) => !EMAIL_ADDRESS.test(address));
    if (to.length === 0 || bad !== undefined) return { error: `${text}: expected mailto:NAME@HOST (comma-separated for several)` };
    return { value: { kind: 'email', to } };
  }
  if (text.startsWith('ntfy:')) {
    const url = httpUrl(text.slice('ntfy:'.length));
    return url ? { value: { kind: 'ntfy', url: url.href } } : { error: `${text}: expected ntfy:https://HOST/TOPIC` };
  }
  const url = httpUrl(text);
  if (!url) return { error: `${text}: expected ${TARGET_SYNTAX}` };
  if (/^ntfy\./i.test(url.hostname)) return { value: { kind: 'ntfy', url: url.href } };
  if (url.hostname === 'hooks.slack.com') return { value: { kind: 'webhook', url: url.href, shape: 'slack' } };
  if (/^(www\.)?discord(app)?\.com$/i.test(url.hostname) && url.pathname.startsWith('/api/webhooks'))
    return { value: { kind: 'webhook', url: url.href, shape: 'discord' } };
  return { value: { kind: 'webhook', url: url.href, shape: 'json' } };
}

/** A heartbeat URL: http(s) only. */
export function parseHeartbeatUrl(text: string): { value: string } | { error: string } {
  const url = httpUrl(text.trim());
  return url ? { value: url.href } : { error: `${text}: expected an http(s) URL to ping, e.g. https://hc-ping.com/UUID` };
}

function httpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** The spelling itself when it names a target (what the command line and vigil.yaml keep), else why not. */
export function checkTargetSpec(spec: string): { value: string } | { error: string } {
  const parsed = parseTargetSpec(spec);
  return 'error' in parsed ? parsed : { value: spec.trim() };
}
