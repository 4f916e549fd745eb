/**
 * The acceptance on the fleet simulator, replayed through the streaming path without Kafka:
 * every injected incident raises an alert (on a metric that incident kind affects) within two
 * 5-minute windows, and the quiet run of the same seed and length raises none.
 * `pulse detect --fleet-seeds 1-12` prints the same count for more seeds.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../ingest/index.js';
import { evaluateFleet, parseSeeds } from '../../../processors/anomaly/evaluation/fleet-evaluation.js';
import { matchIncidents } from '../../../processors/anomaly/evaluation/incident-matching.js';
import { planIncidents } from '../../../ingest/simulator/incidents.js';
import { createRng } from '../../../ingest/simulator/rng.js';

const MIN = 60_000;

describe('fleet simulator acceptance', () => {
  it('alerts every incident of seeds 1-4 within two windows; the quiet runs raise no alert', () => {
    const r = evaluateFleet({ seeds: [1, 2, 3, 4], hours: 4 });
    const late = r.perIncident
      .filter((i) => !i.detected)
      .map((i) => `seed ${i.seed} ${i.kind} on ${i.entity} (delay ${i.delayMs ?? 'none'})`);
    expect(late).toEqual([]);
    expect(r.incidents).toBe(32);
    expect(new Set(r.perIncident.map((i) => i.kind))).toEqual(new Set(['slow_executor', 'cache_outage', 'failure_burst', 'stuck_queue']));
    expect(r.delayMinutes.max).toBeLessThanOrEqual(10);
    expect(r.perSeed.map((s) => s.quietRunAlerts)).toEqual([0, 0, 0, 0]);
    expect(r.unexplainedAlerts).toBe(0);
  }, 60_000);

  it('plans no incident that could not show: none overlaps its own kind on the entity or a stuck queue of the pool', () => {
    const pools = ['pool-1', 'pool-2', 'pool-3'];
    const executors = pools.flatMap((p) => [1, 2, 3].map((e) => `${p}-exec-0${e}`));
    for (let seed = 1; seed <= 200; seed++) {
      const plan = planIncidents(createRng(seed), 0, 8 * 60 * MIN, pools, executors);
      const poolOf = (i: (typeof plan)[number]): string => i.entity.replace(/-exec-\d+$/, '');
      for (const a of plan)
        for (const b of plan) {
          if (a === b) continue;
          if (a.kind === b.kind && a.entity === b.entity)
            expect(b.startMs >= a.endMs + 30 * MIN || a.startMs >= b.endMs + 30 * MIN).toBe(true);
          if (a.kind === 'stuck_queue' && poolOf(a) === poolOf(b)) expect(b.startMs >= a.endMs || a.startMs >= b.endMs).toBe(true);
        }
      expect(new Set(plan.map((i) => i.kind)).size).toBe(4);
    }
  });

  it('counts an incident only for an alert on a metric its kind affects', () => {
    const incident = { kind: 'stuck_queue', entity: 'pool-1', startMs: 10 * MIN, endMs: 30 * MIN };
    const alert = (metric: string, at: number): Alert =>
      ({ alert_id: metric, entity: 'pool-1', metric, state: 'FIRING', event_time: at, detector: 'x' }) as unknown as Alert;
    const wrong = matchIncidents([alert('slow_cache_lookups', 12 * MIN)], [incident], 10 * MIN);
    expect(wrong.detected).toBe(0);
    expect(wrong.sideEffects).toHaveLength(1);
    const right = matchIncidents([alert('queue_depth', 14 * MIN)], [incident], 10 * MIN);
    expect(right.incidents[0]).toMatchObject({ detected: true, delayMs: 4 * MIN });
    const late = matchIncidents([alert('queue_depth', 21 * MIN)], [incident], 10 * MIN);
    expect(late.incidents[0]).toMatchObject({ detected: false, delayMs: 11 * MIN });
    const elsewhere = matchIncidents([{ ...alert('queue_depth', 14 * MIN), entity: 'pool-2' }], [incident], 10 * MIN);
    expect(elsewhere.unexplained).toHaveLength(1);
  });

  it('parses seed lists and names the flag when one is wrong', () => {
    expect(parseSeeds('1-3,7')).toEqual([1, 2, 3, 7]);
    expect(() => parseSeeds('3-1')).toThrow(/--fleet-seeds/);
    expect(() => parseSeeds('x')).toThrow(/--fleet-seeds/);
  });
});
