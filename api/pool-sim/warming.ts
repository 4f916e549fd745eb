/**
 * Warming rounds of the simulator: for each idle executor, build the warm candidates (online: the
 * demand model fed with past arrivals only; offline policies: the trace's future), let the cache
 * policy choose, and plan the pulls of the chosen layers that are not resident yet (a pull takes
 * `warmPullRatio` of the layer's cold build time; the layers become usable when it completes).
 */
import type { CacheWarmPolicy, WarmCandidate, WarmDemandModel } from '../directives/policies/index.js';
import type { TraceOracle } from './oracle.js';
import type { PoolSimConfig } from './sim-config.js';
import type { Exec } from './simulator.js';
import type { TraceLayer } from './trace.js';

/** Inputs of {@link planWarming}. */
export interface WarmingRound {
  targets: readonly Exec[];
  nowMs: number;
  policy: CacheWarmPolicy;
  demand: WarmDemandModel;
  oracle: TraceOracle;
  /** Combinations seen so far (online knowledge). */
  seen: ReadonlyMap<string, { combination: string[]; layers: TraceLayer[] }>;
  cfg: PoolSimConfig;
}

/** A planned pull on one executor. */
export interface WarmPlan {
  ex: Exec;
  keys: string[];
  doneMs: number;
}

/** Plans one warming round. */
export function planWarming(r: WarmingRound): WarmPlan[] {
  if (r.cfg.warmBudget <= 0 || r.targets.length === 0 || r.policy.neverWarms) return [];
  const plans: WarmPlan[] = [];
  const layersByCombo = r.policy.offline ? r.oracle.combinations() : r.seen;
  // Probabilities do not depend on the executor: estimate them once per round.
  const base = r.policy.offline
    ? []
    : r.demand.candidates({ nowMs: r.nowMs, horizonMs: r.cfg.warmHorizonMs, isWarm: () => false, savingMs: () => 0 });
  for (const ex of r.targets) {
    const missing = (layers: readonly TraceLayer[]): TraceLayer[] => layers.filter((l) => !ex.cache.has(l.key));
    const layersOf = (c: readonly string[]): TraceLayer[] => layersByCombo.get(c.join('/'))?.layers ?? [];
    const saving = (c: readonly string[]): number => missing(layersOf(c)).reduce((s, l) => s + l.coldMs * (1 - r.cfg.hitCostRatio), 0);
    let candidates: WarmCandidate[];
    if (r.policy.offline) {
      candidates = [];
      for (const [key, v] of r.oracle.combinations()) {
        const next = r.oracle.nextCombinationUse(key, r.nowMs);
        if (next - r.nowMs > r.cfg.warmHorizonMs) continue;
        const s = saving(v.combination);
        candidates.push({ combination: v.combination, probability: 1, savingMs: s, warm: s === 0, nextArrivalMs: next });
      }
    } else {
      candidates = base.map((c) => {
        const s = saving(c.combination);
        return { ...c, savingMs: s, warm: s === 0 };
      });
    }
    const chosen = r.policy.choose(candidates, r.cfg.warmBudget);
    if (chosen.length === 0) continue;
    const keys: string[] = [];
    let pullMs = 0;
    for (const c of chosen) {
      for (const l of missing(layersOf(c.combination))) {
        if (keys.includes(l.key)) continue;
        keys.push(l.key);
        pullMs += l.coldMs * r.cfg.warmPullRatio;
      }
    }
    if (keys.length > 0) plans.push({ ex, keys, doneMs: r.nowMs + Math.max(1, Math.round(pullMs)) });
  }
  return plans;
}
