/**
 * `mailto:ADDRESS`: the alert as a plain-text email, sent with nodemailer through the SMTP server
 * that `VIGIL_SMTP_URL` names (`smtp://user@host:587`, `smtps://user@host:465`; the password in
 * the URL or, kept out of it, in `VIGIL_SMTP_PASSWORD`). The sender is `VIGIL_SMTP_FROM`, else
 * `vigil@HOSTNAME`. Without a server the target says so once (a permanent failure, not retried).
 */

import { hostname } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import { type Alert, alertBody, alertHeadline } from '../../core/alerts/alert.ts';
import { PermanentSendError } from './send-error.ts';
import type { NotifyTarget } from './target.ts';

const SMTP_TIMEOUT_MS = 10_000;

export function emailTarget(to: readonly string[], env: NodeJS.ProcessEnv): NotifyTarget {
  const label = `mailto:${to.join(',')}`;
  const server = smtpServer(env);
  const from = env.VIGIL_SMTP_FROM ?? `vigil@${hostname()}`;
  return {
    label,
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      if (typeof server === 'string') throw new PermanentSendError(server);
      const sending = server.sendMail({ from, to: [...to], subject: alertHeadline(alert), text: alertBody(alert) });
      const abandoned = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      await Promise.race([sending, abandoned]);
    },
  };
}

/** The transport VIGIL_SMTP_URL describes, or why there is none. */
function smtpServer(env: NodeJS.ProcessEnv): Transporter | string {
  const text = env.VIGIL_SMTP_URL;
  if (!text) return 'email alerts need an SMTP server: set VIGIL_SMTP_URL (smtp://USER@HOST:587)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `VIGIL_SMTP_URL is not a URL: ${text}`;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return `VIGIL_SMTP_URL must start with smtp:// or smtps://`;
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass: env.VIGIL_SMTP_PASSWORD ?? decodeURIComponent(url.password) } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
}
