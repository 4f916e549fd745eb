/**
 * The directive engine. Every `checkIntervalMs` it observes all pools; for a pool whose decision interval
 * has passed, or whose state changed significantly since its last decision, it asks the scaling policy
 * for desired slots and the cache policy for combinations to warm, and issues the directives (published
 * keyed by pool to the compacted topics and recorded with the numbers that led to them). It then records
 * the measured effect of acked directives whose measuring window has passed.
 */
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { Predictor } from '../predict/predictor.js';
import type { EffectMeter } from './effect.js';
import type { DirectiveIssuer, IssuedDirective } from './issuer.js';
import type { CacheWarmPolicy, PoolSnapshot, ScalingLimits, ScalingPolicy } from './policies/types.js';
import type { PoolObservation, PoolStateSource } from './pool-state.js';
import { significantChange } from './significance.js';

/** Options of the engine. */
export interface EngineOptions {
  /** Decision interval per pool, ms. */
  intervalMs: number;
  /** How often pools are observed (significant changes are acted on at this pace), ms. */
  checkIntervalMs: number;
  /** Most combinations in a cache-warming directive. */
  warmBudget: number;
  /** Bounds and SLO of a pool. */
  limits: (pool: string) => ScalingLimits;
}

/** Dependencies of {@link createDirectiveEngine}. */
export interface EngineDeps {
  source: PoolStateSource;
  issuer: DirectiveIssuer;
  effects: EffectMeter;
  /** A fresh policy per pool: policies keep memory (forecasts, hysteresis). */
  scalingPolicy: (pool: string) => ScalingPolicy;
  warmPolicy: CacheWarmPolicy;
  /** Predicted build durations of queued combinations (optional: observed durations otherwise). */
  predictor?: Predictor;
  options: EngineOptions;
  logger: Logger;
  metrics: Metrics;
  clock?: () => number;
}

/** What one pass did. */
export interface TickResult {
  pools: number;
  issued: IssuedDirective[];
  effects: number;
}

/** The engine. */
export interface DirectiveEngine {
  /** One pass at the current time (used by the loop, and directly by tests). */
  tick(): Promise<TickResult>;
  /** Starts the loop (first pass at once). */
  start(): void;
  /** Stops the loop and waits for a running pass. */
  stop(): Promise<void>;
}

interface PoolMemory {
  policy: ScalingPolicy;
  lastDecisionAt: number;
  lastSnapshot?: PoolSnapshot;
  lastDesired?: number;
  lastWarmKey?: string;
  lastWarmAt: number;
}

