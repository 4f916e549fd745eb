/**
 * The history state: everything the features of a build are computed from, updated by build
 * events in event-time order. Training, backtest and serving all drive the same class — training
 * and backtests by replaying history ({@link replayHistory}), serving by warming it from recent
 * ClickHouse rows and then applying live events — so the feature vectors cannot drift apart.
 *
 * Only information revealed before a build starts is in here: outcomes enter at their finish time.
 */
import { CombinationCache, MAX_PAIR_MODULES, combinationInfo, type CombinationInfo } from './combination-info.js';
import { emptyStats, updateStats, type KeyStats } from './key-stats.js';
import { isFailure, type BuildOutcome } from './types.js';

export { MAX_PAIR_MODULES };
/** How many finished build ids are remembered to ignore duplicate FINISHED events. */
const SEEN_LIMIT = 200_000;

interface InFlight {
  pool: string;
  at: number;
}

/** Ordered module pairs of a combination, as stable keys. */
export function modulePairs(combination: readonly string[]): string[] {
  return combinationInfo(combination).pairs;
}

/** Key of the (pool, combination) entity. */
export function poolCombinationKey(pool: string, combinationKey: string): string {
  return `${pool}\u0001${combinationKey}`;
}

/** Rolling state of the whole fleet. */
export class HistoryState {
  readonly global: KeyStats = emptyStats();
  readonly pools = new Map<string, KeyStats>();
  readonly combinations = new Map<string, KeyStats>();
  readonly poolCombinations = new Map<string, KeyStats>();
  readonly modules = new Map<string, KeyStats>();
  readonly pairs = new Map<string, KeyStats>();
  readonly cacheHit = new Map<string, number>();
  private readonly combos = new CombinationCache();
  private readonly queued = new Map<string, InFlight>();
  private readonly running = new Map<string, InFlight>();
  private readonly queuedByPool = new Map<string, number>();
  private readonly runningByPool = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private seenHead = 0;
  /** Latest event time applied (ms). */
  lastEventAt = -1;

  /** A build entered the queue. */
  onQueued(buildId: string, pool: string, at: number): void {
    if (this.queued.has(buildId) || this.running.has(buildId) || this.seen.has(buildId)) return;
    this.queued.set(buildId, { pool, at });
    bump(this.queuedByPool, pool, 1);
    this.touch(at);
  }

  /** A build started on an executor. */
  onStarted(buildId: string, pool: string, at: number): void {
    if (this.running.has(buildId) || this.seen.has(buildId)) return;
    this.dequeue(buildId);
    this.running.set(buildId, { pool, at });
    bump(this.runningByPool, pool, 1);
    this.touch(at);
  }

  /** A build finished: its outcome becomes history. Duplicate deliveries are ignored. */
  onFinished(o: BuildOutcome): void {
    if (this.seen.has(o.build_id)) return;
    this.remember(o.build_id);
    this.dequeue(o.build_id);
    const r = this.running.get(o.build_id);
    if (r) {
      this.running.delete(o.build_id);
      bump(this.runningByPool, r.pool, -1);
    }
    this.touch(o.finished_at);
    if (o.status === 'CANCELLED') return;
    const failed = isFailure(o.status);
    const at = o.finished_at;
    const d = o.duration_ms;
    updateStats(this.global, d, failed, at);
    updateStats(getOrAdd(this.pools, o.pool), d, failed, at);
    const info = this.combination(o.combination);
    updateStats(getOrAdd(this.combinations, info.key), d, failed, at);
    updateStats(getOrAdd(this.poolCombinations, poolCombinationKey(o.pool, info.key)), d, failed, at);
    for (const m of info.modules) updateStats(getOrAdd(this.modules, m), NaN, failed, at);
    for (const p of info.pairs) updateStats(getOrAdd(this.pairs, p), NaN, failed, at);
  }

  /** Cached keys of a combination. */
  combination(combination: readonly string[]): CombinationInfo {
    return this.combos.get(combination);
  }

  /** A layer cache lookup in `pool` hit or missed (EWMA of the hit ratio per pool). */
  onCacheResult(pool: string, hit: boolean): void {
    const prev = this.cacheHit.get(pool);
    const h = hit ? 1 : 0;
    this.cacheHit.set(pool, prev === undefined ? h : prev + 0.05 * (h - prev));
  }

  /** Builds queued in `pool` right now. */
  queuedIn(pool: string): number {
    return this.queuedByPool.get(pool) ?? 0;
  }

  /** Builds running in `pool` right now. */
  runningIn(pool: string): number {
    return this.runningByPool.get(pool) ?? 0;
  }

  /** Forgets in-flight builds that started or queued before `before` (their FINISHED event was lost). */
  pruneInFlight(before: number): number {
    let n = 0;
    for (const [id, f] of this.queued)
      if (f.at < before) {
        this.dequeue(id);
        n++;
      }
    for (const [id, f] of this.running)
      if (f.at < before) {
        this.running.delete(id);
        bump(this.runningByPool, f.pool, -1);
        n++;
      }
    return n;
  }

  private dequeue(buildId: string): void {
    const q = this.queued.get(buildId);
    if (!q) return;
    this.queued.delete(buildId);
    bump(this.queuedByPool, q.pool, -1);
  }

  private touch(at: number): void {
    if (at > this.lastEventAt) this.lastEventAt = at;
  }

  private remember(buildId: string): void {
    this.seen.add(buildId);
    this.seenOrder.push(buildId);
    if (this.seenOrder.length - this.seenHead > SEEN_LIMIT) {
      this.seen.delete(this.seenOrder[this.seenHead] as string);
      this.seenHead++;
      if (this.seenHead > SEEN_LIMIT) {
        this.seenOrder.splice(0, this.seenHead);
        this.seenHead = 0;
      }
    }
  }
}

function getOrAdd(map: Map<string, KeyStats>, key: string): KeyStats {
  let s = map.get(key);
  if (!s) {
    s = emptyStats();
    map.set(key, s);
  }
  return s;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const v = (map.get(key) ?? 0) + by;
  if (v <= 0) map.delete(key);
  else map.set(key, v);
}
