/**
 * The demo's job generator for the real agents: a steady Poisson arrival of build jobs per pool with
 * a daily-looking wobble, and one burst (several times the base rate) so the queue grows, the scaling
 * policy reacts and the alerting sees it. Combinations come from the module catalogue, so the agents
 * build real, partly shared layers (cache hits and misses).
 */
import type { Rng } from '../../ingest/index.js';

/** Demand of one run. */
export interface DemandPlan {
  pools: readonly string[];
  /** Jobs per minute per pool outside the burst. */
  basePerMinute: number;
  /** Burst window, ms after the generator's start. */
  burstStartMs: number;
  burstDurationMs: number;
  /** Rate multiplier during the burst. */
  burstFactor: number;
}

/** Jobs per minute for one pool at `elapsedMs` after the start. */
export function ratePerMinute(plan: DemandPlan, elapsedMs: number, poolIndex: number): number {
  const inBurst = elapsedMs >= plan.burstStartMs && elapsedMs < plan.burstStartMs + plan.burstDurationMs;
  // A slow wobble (period 4 min), out of phase between pools, so the series are not flat lines.
  const wobble = 1 + 0.3 * Math.sin((2 * Math.PI * elapsedMs) / 240_000 + poolIndex * 1.7);
  // Only the first pool bursts: the others show the contrast.
  return plan.basePerMinute * wobble * (inBurst && poolIndex === 0 ? plan.burstFactor : 1);
}

/** Number of arrivals in `dtMs` at `perMinute` (Poisson, by inversion; fine for small means). */
export function poissonArrivals(rng: Rng, perMinute: number, dtMs: number): number {
  const mean = (perMinute * dtMs) / 60_000;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit && k < 1000) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Submits jobs; returns how many it put on the jobs topic. */
export type SubmitJobs = (pool: string, combination: readonly string[], count: number) => Promise<number>;

/** Picks a combination for a pool. */
export type PickCombination = (rng: Rng, pool: string) => readonly string[];

/** A running generator. */
export interface DemandGenerator {
  /** Jobs submitted so far. */
  submitted(): number;
  /** Stops after the current tick; resolves when stopped. */
  stop(): Promise<void>;
}

/** Collaborators of {@link startDemand}. */
export interface DemandDeps {
  plan: DemandPlan;
  rng: Rng;
  submit: SubmitJobs;
  pick: PickCombination;
  /** Called when a submission fails (the demo treats it as a crash). */
  onError: (err: unknown) => void;
  progress: (message: string) => void;
  tickMs?: number;
  now?: () => number;
}

/** Starts the generator (ticks every `tickMs`, default 1 s). */
export function startDemand(deps: DemandDeps): DemandGenerator {
  const now = deps.now ?? Date.now;
  const tickMs = deps.tickMs ?? 1000;
  const t0 = now();
  let total = 0;
  let stopped = false;
  let burstAnnounced = false;
  const loop = (async () => {
    while (!stopped) {
      const elapsed = now() - t0;
      if (!burstAnnounced && elapsed >= deps.plan.burstStartMs) {
        burstAnnounced = true;
        deps.progress(
          `demo: demand burst on pool ${deps.plan.pools[0]} (${deps.plan.burstFactor}x for ${deps.plan.burstDurationMs / 1000} s)`,
        );
      }
      try {
        for (const [i, pool] of deps.plan.pools.entries()) {
          const n = poissonArrivals(deps.rng, ratePerMinute(deps.plan, elapsed, i), tickMs);
          for (let k = 0; k < n; k++) total += await deps.submit(pool, deps.pick(deps.rng, pool), 1);
        }
      } catch (err) {
        stopped = true;
        deps.onError(err);
        return;
      }
      await new Promise((r) => setTimeout(r, tickMs));
    }
  })();
  return {
    submitted: () => total,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
