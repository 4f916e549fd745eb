/**
 * Expected event rate of a simulated fleet, used to choose a virtual time range that yields about a
 * requested number of events (the `simulate` command sends a count, not a time range).
 */
import { demandFactor } from './demand.js';
import { buildFleet } from './fleet-model.js';
import { createRng } from './rng.js';

/** What the estimate needs to know about the fleet. */
export interface EstimateOptions {
  seed: number;
  pools: number;
  executorsPerPool: number;
  startMs: number;
  resourceIntervalSec?: number;
}

/** Events per build besides cache lookups: 3 state changes, ~35% × 4.5 tests, ~50% SBOM. */
const OTHER_EVENTS_PER_BUILD = 3 + 0.35 * 4.5 + 0.5;

/** Expected events per virtual second: `idle` (resource samples) plus `perDemand × demandFactor(t)`. */
export function eventRateModel(options: EstimateOptions): { idle: number; perDemand: number } {
  const fleet = buildFleet(createRng(options.seed).fork('fleet'), options.seed, options.pools, options.executorsPerPool);
  const interval = options.resourceIntervalSec ?? 15;
  let idle = 0;
  let perDemand = 0;
  for (const pool of fleet) {
    const total = pool.weights[pool.weights.length - 1] ?? 1;
    let prev = 0;
    let layers = 0;
    pool.menu.forEach((item, i) => {
      const w = (pool.weights[i] ?? 0) - prev;
      prev = pool.weights[i] ?? 0;
      layers += (w / total) * item.layerCount;
    });
    idle += pool.executors.length / interval;
    perDemand += pool.arrivalsPerSec * (layers + OTHER_EVENTS_PER_BUILD);
  }
  return { idle, perDemand };
}

/** Expected events per virtual second at a time. */
export function expectedEventsPerSecond(options: EstimateOptions, atMs: number): number {
  const m = eventRateModel(options);
  return m.idle + m.perDemand * demandFactor(atMs);
}

/** Virtual ms from `startMs` until about `events` events are expected (minute steps, capped at 60 days). */
export function virtualDurationFor(options: EstimateOptions, events: number): number {
  let expected = 0;
  let ms = 0;
  const step = 60_000;
  const { idle, perDemand } = eventRateModel(options);
  while (expected < events && ms < 60 * 86_400_000) {
    const t = options.startMs + ms;
    expected += (idle + perDemand * demandFactor(t)) * (step / 1000);
    ms += step;
  }
  return ms;
}
