/**
 * The feature vector of a build, computed from the {@link HistoryState} as it stands before the build
 * starts. Layout: {@link NUMERIC_FEATURES} (standardized by the model), then hashed blocks (pool,
 * arch, executor class, multi-hot module@version, multi-hot module pairs, signed-hashed `f_*` values).
 * Bump {@link FEATURE_VERSION} whenever the layout or a definition changes: a model only accepts
 * vectors of the version it was trained on.
 */
import { bucketOf, executorTokens, fnv1a } from './hash.js';
import { poolCombinationKey, type HistoryState } from './history-state.js';
import { baselinePrediction } from './baselines.js';
import { median, smoothedFailRate, type KeyStats } from './key-stats.js';
import type { BuildInput } from './types.js';

/** Version of the feature layout. */
export const FEATURE_VERSION = 2;

/** Names of the numeric block, in order. */
export const NUMERIC_FEATURES = [
  'anchor_log_dur',
  'blend_ewma_log_dur',
  'pc_count_log',
  'pc_ewma_log_dur',
  'pc_last5_median_log',
  'pc_last_log',
  'pc_log_std',
  'pc_ewma_fail',
  'pc_prev_failed',
  'pc_hours_since_fail_log',
  'pc_hours_since_last_log',
  'c_hours_since_last_log',
  'c_count_log',
  'c_ewma_log_dur',
  'c_ewma_fail',
  'c_prev_failed',
  'c_fail_rate',
  'p_count_log',
  'p_ewma_log_dur',
  'p_log_std',
  'p_ewma_fail',
  'p_prev_failed',
  'p_hours_since_fail_log',
  'p_running_log',
  'p_queued_log',
  'p_cache_hit_ratio',
  'module_fail_max',
  'module_fail_mean',
  'pair_fail_max',
  'pair_fail_mean',
  'module_count',
  'hour_sin',
  'hour_cos',
  'dow_sin',
  'dow_cos',
  'g_ewma_fail',
  'has_pool_combination',
  'has_combination',
] as const;

/** Sizes of the hashed blocks. */
export const HASHED_BLOCKS = { pool: 32, arch: 4, executorClass: 16, module: 64, pair: 64, extra: 16 } as const;

/** Number of numeric features. */
export const NUMERIC_DIM = NUMERIC_FEATURES.length;
/** Length of a feature vector. */
export const FEATURE_DIM = NUMERIC_DIM + Object.values(HASHED_BLOCKS).reduce((a, b) => a + b, 0);
/** Index of the anchor: log of the last-5 median baseline, which the duration model predicts a correction of. */
export const ANCHOR_INDEX = 0;

const DEFAULT_LOG_DUR = Math.log(60_000);
const NEVER_HOURS_LOG = Math.log1p(24 * 30);
const HOUR = 3_600_000;

const countLog = (s: KeyStats | undefined): number => Math.log1p(Math.min(s?.n ?? 0, 50));
const hoursSinceFailLog = (s: KeyStats | undefined, at: number): number =>
  s && s.lastFailAt >= 0 ? Math.min(NEVER_HOURS_LOG, Math.log1p(Math.max(0, at - s.lastFailAt) / HOUR)) : NEVER_HOURS_LOG;

const hoursSinceLastLog = (s: KeyStats | undefined, at: number): number =>
  s && s.lastAt >= 0 ? Math.min(NEVER_HOURS_LOG, Math.log1p(Math.max(0, at - s.lastAt) / HOUR)) : NEVER_HOURS_LOG;

/** A blend of the most specific rolling means known (a feature beside the anchor). */
function blendOf(pc: KeyStats | undefined, c: KeyStats | undefined, p: KeyStats | undefined, g: KeyStats): number {
  if (pc && pc.n > 0) return pc.ewmaLogDur;
  if (c && c.n > 0 && p && p.n > 0 && g.n > 0) return c.ewmaLogDur + (p.ewmaLogDur - g.ewmaLogDur) * 0.5;
  if (c && c.n > 0) return c.ewmaLogDur;
  if (p && p.n > 0) return p.ewmaLogDur;
  return g.n > 0 ? g.ewmaLogDur : DEFAULT_LOG_DUR;
}

/**
 * Writes the feature vector of `input` into `out` at `offset` (FEATURE_DIM values). Reads the state
 * only; never the build's own outcome (which the state does not hold before the build finishes).
 */
