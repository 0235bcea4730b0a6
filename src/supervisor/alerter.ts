/**
 * Alerts and the heartbeat, off the supervisor's critical path. The store writer hands every write
 * to `observe` (which never throws and never waits); the rules (core/alerts/rules.ts) say which
 * alerts fire, the throttle which go out now, later in a digest, or not at all. Each target has its
 * own queue, sent in the background with a timeout per try and retries with backoff, so that a
 * slow target delays neither the run nor the other targets. Held deliveries are bounded; a target
 * that fails is reported once and never ends anything. At the run's end `close` waits a short,
 * bounded while for what is still queued, then abandons it.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../core/alerts/alert.ts';
import { failUrl, heartbeatAction } from '../core/alerts/heartbeat.ts';
import { alertsFor, dueAlerts, INITIAL_RULE_STATE, type ObservedWrite, type RuleState, runHealth } from '../core/alerts/rules.ts';
import { admit, DEFAULT_THROTTLE, digestDue, digestOf, type SentAlert, type ThrottlePolicy } from '../core/alerts/throttle.ts';
import { request } from '../platform/notify/http.ts';
import { describeSendError, PermanentSendError } from '../platform/notify/send-error.ts';
import type { NotifyTarget } from '../platform/notify/target.ts';

/** `--notify`, `--heartbeat`, `--heartbeat-every`, `--notify-finished`, parsed. */
export type AlertSettings = {
  targets: NotifyTarget[];
  heartbeat: string | null;
  heartbeatIntervalMs: number;
  notifyFinished: boolean;
};

const SEND_TIMEOUT_MS = 10_000;
const TRIES = 4;
const FIRST_RETRY_MS = 1000;
/** Deliveries held across all targets; past this, new ones are dropped (and that is said once). */
const MAX_QUEUED = 200;
const TICK_MS = 1000;
/** What the run's end waits, at most, for alerts still queued (the failure alert among them). */
export const ALERT_FLUSH_MS = 2000;

type TargetQueue = { target: NotifyTarget; pending: Alert[]; sending: boolean; reported: boolean };

export class Alerter {
  #name: string | null;
  #warn: (message: string) => void;
  #settings: AlertSettings;
  #throttle: ThrottlePolicy;
  #rules: RuleState = INITIAL_RULE_STATE;
  #sent: SentAlert[] = [];
  #held: Alert[] = [];
  #digests = 0;
  #queues: TargetQueue[];
  #dropped = 0;
  #abort = new AbortController();
  /** Set by `close`: no more backoff, each delivery left gets one try within the flush. */
  #closing = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #lastPingAt: number | null = null;
  #pinging: Promise<void> | null = null;
  #heartbeatReported = false;
  #failPinged = false;
  #idle: (() => void)[] = [];

  constructor(settings: AlertSettings, options: { name: string | null; warn: (message: string) => void; throttle?: ThrottlePolicy }) {
    this.#settings = settings;
    this.#name = options.name;
    this.#warn = options.warn;
    this.#throttle = options.throttle ?? DEFAULT_THROTTLE;
    this.#queues = settings.targets.map((target) => ({ target, pending: [], sending: false, reported: false }));
    this.#timer = setInterval(() => this.#guard(() => this.#tick(Date.now())), Math.min(TICK_MS, settings.heartbeatIntervalMs));
    this.#timer.unref();
  }

