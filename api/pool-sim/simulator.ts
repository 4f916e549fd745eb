/**
 * The executor-pool simulator: a deterministic discrete-event replay of a demand trace against a pool
 * driven by a scaling policy and a cache policy (the same modules the directive engine runs).
 * Executors are single-slot; new ones take `startupMs` to become ready and start with an empty layer
 * cache; scale-down removes starting executors first, then idle ones (a running build is never killed,
 * like ARC/KEDA ScaledJobs); builds are dispatched FIFO, an arrival going to the idle executor with the
 * longest warm prefix. Build time = fixed + Σ(cached layer ? cold·hitCostRatio : cold) over the layers,
 * where only a leading run of cached layers is reused (Docker semantics).
 */
import { createWarmDemandModel, type CacheWarmPolicy, type ScalingPolicy } from '../directives/policies/index.js';
import { createEventQueue } from './event-queue.js';
import { createLayerCache, type LayerCache } from './layer-cache.js';
import { createTraceOracle } from './oracle.js';
import { simConfig, type PoolSimConfig } from './sim-config.js';
import { createSeriesBuilder, summariseWaits, type SeriesPoint, type WaitSummary } from './stats.js';
import type { Trace, TraceJob } from './trace.js';
import { planWarming } from './warming.js';

/** What to simulate. Policies are factories: each pool gets fresh instances (their own memory). */
export interface PoolSimInput {
  trace: Trace;
  scaling: () => ScalingPolicy;
  cache: () => CacheWarmPolicy;
  config?: Partial<PoolSimConfig>;
}

/** The outcome of a run (all pools of the trace together). */
export interface PoolSimResult {
  trace: string;
  scaling: string;
  cache: string;
  pools: number;
  jobs: number;
  wait: WaitSummary;
  executorHours: number;
  /** Executors started (each pays `startupMs` before doing any work). */
  executorStarts: number;
  cost: number;
  /** Busy slot time / provisioned slot time. */
  utilisation: number;
  /** Layer hits / layer lookups over all builds. */
  cacheHitRatio: number;
  layerLookups: number;
  meanBuildMs: number;
  /** Time series of the first pool (or the only one). */
  series: SeriesPoint[];
}

type Ev =
  | { k: 'arrival'; job: TraceJob }
  | { k: 'ready'; ex: Exec }
  | { k: 'done'; ex: Exec }
  | { k: 'tick' }
  | { k: 'warm' }
  | { k: 'warmed'; ex: Exec; key: string; protect: ReadonlySet<string> };

/** An executor (one slot) of the simulated pool. */
export interface Exec {
  id: number;
  state: 'starting' | 'idle' | 'busy';
  createdMs: number;
  cache: LayerCache;
  warmingUntil: number;
  removed: boolean;
}

interface PoolOutcome {
  starts: number;
  waits: number[];
  executorMs: number;
  busyMs: number;
  hits: number;
  lookups: number;
  series: SeriesPoint[];
}