export function writeFeatures(state: HistoryState, input: BuildInput, out: Float32Array, offset = 0): void {
  out.fill(0, offset, offset + FEATURE_DIM);
  const g = state.global;
  const info = state.combination(input.combination);
  const pc = state.poolCombinations.get(poolCombinationKey(input.pool, info.key));
  const c = state.combinations.get(info.key);
  const p = state.pools.get(input.pool);
  // The anchor is the last-5 median baseline itself: the duration network learns a correction of it.
  const anchor = Math.log(Math.max(1, baselinePrediction(state, input).durationMs));
  const blend = blendOf(pc, c, p, g);
  const gFail = g.n > 0 ? g.fails / g.n : 0.05;

  let modMax = 0;
  let modSum = 0;
  const mods = info.modules;
  for (const m of mods) {
    const r = smoothedFailRate(state.modules.get(m), gFail);
    modMax = Math.max(modMax, r);
    modSum += r;
  }
  const pairs = info.pairs;
  let pairMax = 0;
  let pairSum = 0;
  for (const k of pairs) {
    const r = smoothedFailRate(state.pairs.get(k), gFail);
    pairMax = Math.max(pairMax, r);
    pairSum += r;
  }
  const d = new Date(input.at);
  const hour = (d.getUTCHours() + d.getUTCMinutes() / 60) / 24;
  const dow = (d.getUTCDay() + hour) / 7;

  const pcLast = pc?.last ?? [];
  const values = [
    anchor,
    blend,
    countLog(pc),
    pc && pc.n > 0 ? pc.ewmaLogDur : blend,
    pcLast.length > 0 ? Math.log(Math.max(1, median(pcLast))) : anchor,
    pcLast.length > 0 ? Math.log(Math.max(1, pcLast[pcLast.length - 1] as number)) : anchor,
    pc ? Math.sqrt(pc.ewmaLogVar) : 0,
    pc ? pc.ewmaFail : gFail,
    pc ? pc.prevFailed : 0,
    hoursSinceFailLog(pc, input.at),
    hoursSinceLastLog(pc, input.at),
    hoursSinceLastLog(c, input.at),
    countLog(c),
    c && c.n > 0 ? c.ewmaLogDur : blend,
    c ? c.ewmaFail : gFail,
    c ? c.prevFailed : 0,
    smoothedFailRate(c, gFail),
    countLog(p),
    p && p.n > 0 ? p.ewmaLogDur : blend,
    p ? Math.sqrt(p.ewmaLogVar) : 0,
    p ? p.ewmaFail : gFail,
    p ? p.prevFailed : 0,
    hoursSinceFailLog(p, input.at),
    Math.log1p(state.runningIn(input.pool)),
    Math.log1p(state.queuedIn(input.pool)),
    state.cacheHit.get(input.pool) ?? 0.5,
    modMax,
    mods.length > 0 ? modSum / mods.length : gFail,
    pairMax,
    pairs.length > 0 ? pairSum / pairs.length : gFail,
    mods.length,
    Math.sin(2 * Math.PI * hour),
    Math.cos(2 * Math.PI * hour),
    Math.sin(2 * Math.PI * dow),
    Math.cos(2 * Math.PI * dow),
    g.ewmaFail,
    pc && pc.n > 0 ? 1 : 0,
    c && c.n > 0 ? 1 : 0,
  ];
  for (let i = 0; i < NUMERIC_DIM; i++) out[offset + i] = values[i] as number;

  let base = offset + NUMERIC_DIM;
  out[base + bucketOf(input.pool, HASHED_BLOCKS.pool)] = 1;
  base += HASHED_BLOCKS.pool;
  out[base + bucketOf(input.arch, HASHED_BLOCKS.arch)] = 1;
  base += HASHED_BLOCKS.arch;
  for (const t of executorTokens(input.executor)) out[base + bucketOf(t, HASHED_BLOCKS.executorClass)] = 1;
  base += HASHED_BLOCKS.executorClass;
  for (const m of mods) out[base + bucketOf(m, HASHED_BLOCKS.module)] = 1;
  base += HASHED_BLOCKS.module;
  for (const k of pairs) out[base + bucketOf(k, HASHED_BLOCKS.pair)] = 1;
  base += HASHED_BLOCKS.pair;
  for (const [name, v] of Object.entries(input.features)) {
    if (!Number.isFinite(v)) continue;
    const h = fnv1a(name);
    const sign = (h & 0x80000000) !== 0 ? -1 : 1;
    const j = base + (h % HASHED_BLOCKS.extra);
    out[j] = (out[j] ?? 0) + sign * Math.sign(v) * Math.log1p(Math.abs(v));
  }
}

/** The feature vector of one build as a new array. */
export function featureVector(state: HistoryState, input: BuildInput): Float32Array {
  const out = new Float32Array(FEATURE_DIM);
  writeFeatures(state, input, out, 0);
  return out;
}
