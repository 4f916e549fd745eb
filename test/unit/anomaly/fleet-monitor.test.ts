import { describe, expect, it } from 'vitest';
import { createSchemaSet, type AnyEvent, type TestResult } from '../../../ingest/index.js';
import { replayEvents } from '../../../processors/anomaly/evaluation/fleet-evaluation.js';
import { createRng } from '../../../processors/anomaly/evaluation/rng.js';
import { alertId } from '../../../processors/anomaly/stream/fleet-monitor.js';

const T0 = Date.UTC(2026, 0, 5, 8);
const M = 60_000;
const COMBO = ['base@1', 'openssl@3', 'python@3.12'];

/** 20 test results per minute for `minutes`; outcome chosen by `outcome(minute, i)`. */
function testEvents(minutes: number, outcome: (m: number, rnd: number) => TestResult['outcome']): AnyEvent[] {
  const rng = createRng(9);
  const out: AnyEvent[] = [];
  let seq = 0;
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < 20; i++) {
      const o = outcome(m, rng.next());
      out.push({
        family: 'test',
        value: {
          event_id: `t${seq}`,
          event_time: T0 + m * M + i * 2500,
          producer_id: 'unit',
          seq: seq++,
          test_plan_id: 'plan',
          build_id: null,
          pool: 'pool-1',
          combination: COMBO,
          test_id: `test-${i}`,
          outcome: o,
          retries: o === 'FLAKY' ? 1 : 0,
          duration_ms: 1000,
        },
      });
    }
  }
  return out;
}

const normal = (rnd: number): TestResult['outcome'] => (rnd < 0.02 ? 'FAILED' : rnd < 0.05 ? 'FLAKY' : 'PASSED');

describe('fleet monitor (streaming path without Kafka)', () => {
  it('a burst of real failures fires one failure_burst alert per combination and resolves after it', () => {
    const events = testEvents(120, (m, rnd) => (m >= 60 && m < 70 ? (rnd < 0.5 ? 'FAILED' : 'PASSED') : normal(rnd)));
    const alerts = replayEvents(events);
    expect(alerts.map((a) => [a.state, a.detector, a.entity_type, a.entity, a.metric])).toEqual([
      ['FIRING', 'failure_burst', 'combination', COMBO.join('+'), 'test_failure_rate'],
      ['RESOLVED', 'failure_burst', 'combination', COMBO.join('+'), 'test_failure_rate'],
    ]);
    const [firing, resolved] = alerts;
    expect(firing!.started_at).toBeGreaterThanOrEqual(T0 + 60 * M);
    expect(firing!.event_time).toBeLessThanOrEqual(T0 + 62 * M); // within two one-minute windows
    expect(resolved!.alert_id).toBe(firing!.alert_id); // one alert, two lifecycle states
    expect(firing!.alert_id).toBe(alertId(firing!.alert_key, firing!.started_at));
    expect(firing!.alert_key).toBe(`failure_burst/combination/${COMBO.join('+')}/test_failure_rate`);
    expect(Number(firing!.evidence.test_failed)).toBeGreaterThan(3);
    expect(firing!.value).toBeGreaterThan(firing!.expected_high);
    // Every alert is a valid Avro Alert record.
    const schemas = createSchemaSet();
    for (const a of alerts) expect(() => schemas.validate('alert', a)).not.toThrow();
  });

  it('is flake-aware: a burst of FLAKY results (passed on retry) raises no failure alert', () => {
    const events = testEvents(120, (m, rnd) => (m >= 60 && m < 70 ? (rnd < 0.6 ? 'FLAKY' : 'PASSED') : normal(rnd)));
    expect(replayEvents(events)).toEqual([]);
  });

  it('is deterministic: replaying the same events gives the same alerts', () => {
    const events = testEvents(100, (m, rnd) => (m >= 50 && m < 55 ? 'FAILED' : normal(rnd)));
    expect(replayEvents(events)).toEqual(replayEvents(events));
  });
});
