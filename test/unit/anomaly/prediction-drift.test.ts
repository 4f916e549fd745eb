/**
 * Prediction drift in the streaming path: finished builds are joined (by build id, once per batch)
 * with the model's predicted duration from a PredictionLookup — a fake of our interface here, the
 * scorer's `predictions` table in production — and the drift channel alerts when actual durations
 * move away from the predictions, not while they agree, and never without predictions.
 */
import { describe, expect, it } from 'vitest';
import { createFleetSimulation, type Alert, type AnyEvent } from '../../../ingest/index.js';
import { createRng } from '../../../processors/anomaly/evaluation/rng.js';
import { createObservationMapper } from '../../../processors/anomaly/stream/event-observations.js';
import { createFleetMonitor } from '../../../processors/anomaly/stream/fleet-monitor.js';
import { createMinuteAggregator } from '../../../processors/anomaly/stream/minute-aggregator.js';
import { finishedBuildIds, joinPredictions } from '../../../processors/anomaly/stream/prediction-join.js';
import type { PredictionLookup } from '../../../processors/scoring/prediction-lookup.js';

const START = Date.UTC(2026, 0, 5, 8);
const MIN = 60_000;
const DRIFT_AT = START + 120 * MIN;
const events = [
  ...createFleetSimulation({ seed: 3, pools: 3, executorsPerPool: 3, startMs: START, durationMs: 3 * 60 * MIN }).events(),
] as AnyEvent[];

/**
 * A fake model: predicts each build's duration within ~15 % (log-normal error). From DRIFT_AT on, the
 * builds of `driftPool` take 1.6× what it predicts (the factory changed, the model did not).
 */
function fakeModel(driftPool: string | undefined): PredictionLookup & { asked: number } {
  const rng = createRng(11);
  const predicted = new Map<string, number>();
  for (const e of events) {
    if (e.family !== 'build' || e.value.type !== 'FINISHED' || e.value.duration_ms === null) continue;
    const drift = e.value.pool === driftPool && e.value.event_time >= DRIFT_AT ? 1.6 : 1;
    predicted.set(e.value.build_id, (e.value.duration_ms / drift) * Math.exp(0.15 * rng.normal()));
  }
  const model = {
    asked: 0,
    predictedDurations(ids: readonly string[]) {
      model.asked += ids.length;
      return Promise.resolve(new Map(ids.flatMap((id) => (predicted.has(id) ? [[id, predicted.get(id) as number] as const] : []))));
    },
  };
  return model;
}

/** The processor's per-batch path without Kafka: join predictions, map, window, monitor. */
async function replay(lookup: PredictionLookup, batchSize = 400): Promise<{ alerts: Alert[]; unavailable: number }> {
  const aggregator = createMinuteAggregator({ allowedLatenessMs: 30_000 });
  const mapper = createObservationMapper();
  const monitor = createFleetMonitor({ producerId: 'drift-test' });
  const alerts: Alert[] = [];
  let unavailable = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    const { predicted } = await joinPredictions(batch, lookup, () => unavailable++);
    for (const e of batch) {
      aggregator.add(e.value.event_time, mapper(e, e.family === 'build' ? predicted.get(e.value.build_id) : undefined));
      for (const snap of aggregator.advance()) alerts.push(...monitor.observe(snap));
    }
  }
  return { alerts: alerts.filter((a) => a.metric === 'build_duration_vs_prediction'), unavailable };
}

describe('prediction drift joined by build id', () => {
  it('asks only for passed finished builds', () => {
    const ids = finishedBuildIds(events);
    expect(ids.length).toBeGreaterThan(100);
    const passed = events.filter((e) => e.family === 'build' && e.value.type === 'FINISHED' && e.value.status === 'PASSED');
    expect(ids.length).toBe(passed.length);
  });

  it('fires on the pool whose builds move away from the predictions, soon after they do, and nowhere else', async () => {
    const model = fakeModel('pool-2');
    const { alerts } = await replay(model);
    expect(model.asked).toBe(finishedBuildIds(events).length);
    const firing = alerts.filter((a) => a.state === 'FIRING');
    expect(firing.map((a) => a.entity)).toEqual(['pool-2']);
    const first = firing[0] as Alert;
    expect(first.detector).toBe('drift');
    expect(first.event_time).toBeGreaterThan(DRIFT_AT);
    expect(first.event_time - DRIFT_AT).toBeLessThanOrEqual(10 * MIN);
    // Evidence: the actual mean is above the predicted range.
    expect(first.value).toBeGreaterThan(first.expected_high);
  });

  it('stays silent while actual durations agree with the predictions', async () => {
    const { alerts } = await replay(fakeModel(undefined));
    expect(alerts).toEqual([]);
  });

  it('has nothing to compare when the predictions are unavailable (and says so per batch)', async () => {
    const down: PredictionLookup = { predictedDurations: () => Promise.reject(new Error('store down')) };
    const { alerts, unavailable } = await replay(down, 4000);
    expect(alerts).toEqual([]);
    expect(unavailable).toBeGreaterThan(0);
  }, 30_000);
});
