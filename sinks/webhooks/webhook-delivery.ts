/**
 * Webhook delivery: POSTs each alert payload to every configured URL with retries (exponential
 * backoff with jitter via the shared retry helper). 5xx, 429 and network errors are retried; other
 * 4xx are not (the receiver rejected the payload). When every attempt fails, a dead-letter record is
 * handed to the injected dead-letter sink — a delivery is never silently lost.
 */
import { SinkWriteError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { retry, type RetryOptions } from '../../common/retry.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';

/** What is recorded when a delivery fails for good. */
export interface WebhookDeadLetter {
  url: string;
  payload: AlertmanagerPayload;
  attempts: number;
  /** Error code (`PULSE_ERR_SINK_WRITE`) and message of the last attempt. */
  code: string;
  error: string;
  /** HTTP status of the last attempt, when there was a response. */
  status?: number;
  failedAt: number;
}

/** Where dead letters go (the anomaly processor publishes them to the dead-letter topic). */
export interface DeadLetterSink {
  record(letter: WebhookDeadLetter): Promise<void>;
}

/** Dependencies and tuning of {@link createWebhookDelivery}. */
export interface WebhookDeliveryDeps {
  urls: readonly string[];
  deadLetters: DeadLetterSink;
  logger: Logger;
  metrics?: Metrics;
  /** Attempts per URL (default 5). */
  attempts?: number;
  /** Per-request timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Backoff tuning passed to `retry` (tests shorten it). */
  backoff?: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'random' | 'sleep'>;
  clock?: () => number;
}

/** Result of delivering one payload to one URL. */
export interface DeliveryResult {
  url: string;
  ok: boolean;
  attempts: number;
}

/** Delivers alert payloads. */
export interface WebhookDelivery {
  /** Sends to every URL; resolves when each has succeeded or been dead-lettered. Never throws for HTTP failures. */
  deliver(payload: AlertmanagerPayload): Promise<DeliveryResult[]>;
}

/** Creates the delivery for a set of URLs. */
export function createWebhookDelivery(deps: WebhookDeliveryDeps): WebhookDelivery {
  const attemptsMax = deps.attempts ?? 5;
  const timeoutMs = deps.timeoutMs ?? 5000;
  const clock = deps.clock ?? Date.now;
  const sent = deps.metrics?.counter('alert_webhook_requests_total', 'alert webhook POSTs by outcome', ['outcome'] as const);
  const log = deps.logger.child({ component: 'alert-webhooks' });

  async function post(url: string, body: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      sent?.inc({ outcome: 'network_error' });
      throw new SinkWriteError(`webhook ${url}`, (err as Error).message, { cause: err, retriable: true });
    }
    await res.arrayBuffer().catch((err: unknown) => log.debug({ err }, 'could not drain webhook response'));
    if (res.ok) {
      sent?.inc({ outcome: 'ok' });
      return;
    }
    sent?.inc({ outcome: `http_${Math.floor(res.status / 100)}xx` });
    const retriable = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new SinkWriteError(`webhook ${url}`, `HTTP ${res.status}`, { retriable, details: { status: res.status } });
  }

  async function deliverOne(url: string, payload: AlertmanagerPayload, body: string): Promise<DeliveryResult> {
    let attempts = 0;
    try {
      await retry(
        async (attempt) => {
          attempts = attempt;
          await post(url, body);
        },
        {
          retries: attemptsMax,
          ...deps.backoff,
          onRetry: (err, attempt, delayMs) =>
            log.warn({ url, attempt, delayMs, err: (err as Error).message }, 'alert webhook failed, retrying'),
        },
      );
      return { url, ok: true, attempts };
    } catch (err) {
      const e = err instanceof SinkWriteError ? err : new SinkWriteError(`webhook ${url}`, String(err), { cause: err });
      const status = typeof e.details.status === 'number' ? e.details.status : undefined;
      log.error({ url, attempts, err: e.message }, 'alert webhook failed for good; dead-lettering');
      await deps.deadLetters.record({ url, payload, attempts, code: e.code, error: e.message, status, failedAt: clock() });
      return { url, ok: false, attempts };
    }
  }

  return {
    async deliver(payload) {
      const body = JSON.stringify(payload);
      return Promise.all(deps.urls.map((url) => deliverOne(url, payload, body)));
    },
  };
}