/** Creates the engine. */
export function createDirectiveEngine(deps: EngineDeps): DirectiveEngine {
  const clock = deps.clock ?? Date.now;
  const o = deps.options;
  const log = deps.logger.child({ component: 'directive-engine' });
  const desiredGauge = deps.metrics.gauge('directive_desired_slots', 'desired slots of the last scaling directive', ['pool']);
  const ticks = deps.metrics.counter('directive_engine_ticks_total', 'directive engine passes', ['outcome']);
  const pools = new Map<string, PoolMemory>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  const memory = (pool: string): PoolMemory => {
    let m = pools.get(pool);
    if (!m) pools.set(pool, (m = { policy: deps.scalingPolicy(pool), lastDecisionAt: -Infinity, lastWarmAt: -Infinity }));
    return m;
  };

  const meanBuildMs = async (obs: PoolObservation): Promise<{ ms: number; predicted: boolean }> => {
    if (!deps.predictor || obs.queuedCombinations.length === 0) return { ms: obs.meanBuildMs, predicted: false };
    try {
      const preds = await deps.predictor.predict(
        obs.queuedCombinations.map((combination) => ({ pool: obs.pool, arch: 'amd64', combination })),
      );
      const mean = preds.reduce((s, p) => s + p.duration_ms, 0) / Math.max(1, preds.length);
      return Number.isFinite(mean) && mean > 0 ? { ms: mean, predicted: true } : { ms: obs.meanBuildMs, predicted: false };
    } catch (err) {
      log.debug({ err, pool: obs.pool }, 'prediction failed; using observed durations');
      return { ms: obs.meanBuildMs, predicted: false };
    }
  };

  const decidePool = async (obs: PoolObservation, now: number, issued: IssuedDirective[]): Promise<void> => {
    const m = memory(obs.pool);
    const limits = o.limits(obs.pool);
    const changed = significantChange(m.lastSnapshot, obs, {
      relative: 0.5,
      minQueueDelta: 3,
      minRateDelta: 0.05,
      queueWaitSloMs: limits.queueWaitSloMs,
    });
    if (now - m.lastDecisionAt < o.intervalMs && !changed) return;
    const mean = await meanBuildMs(obs);
    const snapshot: PoolSnapshot = { ...obs, meanBuildMs: mean.ms };
    const decision = m.policy.decide(snapshot, limits);
    const trigger = now - m.lastDecisionAt >= o.intervalMs ? 1 : 0;
    m.lastDecisionAt = now;
    m.lastSnapshot = obs;
    // Every decision is published (refreshing valid_until of the pool's compacted record) and recorded.
    issued.push(
      await deps.issuer.issue({
        pool: obs.pool,
        kind: 'SCALING',
        source: 'engine',
        policy: m.policy.name,
        desiredSlots: decision.desiredSlots,
        warm: [],
        reason: {
          ...decision.reason,
          queued: obs.queued,
          running: obs.running,
          slots: obs.slots,
          observed_arrivals_per_sec: obs.observedArrivalsPerSec,
          mean_build_ms: mean.ms,
          duration_predicted: mean.predicted ? 1 : 0,
          interval_trigger: trigger,
          previous_desired_slots: m.lastDesired ?? -1,
          ...(obs.queueWaitP95Ms !== undefined ? { queue_wait_p95_ms: obs.queueWaitP95Ms } : {}),
          queue_wait_slo_ms: limits.queueWaitSloMs,
          min_slots: limits.minSlots,
          max_slots: limits.maxSlots,
        },
        reasonText: decision.reasonText,
        validForMs: 3 * o.intervalMs,
      }),
    );
    m.lastDesired = decision.desiredSlots;
    desiredGauge.set({ pool: obs.pool }, decision.desiredSlots);
    await warmPool(obs.pool, m, now, issued);
  };

  const warmPool = async (pool: string, m: PoolMemory, now: number, issued: IssuedDirective[]): Promise<void> => {
    if (o.warmBudget <= 0) return;
    const candidates = await deps.source.warmCandidates(pool, now, o.intervalMs * 2);
    const chosen = deps.warmPolicy.choose(candidates, o.warmBudget);
    if (chosen.length === 0) return;
    const key = chosen.map((c) => c.combination.join(';')).join('|');
    if (key === m.lastWarmKey && now - m.lastWarmAt < o.intervalMs) return;
    m.lastWarmKey = key;
    m.lastWarmAt = now;
    const expected = chosen.reduce((s, c) => s + c.probability * c.savingMs, 0);
    issued.push(
      await deps.issuer.issue({
        pool,
        kind: 'CACHE_WARM',
        source: 'engine',
        policy: deps.warmPolicy.name,
        desiredSlots: null,
        warm: chosen.map((c) => ({ combination: c.combination, expected_saving_ms: c.probability * c.savingMs })),
        reason: {
          candidates: candidates.length,
          already_warm: candidates.filter((c) => c.warm).length,
          chosen: chosen.length,
          budget: o.warmBudget,
          expected_saving_ms: expected,
          top_probability: chosen[0]?.probability ?? 0,
        },
        reasonText: `warm ${chosen.length} of ${candidates.length} candidates, expected saving ${Math.round(expected)} ms over the next ${Math.round((o.intervalMs * 2) / 1000)} s`,
        validForMs: 3 * o.intervalMs,
      }),
    );
  };

  const tick = async (): Promise<TickResult> => {
    const now = clock();
    const observations = await deps.source.observe(now);
    const issued: IssuedDirective[] = [];
    for (const obs of observations) {
      try {
        await decidePool(obs, now, issued);
      } catch (err) {
        log.error({ err, pool: obs.pool }, 'directive for pool failed');
      }
    }
    const effects = await deps.effects.measureDue(now);
    return { pools: observations.length, issued, effects: effects.length };
  };

  const loop = (): void => {
    running = tick()
      .then((r) => {
        ticks.inc({ outcome: 'ok' });
        if (r.issued.length > 0) log.info({ issued: r.issued.length, pools: r.pools, effects: r.effects }, 'directive pass');
      })
      .catch((err: unknown) => {
        ticks.inc({ outcome: 'error' });
        log.error({ err }, 'directive pass failed');
      })
      .finally(() => {
        running = undefined;
        if (timer) timer = setTimeout(loop, o.checkIntervalMs);
      });
  };

  return {
    tick,
    start() {
      if (timer) return;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
