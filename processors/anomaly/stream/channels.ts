/**
 * Which detector watches which metric of which entity type, and how a closed minute becomes the
 * detector's input. One channel = one series with its own detector state and alert lifecycle.
 */
import { createDriftDetector } from '../detectors/drift-detector.js';
import { createRateDetector, type RateDetectorOptions } from '../detectors/rate-detector.js';
import type { DetectorKind, PointScore } from '../detectors/score.js';
import { createSeriesDetector, type SeriesDetectorOptions } from '../detectors/series-detector.js';
import { createStuckQueueDetector } from '../detectors/stuck-queue.js';
import type { EntityType, MinuteSnapshot, Stat } from './minute-aggregator.js';

/** A scored minute: the point score and the value shown as evidence. */
export interface ChannelPoint {
  point: PointScore;
  value: number;
  evidence: Record<string, string>;
}

/** One running series: returns undefined for minutes without input (e.g. no finished build). */
export type ChannelRunner = (snap: MinuteSnapshot) => ChannelPoint | undefined;

/** A channel definition. */
export interface ChannelSpec {
  entityType: EntityType;
  metric: string;
  create(): ChannelRunner;
}

const stat = (snap: MinuteSnapshot, m: string): Stat | undefined => snap.stats.get(m);
const sum = (snap: MinuteSnapshot, m: string): number => stat(snap, m)?.sum ?? 0;

/** A raw per-minute mean (utilisation); `kinds` limits what may alert. */
function meanSeries(metric: string, kinds: readonly DetectorKind[], tuning: SeriesDetectorOptions = {}): () => ChannelRunner {
  return () => {
    const d = createSeriesDetector({ ...tuning, kinds });
    return (snap) => {
      const s = stat(snap, metric);
      if (!s || s.count === 0) return undefined;
      const value = s.sum / s.count;
      return { point: d.update(snap.minute, value), value, evidence: { samples: String(s.count) } };
    };
  };
}

/**
 * Standardised residuals (see log-baselines): the minute's sum / √count has the same spread whatever
 * the number of samples, so a minute of one build and a minute of ten are scored alike. Not seasonal:
 * the residuals are already relative to what is normal for the work being done.
 */
function residualSeries(metric: string, kinds: readonly DetectorKind[]): () => ChannelRunner {
  return () => {
    const d = createSeriesDetector({ direction: 'up', seasonal: false, kinds });
    return (snap) => {
      const s = stat(snap, metric);
      if (!s || s.count === 0) return undefined;
      const value = s.sum / Math.sqrt(s.count);
      return {
        point: d.update(snap.minute, value),
        value,
        evidence: { samples: String(s.count), mean_log_residual: (s.sum / s.count).toFixed(3) },
      };
    };
  };
}

function rate(
  kind: 'failure_burst' | 'cache_drop' | 'latency_burst',
  hitsMetric: string,
  totalMetric: string,
  tuning: { extra?: string } & Pick<RateDetectorOptions, 'prior' | 'centre' | 'learnDelay' | 'taint' | 'floor' | 'dispersion'> = {},
): () => ChannelRunner {
  const { extra, ...detector } = tuning;
  return () => {
    const d = createRateDetector({ kind, direction: kind === 'cache_drop' ? 'down' : 'up', ...detector });
    return (snap) => {
      const hits = sum(snap, hitsMetric);
      const total = sum(snap, totalMetric);
      const evidence: Record<string, string> = { [hitsMetric]: String(hits), [totalMetric]: String(total) };
      if (extra) evidence[extra] = String(sum(snap, extra));
      return { point: d.update(snap.minute, { hits, total }), value: total > 0 ? hits / total : 0, evidence };
    };
  };
}

/** Rare, independent bad events: learn with a delay so a burst's first minutes stay out of the baseline. */
const RARE = { learnDelay: 5, taint: 2 } as const;

