/**
 * Demand trace from the fleet simulator's model (ingest/simulator): its pools and combination menus
 * (Zipf-like popularity, per-combination time factors), its diurnal + weekly arrival curve, and the
 * module catalogue's per-layer build times; plus load bursts (a release or a base-image bump that
 * queues a batch of builds within minutes), which the fleet model's arrival process does not have.
 */
import {
  buildFleet,
  combinationLayers,
  createRng,
  demandFactor,
  nextArrival,
  pickMenuItem,
  type Rng,
  type SimPool,
} from '../../ingest/index.js';
import { layersOf, sortTrace, type Trace, type TraceJob } from './trace.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Options of {@link generateFleetTrace}. */
export interface FleetTraceOptions {
  seed?: number;
  /** Default 7 (a week: weekdays and a weekend). */
  days?: number;
  /** Default 2. */
  pools?: number;
  /** Executors per pool in the fleet model (sets its demand level). Default 6. */
  executorsPerPool?: number;
  /** Start, ms since epoch. Default 2024-01-01T00:00Z (a Monday). */
  startMs?: number;
  /** Multiplies the fleet model's arrival rate. Default 1. */
  loadScale?: number;
  /** Bursts per pool per weekday (placed by the demand curve). Default 3. */
  burstsPerDay?: number;
  /** Jobs per burst, [min, max]. Default [15, 40]. */
  burstJobs?: [number, number];
  /** A burst's jobs arrive within this span, ms. Default 300 000. */
  burstSpanMs?: number;
  /** Non-cacheable part of a build: `fixedBaseMs + fixedShare × cold layer time`. Defaults 30 000 and 0.1. */
  fixedBaseMs?: number;
  fixedShare?: number;
}

function job(rng: Rng, pool: SimPool, id: string, at: number, o: Required<FleetTraceOptions>): TraceJob {
  const item = pickMenuItem(rng, pool);
  const coldMs = item.combination.map((mod) =>
    Math.round(
      combinationLayers([mod])
        .map((l) => l.buildSeconds)
        .reduce((a, b) => a + b, 0) *
        item.timeFactor *
        1000,
    ),
  );
  const layerTotal = coldMs.reduce((a, b) => a + b, 0);
  return {
    id,
    arrivalMs: Math.round(at),
    pool: pool.name,
    combination: item.combination,
    layers: layersOf(item.combination, coldMs),
    fixedMs: Math.round(o.fixedBaseMs + o.fixedShare * layerTotal),
  };
}

/** Generates a deterministic fleet trace for the options. */
export function generateFleetTrace(options: FleetTraceOptions = {}): Trace {
  const o: Required<FleetTraceOptions> = {
    seed: 42,
    days: 7,
    pools: 2,
    executorsPerPool: 6,
    startMs: Date.UTC(2024, 0, 1),
    loadScale: 1,
    burstsPerDay: 3,
    burstJobs: [15, 40],
    burstSpanMs: 300_000,
    fixedBaseMs: 30_000,
    fixedShare: 0.1,
    ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as FleetTraceOptions),
  };
  const rng = createRng(o.seed);
  const fleet = buildFleet(rng.fork('fleet'), o.seed, o.pools, o.executorsPerPool);
  const end = o.startMs + o.days * DAY;
  const jobs: TraceJob[] = [];
  for (const pool of fleet) {
    const prng = rng.fork(`arrivals:${pool.name}`);
    let n = 0;
    for (
      let t = nextArrival(prng, o.startMs, pool.arrivalsPerSec * o.loadScale);
      t < end;
      t = nextArrival(prng, t, pool.arrivalsPerSec * o.loadScale)
    ) {
      jobs.push(job(prng, pool, `${pool.name}-${++n}`, t, o));
    }
    const brng = rng.fork(`bursts:${pool.name}`);
    for (let d = 0; d < o.days; d++) {
      const dayStart = o.startMs + d * DAY;
      const dow = new Date(dayStart).getUTCDay();
      const count = dow === 0 || dow === 6 ? 0 : o.burstsPerDay;
      for (let b = 0; b < count; b++) {
        // Place bursts where the demand curve is (rejection sampling against a factor of 3).
        let at = dayStart;
        do at = dayStart + brng.next() * DAY;
        while (brng.next() * 3 > demandFactor(at));
        const size = brng.int(o.burstJobs[0], o.burstJobs[1]);
        for (let k = 0; k < size; k++) jobs.push(job(brng, pool, `${pool.name}-burst-${d}-${b}-${k}`, at + brng.next() * o.burstSpanMs, o));
      }
    }
  }
  return sortTrace({
    name: `fleet-seed${o.seed}`,
    source: `fleet simulator model (ingest/simulator), ${o.days} days, ${o.pools} pools, bursts ${o.burstsPerDay}/weekday`,
    jobs,
  });
}
