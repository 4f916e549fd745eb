/**
 * Warming rounds of the simulator: for each target executor, build the warm candidates (online: the
 * demand model fed with past arrivals only, plus the combinations of the jobs waiting in the queue now;
 * offline policies: the trace's future, plus the same queued jobs), let the cache policy choose, and plan
 * the pulls of the chosen layers that are not resident yet. A candidate is valued per copy: a
 * combination already warm (or being warmed) on k free executors is worth warming on one more only for
 * the builds beyond those k (online: {@link warmCopyUseProbability}; offline: its (k+1)-th next build),
 * so free executors hold different combinations instead of all the same ones. Pulls run one after another, best choice
 * first; each layer takes `warmPullRatio` of its cold build time and becomes usable when its own pull
 * completes (like `docker pull` extracting layer by layer).
 */
import { warmCopyUseProbability, type CacheWarmPolicy, type WarmCandidate, type WarmDemandModel } from '../directives/policies/index.js';
import type { TraceOracle } from './oracle.js';
import type { PoolSimConfig } from './sim-config.js';
import type { Exec } from './simulator.js';
import type { TraceJob, TraceLayer } from './trace.js';

/** Inputs of {@link planWarming}. */
export interface WarmingRound {
  targets: readonly Exec[];
  /** Every executor not running a build (idle or starting), targets included. */
  free: readonly Exec[];
  nowMs: number;
  policy: CacheWarmPolicy;
  demand: WarmDemandModel;
  oracle: TraceOracle;
  /** Combinations seen so far (online knowledge). */
  seen: ReadonlyMap<string, { combination: string[]; layers: TraceLayer[] }>;
  /** Jobs waiting in the queue now (known to online and offline policies alike). */
  queued: readonly TraceJob[];
  cfg: PoolSimConfig;
}

/** One layer pull: usable from `doneMs`. */
export interface LayerPull {
  key: string;
  doneMs: number;
}

/** The planned pulls on one executor, in order. */
export interface WarmPlan {
  ex: Exec;
  pulls: LayerPull[];
  /** When the last pull completes. */
  doneMs: number;
}

interface QueuedCombo {
  combination: string[];
  layers: TraceLayer[];
  count: number;
  firstArrivalMs: number;
}

function queuedCombos(queued: readonly TraceJob[]): Map<string, QueuedCombo> {
  const out = new Map<string, QueuedCombo>();
  for (const j of queued) {
    const k = j.combination.join('/');
    const q = out.get(k);
    if (q) q.count++;
    else out.set(k, { combination: j.combination, layers: j.layers, count: 1, firstArrivalMs: j.arrivalMs });
  }
  return out;
}

/** Plans one warming round. */
export function planWarming(r: WarmingRound): WarmPlan[] {
  if (r.cfg.warmBudget <= 0 || r.targets.length === 0 || r.policy.neverWarms) return [];
  const plans: WarmPlan[] = [];
  const waiting = queuedCombos(r.queued);
  const layersByCombo = r.policy.offline ? r.oracle.combinations() : r.seen;
  const layersOf = (c: readonly string[]): TraceLayer[] => {
    const k = c.join('/');
    return layersByCombo.get(k)?.layers ?? waiting.get(k)?.layers ?? [];
  };
  // Probabilities do not depend on the executor: estimate them once per round.
  const base = r.policy.offline
    ? []
    : r.demand.candidates({ nowMs: r.nowMs, horizonMs: r.cfg.warmHorizonMs, isWarm: () => false, savingMs: () => 0 });
  const universe = new Map<string, string[]>();
  for (const [k, v] of r.policy.offline ? r.oracle.combinations() : r.seen) universe.set(k, v.combination);
  for (const [k, w] of waiting) universe.set(k, w.combination);
  // Free executors on which each combination is fully warm (then also the ones planned in this round).
  const covered = new Map<string, number>();
  for (const [k, c] of universe) {
    const keys = layersOf(c).map((l) => l.key);
    covered.set(k, r.free.filter((ex) => keys.every((key) => ex.cache.has(key))).length);
  }
  for (const ex of r.targets) {
    const missing = (layers: readonly TraceLayer[]): TraceLayer[] => layers.filter((l) => !ex.cache.has(l.key));
    const saving = (c: readonly string[]): number => missing(layersOf(c)).reduce((s, l) => s + l.coldMs * (1 - r.cfg.hitCostRatio), 0);
    const candidates: WarmCandidate[] = [];
    if (r.policy.offline) {
      for (const [key, combination] of universe) {
        const k = covered.get(key) ?? 0;
        const q = waiting.get(key);
        const next = q && k < q.count ? q.firstArrivalMs : r.oracle.nthCombinationUse(key, r.nowMs, k - (q?.count ?? 0));
        if (next - r.nowMs > r.cfg.warmHorizonMs) continue;
        const s = saving(combination);
        candidates.push({ combination, probability: 1, savingMs: s, warm: s === 0, nextArrivalMs: next });
      }
    } else {
      const known = new Set<string>();
      const add = (c: WarmCandidate, key: string): void => {
        const q = waiting.get(key);
        const share = warmCopyUseProbability({
          share: c.share ?? c.probability,
          covered: covered.get(key) ?? 0,
          queuedOfCombination: q?.count ?? 0,
          queuedTotal: r.queued.length,
          freeExecutors: r.free.length,
        });
        const s = saving(c.combination);
        candidates.push({ ...c, probability: q ? 1 : c.probability, share, savingMs: s, warm: s === 0 });
        known.add(key);
      };
      for (const c of base) add(c, c.combination.join('/'));
      // A queued job will certainly be built soon, even if its combination is new to the demand model.
      for (const [key, w] of waiting)
        if (!known.has(key)) add({ combination: w.combination, probability: 1, share: 0, savingMs: 0, warm: false }, key);
    }
    const chosen = r.policy.choose(candidates, r.cfg.warmBudget);
    for (const c of chosen) {
      const key = c.combination.join('/');
      covered.set(key, (covered.get(key) ?? 0) + 1);
    }
    const pulls: LayerPull[] = [];
    let at = r.nowMs;
    for (const c of chosen) {
      for (const l of missing(layersOf(c.combination))) {
        if (pulls.some((p) => p.key === l.key)) continue;
        at += Math.max(1, Math.round(l.coldMs * r.cfg.warmPullRatio));
        pulls.push({ key: l.key, doneMs: at });
      }
    }
    if (pulls.length > 0) plans.push({ ex, pulls, doneMs: at });
  }
  return plans;
}