  /** A write the supervisor made: never throws, never waits. */
  observe = (write: ObservedWrite): void => {
    this.#guard(() => {
      const { state, alerts } = alertsFor(this.#rules, write, this.#ruleOptions());
      this.#rules = state;
      for (const alert of alerts) this.#offer(alert, write.at);
    });
  };

  #ruleOptions() {
    return { name: this.#name, notifyFinished: this.#settings.notifyFinished };
  }

  /** Sends one alert to every target now, past the throttle (`vigil notify test`). */
  sendNow(alert: Alert): void {
    this.#deliver(alert);
  }

  /** The run is over: the last heartbeat, any digest held, then up to `deadline` for what is queued. */
  async close(deadline: number): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#closing.abort();
    this.#guard(() => this.#tick(Date.now(), true));
    const drained = new Promise<void>((resolve) => {
      if (this.#busy()) this.#idle.push(resolve);
      else resolve();
    });
    const late = sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false });
    await Promise.race([Promise.all([drained, this.#pinging ?? Promise.resolve()]), late]);
    for (const queue of this.#queues)
      if (!queue.reported && (queue.sending || queue.pending.length > 0)) {
        queue.reported = true;
        this.#warn(`alerts to ${queue.target.label} did not get through before vigil exited (no answer within ${ALERT_FLUSH_MS / 1000}s)`);
      }
    this.#abort.abort();
  }

  #offer(alert: Alert, now: number): void {
    switch (admit(this.#sent, alert, now, this.#throttle)) {
      case 'duplicate':
        return;
      case 'hold':
        this.#held.push(alert);
        return;
      case 'send':
        if (alert.kind === 'failed' || alert.kind === 'gave_up') this.#sendDigest(now); // what was held comes first
        this.#deliver(alert);
    }
  }

  #tick(now: number, closing = false): void {
    const due = dueAlerts(this.#rules, now, this.#ruleOptions());
    this.#rules = due.state;
    for (const alert of due.alerts) this.#offer(alert, now);
    if (digestDue(this.#held, now, closing || this.#rules.ended, this.#throttle)) this.#sendDigest(now);
    const url = this.#settings.heartbeat;
    if (url === null) return;
    const action = heartbeatAction(runHealth(this.#rules), now, this.#lastPingAt, this.#settings.heartbeatIntervalMs);
    if (action === 'ping' && this.#pinging === null) {
      this.#lastPingAt = now;
      this.#ping(url);
    } else if (action === 'fail' && !this.#failPinged) {
      this.#failPinged = true;
      this.#ping(failUrl(url));
    }
  }

  #sendDigest(now: number): void {
    if (this.#held.length === 0) return;
    const digest = digestOf(this.#held, now, ++this.#digests);
    this.#held = [];
    this.#deliver(digest);
  }

  #deliver(alert: Alert): void {
    this.#sent.push({ runId: alert.run.id, kind: alert.kind, episode: alert.episode, at: alert.at });
    for (const queue of this.#queues) {
      if (this.#queued() >= MAX_QUEUED) {
        if (this.#dropped++ === 0) this.#warn(`more than ${MAX_QUEUED} alerts are waiting to be sent; further ones are dropped`);
        continue;
      }
      queue.pending.push(alert);
      if (!queue.sending) void this.#pump(queue);
    }
  }

  async #pump(queue: TargetQueue): Promise<void> {
    queue.sending = true;
    try {
      for (let alert = queue.pending.shift(); alert; alert = queue.pending.shift()) {
        const failure = await this.#withRetries((signal) => queue.target.send(alert, signal));
        if (failure && !queue.reported && !this.#abort.signal.aborted) {
          queue.reported = true;
          this.#warn(`alerts to ${queue.target.label} are not getting through (${failure}); the run goes on without them`);
        }
      }
    } finally {
      queue.sending = false;
      if (!this.#busy()) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #ping(url: string): void {
    this.#pinging = this.#withRetries((signal) => request(url, { method: 'GET' }, signal), 1)
      .then((failure) => {
        if (failure && !this.#heartbeatReported && !this.#abort.signal.aborted) {
          this.#heartbeatReported = true;
          this.#warn(`the heartbeat to ${new URL(url).host} is not getting through (${failure}); the run goes on`);
        }
      })
      .finally(() => {
        this.#pinging = null;
      });
  }

  /** Tries `send` with a timeout each time and backoff between; null once it went through, else why not. */
  async #withRetries(send: (signal: AbortSignal) => Promise<void>, tries = TRIES): Promise<string | null> {
    let why = '';
    for (let n = 1; n <= tries && !this.#abort.signal.aborted; n += 1) {
      try {
        await send(AbortSignal.any([this.#abort.signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]));
        return null;
      } catch (error) {
        why = describeSendError(error, SEND_TIMEOUT_MS);
        if (error instanceof PermanentSendError || n === tries || this.#closing.signal.aborted) break;
        await sleep(FIRST_RETRY_MS * 2 ** (n - 1), undefined, { signal: this.#closing.signal, ref: false }).catch(() => undefined);
      }
    }
    return why || 'abandoned at exit';
  }

  #queued(): number {
    return this.#queues.reduce((sum, queue) => sum + queue.pending.length, 0);
  }

  #busy(): boolean {
    return this.#queues.some((queue) => queue.sending || queue.pending.length > 0);
  }

  /** Alerts are never worth a failure of supervision: a bug here is said, and the run goes on. */
  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#warn(`internal error in alerts (a bug: please report it): ${(error as Error).stack ?? String(error)}`);
    }
  }
}

/** The run's alerter, or null when it has no target and no heartbeat. */
export function alerterFor(settings: AlertSettings | undefined, name: string | null, warn: (message: string) => void): Alerter | null {
  if (!settings || (settings.targets.length === 0 && settings.heartbeat === null)) return null;
  return new Alerter(settings, { name, warn });
}
