/**
 * The fleet simulator: a deterministic discrete-event simulation of the factory over a virtual time
 * range. Builds arrive with diurnal/weekly demand, wait in a pool queue, run layer by layer on an
 * executor (cache lookups whose hit chance decays with the layer's last use, heavy-tailed build
 * times per combination, pair-dependent failures), and finish; executors sample their resources.
 * Yields `{ family, value }` in event-time order, without Kafka; the ground truth grows as it goes.
 */
import type { BuildEvent } from '../contracts/types.js';
import type { SimEvent } from './emit.js';
import { createEmitter, sbomDocument, testResults } from './emit.js';
import { nextArrival } from './demand.js';
import { buildFleet, pickMenuItem, type MenuItem, type SimExecutor, type SimPool } from './fleet-model.js';
import { createTimeQueue } from './heap.js';
import { activeIncident, planIncidents } from './incidents.js';
import { createRng } from './rng.js';
import { createTruthRecorder, type GroundTruth } from './truth.js';
import { createCacheModel, type ExecState } from './cache-model.js';

/** Options of {@link createFleetSimulation}. */
export interface FleetOptions {
  seed: number;
  pools: number;
  executorsPerPool: number;
  /** Start of virtual time, ms since epoch. */
  startMs: number;
  /** Length of virtual time, ms (the simulation may also stop earlier at `maxEvents`). */
  durationMs: number;
  /** Stop after the step that reaches this many events (a step yields a few at most; default: no limit). */
  maxEvents?: number;
  /** Inject incidents (slow executor, cache outage, failure burst, stuck queue). */
  anomalies?: boolean;
  /** Seconds between resource samples per executor (default 15). */
  resourceIntervalSec?: number;
}

/** A running simulation. */
export interface FleetSimulation {
  /** Events in event-time order (iterate once). */
  events(): Generator<SimEvent, void, undefined>;
  /** Ground truth of everything yielded so far (complete once `events()` is exhausted). */
  truth(): GroundTruth;
}

interface Build {
  id: string;
  jobId: string;
  pool: SimPool;
  item: MenuItem;
  queuedAt: number;
  startedAt: number;
  exec: ExecState | undefined;
  layer: number;
  failAt: number;
  status: 'PASSED' | 'FAILED' | 'ERRORED' | 'CANCELLED';
  category: string | null;
  /** Whether a failure burst already had its one chance to break this build. */
  exposed: boolean;
}

type Happening =
  | { k: 'arrival'; pool: SimPool }
  | { k: 'layer'; build: Build }
  | { k: 'tick'; exec: ExecState }
  | { k: 'dispatch'; pool: SimPool }
  | { k: 'later'; run: (at: number) => void };