function simulateOnePool(jobs: readonly TraceJob[], input: PoolSimInput, cfg: PoolSimConfig): PoolOutcome {
  const scaling = input.scaling();
  const cachePolicy = input.cache();
  const oracle = createTraceOracle(jobs);
  const demand = createWarmDemandModel();
  const seen = new Map<string, { combination: string[]; layers: TraceJob['layers'] }>();
  const q = createEventQueue<Ev>();
  const series = createSeriesBuilder(cfg.seriesBucketMs);
  const live = new Map<number, Exec>();
  const queue: TraceJob[] = [];
  let qHead = 0;
  const recent: number[] = [];
  let rHead = 0;
  let now = jobs[0]?.arrivalMs ?? 0;
  let nextId = 1;
  let remaining = jobs.length;
  let running = 0;
  let meanBuildMs = 0;
  let meanSquareBuildMs = 0;
  const out: PoolOutcome = { starts: 0, waits: [], executorMs: 0, busyMs: 0, hits: 0, lookups: 0, series: [] };
  const nextUse = cachePolicy.offline ? (key: string) => oracle.nextLayerUse(key, now) : undefined;
  // Online estimate of a layer's use rate: the demand model's rates of the seen combinations sharing it.
  const combosByLayer = new Map<string, string[][]>();
  const rateMemo = { at: -1, rates: new Map<string, number>() };
  const useRate = (key: string): number => {
    if (rateMemo.at !== now) [rateMemo.at, rateMemo.rates] = [now, new Map<string, number>()];
    let r = rateMemo.rates.get(key);
    if (r === undefined) {
      r = (combosByLayer.get(key) ?? []).reduce((s, c) => s + demand.rate(c, now + cfg.warmHorizonMs / 2), 0);
      rateMemo.rates.set(key, r);
    }
    return r;
  };
  // Warming admission: a pulled layer may only replace a less valuable one (by the policy's knowledge).
  const warmValue = nextUse ? (key: string) => -nextUse(key) : useRate;

  const addExec = (ready: boolean): Exec => {
    const ex: Exec = {
      id: nextId++,
      state: ready ? 'idle' : 'starting',
      createdMs: now,
      cache: createLayerCache({ capacity: cfg.cacheCapacity, policy: cachePolicy, nextUseMs: nextUse, predictedUseRate: useRate }),
      warmingUntil: 0,
      removed: false,
    };
    live.set(ex.id, ex);
    if (!ready) {
      out.starts++;
      q.push(now + cfg.startupMs, { k: 'ready', ex });
    }
    return ex;
  };
  const removeExec = (ex: Exec): void => {
    ex.removed = true;
    live.delete(ex.id);
    out.executorMs += now - ex.createdMs;
  };
  const start = (ex: Exec, job: TraceJob): void => {
    const keys = job.layers.map((l) => l.key);
    const hit = ex.cache.warmPrefix(keys);
    let duration = job.fixedMs;
    job.layers.forEach((l, i) => (duration += i < hit ? l.coldMs * cfg.hitCostRatio : l.coldMs));
    out.hits += hit;
    out.lookups += keys.length;
    const protect = new Set(keys);
    for (const k of keys) ex.cache.insert(k, now, protect);
    const wait = now - job.arrivalMs;
    out.waits.push(wait);
    series.started(now, wait, hit, keys.length);
    out.busyMs += duration;
    meanBuildMs = meanBuildMs === 0 ? duration : meanBuildMs + 0.02 * (duration - meanBuildMs);
    meanSquareBuildMs =
      meanSquareBuildMs === 0 ? duration * duration : meanSquareBuildMs + 0.02 * (duration * duration - meanSquareBuildMs);
    ex.state = 'busy';
    running++;
    q.push(now + duration, { k: 'done', ex });
  };
  const idleNext = (ex: Exec): void => {
    ex.state = 'idle';
    const job = queue[qHead];
    if (job) {
      qHead++;
      start(ex, job);
    }
  };
  const warm = (targets: Exec[]): void => {
    const queued = queue.slice(qHead);
    const free = [...live.values()].filter((x) => x.state !== 'busy');
    for (const w of planWarming({ targets, free, nowMs: now, policy: cachePolicy, demand, oracle, seen, queued, cfg })) {
      w.ex.warmingUntil = w.doneMs;
      const protect = new Set(w.pulls.map((p) => p.key));
      for (const p of w.pulls) q.push(p.doneMs, { k: 'warmed', ex: w.ex, key: p.key, protect });
    }
  };

  for (let i = 0; i < (cfg.initialSlots ?? cfg.limits.minSlots); i++) addExec(true);
  for (const job of jobs) q.push(job.arrivalMs, { k: 'arrival', job });
  const firstTick = Math.floor(now / cfg.decisionIntervalMs) * cfg.decisionIntervalMs;
  q.push(firstTick, { k: 'tick' });
  q.push(firstTick, { k: 'warm' });

  for (let e = q.pop(); e; e = q.pop()) {
    now = e.at;
    const ev = e.item;
    if (ev.k === 'arrival') {
      const job = ev.job;
      series.arrival(now);
      recent.push(now);
      demand.observe(job.combination, now);
      const ck = job.combination.join('/');
      if (!seen.has(ck)) {
        seen.set(ck, { combination: job.combination, layers: job.layers });
        for (const l of job.layers) combosByLayer.set(l.key, [...(combosByLayer.get(l.key) ?? []), job.combination]);
      }
      const keys = job.layers.map((l) => l.key);
      let best: Exec | undefined;
      let bestPrefix = -1;
      for (const ex of live.values()) {
        if (ex.state !== 'idle') continue;
        const p = ex.cache.warmPrefix(keys);
        if (p > bestPrefix) [best, bestPrefix] = [ex, p];
      }
      if (best) start(best, job);
      else queue.push(job);
    } else if (ev.k === 'ready') {
      if (ev.ex.removed) continue;
      idleNext(ev.ex);
      if (ev.ex.state === 'idle') warm([ev.ex]);
    } else if (ev.k === 'done') {
      running--;
      remaining--;
      idleNext(ev.ex);
      // The run (and the bill) ends with the last build; pending ticks after it change nothing.
      if (remaining === 0) break;
    } else if (ev.k === 'warmed') {
      if (ev.ex.removed) continue;
      // Docker reuses a layer only on top of its parent: a layer whose parent did not make it is useless.
      const cut = ev.key.lastIndexOf('/');
      if (cut > 0 && !ev.ex.cache.has(ev.key.slice(0, cut))) continue;
      const v = warmValue(ev.key);
      ev.ex.cache.insert(ev.key, now, ev.protect, (victim) => warmValue(victim) < v);
    } else if (ev.k === 'warm') {
      warm([...live.values()].filter((x) => x.state === 'idle' && x.warmingUntil <= now));
      if (remaining > 0) q.push(now + cfg.warmIntervalMs, { k: 'warm' });
    } else {
      while (rHead < recent.length && (recent[rHead] ?? 0) <= now - cfg.observeWindowMs) rHead++;
      const queued = queue.length - qHead;
      const decision = scaling.decide(
        {
          pool: jobs[0]?.pool ?? '',
          nowMs: now,
          queued,
          running,
          slots: live.size,
          observedArrivalsPerSec: (recent.length - rHead) / (cfg.observeWindowMs / 1000),
          meanBuildMs: meanBuildMs || 60_000,
          // Variability of build times (EWMA of squares over the same builds): mixed warm and cold builds.
          ...(meanBuildMs > 0 ? { buildMsCv2: Math.max(0, meanSquareBuildMs / (meanBuildMs * meanBuildMs) - 1) } : {}),
        },
        cfg.limits,
      );
      let diff = decision.desiredSlots - live.size;
      // A new executor pre-pulls what the cache policy wants while it boots (agents pull on start-up).
      const fresh: Exec[] = [];
      for (; diff > 0; diff--) fresh.push(addExec(false));
      warm(fresh);
      if (diff < 0) {
        const removable = [...live.values()]
          .filter((x) => x.state !== 'busy')
          .sort((a, b) => (a.state === b.state ? a.cache.size - b.cache.size || b.id - a.id : a.state === 'starting' ? -1 : 1));
        for (const ex of removable.slice(0, -diff)) removeExec(ex);
      }
      series.sample(now, live.size, running, queued);
      if (remaining > 0) q.push(now + cfg.decisionIntervalMs, { k: 'tick' });
    }
  }
  for (const ex of [...live.values()]) removeExec(ex);
  out.series = series.points();
  return out;
}

