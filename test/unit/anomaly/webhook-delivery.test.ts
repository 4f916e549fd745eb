import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import type { Alert } from '../../../ingest/index.js';
import { createWebhookDelivery, toAlertmanagerPayload, type WebhookDeadLetter } from '../../../sinks/webhooks/index.js';

const alert: Alert = {
  event_id: 'abc:FIRING',
  event_time: Date.UTC(2026, 0, 5, 10, 5),
  producer_id: 'test',
  seq: 1,
  alert_id: 'abc',
  alert_key: 'failure_burst/pool/pool-1/build_failure_rate',
  detector: 'failure_burst',
  entity_type: 'pool',
  entity: 'pool-1',
  metric: 'build_failure_rate',
  severity: 'CRITICAL',
  state: 'FIRING',
  score: 0.99,
  value: 0.6,
  expected_low: 0,
  expected_high: 0.1,
  started_at: Date.UTC(2026, 0, 5, 10, 3),
  evidence: { build_failed: '6', build_executed: '10' },
};

/** A receiver on 127.0.0.1:0 answering with the statuses given, in order (last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.statusCode = statuses[Math.min(bodies.length - 1, statuses.length - 1)] ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function delivery(urls: string[], letters: WebhookDeadLetter[], attempts = 4) {
  return createWebhookDelivery({
    urls,
    attempts,
    deadLetters: { record: (l) => Promise.resolve(void letters.push(l)) },
    logger: silentLogger(),
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    clock: () => 42,
  });
}

describe('alert webhooks (Alertmanager format)', () => {
  it('builds an Alertmanager v4 payload', () => {
    const p = toAlertmanagerPayload(alert);
    expect(p).toMatchObject({ version: '4', status: 'firing', groupLabels: { alert_key: alert.alert_key } });
    expect(p.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'pulse_failure_burst', severity: 'critical', entity: 'pool-1', metric: 'build_failure_rate' },
      startsAt: '2026-01-05T10:03:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'abc',
    });
    expect(p.alerts[0]?.annotations.evidence_build_failed).toBe('6');
    const resolved = toAlertmanagerPayload({ ...alert, state: 'RESOLVED' });
    expect(resolved.alerts[0]?.endsAt).toBe('2026-01-05T10:05:00.000Z');
  });

  it('delivers to a local receiver', async () => {
    const r = await receiver([200]);
    servers.push(r.server);
    const letters: WebhookDeadLetter[] = [];
    const result = await delivery([r.url], letters).deliver(toAlertmanagerPayload(alert));
    expect(result).toEqual([{ url: r.url, ok: true, attempts: 1 }]);
    expect(r.bodies).toHaveLength(1);
    expect((r.bodies[0] as { alerts: Array<{ labels: { alert_key: string } }> }).alerts[0]?.labels.alert_key).toBe(alert.alert_key);
    expect(letters).toEqual([]);
  });

  it('retries while the receiver returns 500, then succeeds', async () => {
    const r = await receiver([500, 500, 200]);
    servers.push(r.server);
    const letters: WebhookDeadLetter[] = [];
    const result = await delivery([r.url], letters).deliver(toAlertmanagerPayload(alert));
    expect(result).toEqual([{ url: r.url, ok: true, attempts: 3 }]);
    expect(r.bodies).toHaveLength(3);
    expect(new Set(r.bodies.map((b) => JSON.stringify(b))).size).toBe(1); // the same payload each time
    expect(letters).toEqual([]);
  });

  it('records a dead letter after persistent 500s', async () => {
    const r = await receiver([500]);
    servers.push(r.server);
    const letters: WebhookDeadLetter[] = [];
    const result = await delivery([r.url], letters, 3).deliver(toAlertmanagerPayload(alert));
    expect(result).toEqual([{ url: r.url, ok: false, attempts: 3 }]);
    expect(r.bodies).toHaveLength(3);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ url: r.url, attempts: 3, code: 'PULSE_ERR_SINK_WRITE', status: 500, failedAt: 42 });
    expect(letters[0]?.payload.groupLabels.alert_key).toBe(alert.alert_key);
  });

  it('does not retry a 400 (the receiver rejected the payload) but dead-letters it', async () => {
    const r = await receiver([400]);
    servers.push(r.server);
    const letters: WebhookDeadLetter[] = [];
    const result = await delivery([r.url], letters).deliver(toAlertmanagerPayload(alert));
    expect(result[0]).toMatchObject({ ok: false, attempts: 1 });
    expect(letters[0]?.status).toBe(400);
  });

  it('dead-letters an unreachable receiver after retrying, and still delivers to the healthy one', async () => {
    const good = await receiver([200]);
    servers.push(good.server);
    const closed = await receiver([200]);
    await new Promise((res) => closed.server.close(res));
    const letters: WebhookDeadLetter[] = [];
    const result = await delivery([closed.url, good.url], letters, 2).deliver(toAlertmanagerPayload(alert));
    expect(result.map((x) => [x.ok, x.attempts])).toEqual([
      [false, 2],
      [true, 1],
    ]);
    expect(letters.map((l) => l.url)).toEqual([closed.url]);
    expect(letters[0]?.status).toBeUndefined();
  });
});