/** Creates a simulation; nothing is generated until `events()` is iterated. */
export function createFleetSimulation(options: FleetOptions): FleetSimulation {
  const rng = createRng(options.seed);
  const endMs = options.startMs + options.durationMs;
  const maxEvents = options.maxEvents ?? Infinity;
  const interval = (options.resourceIntervalSec ?? 15) * 1000;
  const pools = buildFleet(rng.fork('fleet'), options.seed, options.pools, options.executorsPerPool);
  const executors = pools.flatMap((p) => p.executors);
  const incidents = options.anomalies
    ? planIncidents(
        rng.fork('incidents'),
        options.startMs,
        endMs,
        pools.map((p) => p.name),
        executors.map((e) => e.name),
        (name) => executors.find((e) => e.name === name)?.pool ?? name,
      )
    : [];
  const truth = createTruthRecorder({
    seed: options.seed,
    startMs: options.startMs,
    endMs,
    pools: pools.map((p) => p.name),
    executors: executors.map((e) => e.name),
    incidents,
  });
  const em = createEmitter(options.seed, (family, topic) => truth.count(family, topic));
  const cache = createCacheModel(rng.fork('cache'), pools, options.startMs, incidents);
  const execs = new Map<string, ExecState>(executors.map((e: SimExecutor) => [e.name, cache.executor(e)]));
  const queues = new Map<string, Build[]>(pools.map((p) => [p.name, []]));
  const q = createTimeQueue<Happening>();
  let builds = 0;

  for (const pool of pools) q.push(nextArrival(rng, options.startMs, pool.arrivalsPerSec), { k: 'arrival', pool });
  for (const e of execs.values()) q.push(options.startMs + rng.next() * interval, { k: 'tick', exec: e });
  for (const inc of incidents) {
    const pool = pools.find((p) => p.name === inc.entity);
    if (inc.kind === 'stuck_queue' && pool) q.push(inc.endMs, { k: 'dispatch', pool });
  }

  const buildEvent = (b: Build, type: BuildEvent['type'], at: number, executor: string | null, fields: Partial<BuildEvent> = {}): void => {
    em.emit('build', executor ?? `${b.pool.name}-scheduler`, at, {
      type,
      build_id: b.id,
      job_id: b.jobId,
      pool: b.pool.name,
      executor,
      arch: b.pool.arch,
      combination: b.item.combination,
      queue_wait_ms: fields.queue_wait_ms ?? null,
      duration_ms: fields.duration_ms ?? null,
      status: fields.status ?? null,
      failure_category: fields.failure_category ?? null,
      image_size_bytes: fields.image_size_bytes ?? null,
      layer_count: fields.layer_count ?? null,
      sbom_generation_ms: fields.sbom_generation_ms ?? null,
      features: {},
    });
  };

  const dispatch = (pool: SimPool, at: number): void => {
    if (activeIncident(incidents, 'stuck_queue', pool.name, at)) return;
    const queue = queues.get(pool.name) ?? [];
    while (queue.length > 0) {
      let best: ExecState | undefined;
      for (const ex of pool.executors) {
        const st = execs.get(ex.name) as ExecState;
        if (st.running.size < ex.slots && (!best || st.running.size < best.running.size)) best = st;
      }
      if (!best) return;
      const b = queue.shift() as Build;
      start(b, best, at);
    }
  };

  const start = (b: Build, exec: ExecState, at: number): void => {
    b.exec = exec;
    b.startedAt = at;
    exec.running.add(b);
    const burst = activeIncident(incidents, 'failure_burst', b.pool.name, at);
    b.exposed = burst !== undefined;
    const pFail = Math.min(0.95, b.item.failureRate + (burst?.effect.extraFailureRate ?? 0));
    if (rng.chance(pFail)) {
      const category = burst && rng.chance(0.7) ? 'infra' : b.item.failureCategory;
      b.status = category === 'infra' ? 'ERRORED' : 'FAILED';
      b.category = category;
      const n = b.item.layerCount;
      b.failAt = category === 'test' || category === 'timeout' ? n - 1 : rng.int(Math.floor(n / 2), n - 1);
    } else if (rng.chance(0.005)) {
      b.status = 'CANCELLED';
      b.failAt = rng.int(0, b.item.layerCount - 1);
    }
    buildEvent(b, 'STARTED', at, exec.spec.name, { queue_wait_ms: Math.round(at - b.queuedAt) });
    q.push(at, { k: 'layer', build: b });
  };

  const finish = (b: Build, at: number): void => {
    const exec = b.exec as ExecState;
    exec.running.delete(b);
    const passed = b.status === 'PASSED';
    const sbomMs = passed ? Math.round(rng.logNormal(300 + 40 * b.item.layerCount, 0.4)) : null;
    buildEvent(b, 'FINISHED', at, exec.spec.name, {
      queue_wait_ms: Math.round(b.startedAt - b.queuedAt),
      duration_ms: Math.round(at - b.startedAt),
      status: b.status,
      failure_category: b.category,
      image_size_bytes: passed ? b.item.imageSizeBytes : null,
      layer_count: b.layer,
      sbom_generation_ms: sbomMs,
    });
    truth.finished(b.pool.name, at, b.status === 'FAILED' || b.status === 'ERRORED');
    const info = { buildId: b.id, pool: b.pool.name, executor: exec.spec.name, combination: b.item.combination, key: b.item.key };
    // Test reports and SBOMs are published later than the build's end, at their own event time.
    if (passed && rng.chance(0.35)) {
      const testRisk = b.item.failureCategory === 'test' ? b.item.failureRate : 0;
      q.push(at + rng.logNormal(8000, 0.5), { k: 'later', run: (t) => testResults(em, rng, t, { ...info, testRisk }) });
    }
    if (passed && sbomMs !== null && rng.chance(0.5)) q.push(at + sbomMs, { k: 'later', run: (t) => sbomDocument(em, t, info) });
    dispatch(b.pool, at);
  };

  const handle = (h: Happening, at: number): void => {
    if (h.k === 'arrival') {
      const n = ++builds;
      const b: Build = {
        id: `b${options.seed}-${n}`,
        jobId: `j${options.seed}-${n}`,
        pool: h.pool,
        item: pickMenuItem(rng, h.pool),
        queuedAt: at,
        startedAt: 0,
        exec: undefined,
        layer: 0,
        failAt: -1,
        status: 'PASSED',
        category: null,
        exposed: false,
      };
      buildEvent(b, 'QUEUED', at, null);
      queues.get(h.pool.name)?.push(b);
      dispatch(h.pool, at);
      q.push(nextArrival(rng, at, h.pool.arrivalsPerSec), h);
    } else if (h.k === 'layer') {
      const b = h.build;
      // A failing or cancelled build stops after layer `failAt`.
      const stop = b.failAt >= 0 ? b.failAt + 1 : b.item.layerCount;
      const layer = b.item.layers[b.layer];
      if (b.layer >= stop || !layer) return finish(b, at);
      // An infrastructure failure burst also breaks builds already running when it begins (once each).
      const burst = b.exposed ? undefined : activeIncident(incidents, 'failure_burst', b.pool.name, at);
      if (burst && (burst.effect.appliesToRunning ?? 0) > 0) {
        b.exposed = true;
        if (b.status === 'PASSED' && rng.chance(burst.effect.extraFailureRate ?? 0)) {
          b.status = 'ERRORED';
          b.category = 'infra';
          b.failAt = b.layer;
        }
      }
      const seconds = cache.lookup(em, b.exec as ExecState, layer, { buildId: b.id, timeFactor: b.item.timeFactor }, at);
      b.layer += 1;
      q.push(at + seconds * 1000, h);
    } else if (h.k === 'tick') {
      cache.sample(em, h.exec, queues.get(h.exec.spec.pool)?.length ?? 0, at, interval);
      q.push(at + interval, h);
    } else if (h.k === 'later') {
      h.run(at);
    } else {
      dispatch(h.pool, at);
    }
  };

  return {
    *events() {
      let emitted = 0;
      while (q.size > 0 && q.peekTime() < endMs) {
        const next = q.pop();
        if (!next) break;
        handle(next.item, next.at);
        for (const ev of em.drain()) {
          emitted += 1;
          yield ev;
        }
        // Stop between steps so the truth (per-minute builds) covers exactly what was yielded.
        if (emitted >= maxEvents) {
          truth.stoppedAt(next.at + 1);
          return;
        }
      }
    },
    truth: () => truth.snapshot(),
  };
}

/** Runs a simulation to the end and returns all events with the ground truth (small ranges; tests). */
export function generateFleet(options: FleetOptions): { events: SimEvent[]; truth: GroundTruth } {
  const sim = createFleetSimulation(options);
  const events = [...sim.events()];
  return { events, truth: sim.truth() };
}