/** Every channel the streaming processor runs. */
export const CHANNELS: readonly ChannelSpec[] = [
  // Utilisation follows the builds assigned (load steps are normal); only a stuck exporter alerts.
  { entityType: 'executor', metric: 'cpu_util', create: meanSeries('cpu_util', ['flatline']) },
  { entityType: 'executor', metric: 'memory_util', create: meanSeries('memory_util', ['flatline']) },
  // CPU the running builds do not explain (a degraded executor): sustained excess, not single samples.
  {
    entityType: 'executor',
    metric: 'cpu_excess',
    create: meanSeries('cpu_excess', ['level_shift'], { direction: 'up', seasonal: false, warmup: 15 }),
  },
  // Single slow builds are normal (stragglers, cold caches): durations alert on sustained shifts only.
  { entityType: 'executor', metric: 'build_duration_residual', create: residualSeries('duration_residual', ['level_shift']) },
  { entityType: 'executor', metric: 'slow_cache_lookups', create: rate('latency_burst', 'lookup_slow', 'lookup_scored') },
  { entityType: 'pool', metric: 'build_duration_residual', create: residualSeries('duration_residual', ['level_shift']) },
  { entityType: 'pool', metric: 'slow_cache_lookups', create: rate('latency_burst', 'lookup_slow', 'lookup_scored') },
  // Lookups timing out (a cache outage): normally almost none, so a few in a minute are news.
  {
    entityType: 'pool',
    metric: 'cache_lookup_timeouts',
    create: rate('latency_burst', 'lookup_timeout', 'lookup_scored', { ...RARE, prior: 0.005, centre: 2.8 }),
  },
  { entityType: 'pool', metric: 'build_failure_rate', create: rate('failure_burst', 'build_failed', 'build_executed') },
  // Infrastructure errors alone: rare and not tied to what is built, so a lower threshold stays quiet.
  {
    entityType: 'pool',
    metric: 'build_error_rate',
    create: rate('failure_burst', 'build_errored', 'build_executed', { ...RARE, prior: 0.02, centre: 2.8, floor: 0.01 }),
  },
  // Misses come in runs (a new combination misses all its layers), so lookups are far from independent
  // draws: counted as a quarter of their number. Outages show first as timeouts (cache_lookup_timeouts).
  { entityType: 'pool', metric: 'cache_hit_ratio', create: rate('cache_drop', 'cache_hit', 'cache_lookup', { dispersion: 4 }) },
  {
    entityType: 'combination',
    metric: 'test_failure_rate',
    create: rate('failure_burst', 'test_failed', 'test_executed', { extra: 'test_flaky' }),
  },
  {
    entityType: 'pool',
    metric: 'queue_depth',
    create: () => {
      const d = createStuckQueueDetector();
      let depthFromBuilds = 0;
      return (snap) => {
        depthFromBuilds = Math.max(0, depthFromBuilds + sum(snap, 'queued') - sum(snap, 'started'));
        const depth = Math.max(depthFromBuilds, stat(snap, 'queue_depth')?.max ?? 0);
        const started = sum(snap, 'started');
        const finished = sum(snap, 'finished');
        const starved = sum(snap, 'starved');
        const samples = sum(snap, 'resource_sample');
        return {
          point: d.update(snap.minute, { depth, started, finished, starved, samples }),
          value: depth,
          evidence: { started: String(started), finished: String(finished), starved_samples: String(starved) },
        };
      };
    },
  },
  {
    entityType: 'pool',
    metric: 'build_duration_vs_prediction',
    create: () => {
      const d = createDriftDetector();
      return (snap) => {
        const lr = stat(snap, 'drift_log_ratio');
        const pred = stat(snap, 'drift_predicted_ms');
        if (!lr || !pred || lr.count === 0) return undefined;
        const predicted = pred.sum / pred.count;
        const actual = predicted * Math.exp(lr.sum / lr.count);
        return { point: d.update(snap.minute, actual, predicted, lr.count), value: actual, evidence: { pairs: String(lr.count) } };
      };
    },
  },
];