/** Runs the simulation over every pool of the trace (independently) and aggregates. */
export function simulatePool(input: PoolSimInput): PoolSimResult {
  const cfg = simConfig(input.config);
  const byPool = new Map<string, TraceJob[]>();
  for (const j of input.trace.jobs) {
    const a = byPool.get(j.pool);
    if (a) a.push(j);
    else byPool.set(j.pool, [j]);
  }
  const outs = [...byPool.keys()].sort().map((p) => simulateOnePool(byPool.get(p) ?? [], input, cfg));
  const waits = outs.flatMap((o) => o.waits);
  const executorMs = outs.reduce((s, o) => s + o.executorMs, 0);
  const busyMs = outs.reduce((s, o) => s + o.busyMs, 0);
  const hits = outs.reduce((s, o) => s + o.hits, 0);
  const lookups = outs.reduce((s, o) => s + o.lookups, 0);
  return {
    trace: input.trace.name,
    scaling: input.scaling().name,
    cache: input.cache().name,
    pools: outs.length,
    jobs: waits.length,
    wait: summariseWaits(waits),
    executorHours: executorMs / 3_600_000,
    executorStarts: outs.reduce((s, o) => s + o.starts, 0),
    cost: (executorMs / 3_600_000) * cfg.slotCostPerHour,
    utilisation: executorMs === 0 ? 0 : busyMs / executorMs,
    cacheHitRatio: lookups === 0 ? 0 : hits / lookups,
    layerLookups: lookups,
    meanBuildMs: waits.length === 0 ? 0 : busyMs / waits.length,
    series: outs[0]?.series ?? [],
  };
}
