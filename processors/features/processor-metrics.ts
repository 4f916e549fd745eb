/** prom-client metrics of the feature processor (names `processor_*`, registered on the process registry). */
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../../common/metrics.js';

/** The processor's metrics. */
export interface ProcessorMetrics {
  /** Messages by topic and outcome (applied, dead_lettered, replayed_skip); rate() gives events/s. */
  events: Counter<'topic' | 'outcome'>;
  /** Late events: `updated_window` (within lateness) or `dead_lettered` (beyond). */
  late: Counter<'topic' | 'disposition'>;
  /** Consumer lag per partition (high watermark - next offset). */
  lag: Gauge<'topic' | 'partition'>;
  /** Time to handle one fetched batch. */
  batchDuration: Histogram<never>;
  /** Time of one flush (all writes + checkpoint, before the offset commit). */
  flushDuration: Histogram<never>;
  /** Failed flushes (ClickHouse or Kafka unavailable); consumption pauses meanwhile. */
  flushFailures: Counter<never>;
  /** 1 while consumption is paused for back-pressure. */
  paused: Gauge<never>;
  /** Open windows held in memory. */
  stateWindows: Gauge<never>;
  /** Size of the last checkpoint per source, bytes. */
  checkpointBytes: Gauge<'source'>;
  /** Windows dropped from memory after their lateness expired. */
  purgedWindows: Counter<never>;
  /** Batches that started after the checkpointed offset and whose missing offsets could not be re-read. */
  offsetGaps: Counter<'topic'>;
}

/** Registers (or returns) the processor metrics. */
export function createProcessorMetrics(metrics: Metrics): ProcessorMetrics {
  const seconds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    events: metrics.counter('processor_events_total', 'consumed messages by outcome', ['topic', 'outcome']),
    late: metrics.counter('processor_late_events_total', 'events that arrived after their window closed', ['topic', 'disposition']),
    lag: metrics.gauge('processor_consumer_lag_messages', 'messages behind the high watermark', ['topic', 'partition']),
    batchDuration: metrics.histogram('processor_batch_duration_seconds', 'time to apply one fetched batch', [], seconds),
    flushDuration: metrics.histogram('processor_flush_duration_seconds', 'time to write one flush (rows + checkpoint)', [], seconds),
    flushFailures: metrics.counter('processor_flush_failures_total', 'flushes that failed and will be retried'),
    paused: metrics.gauge('processor_paused', '1 while consumption is paused (sink unavailable)'),
    stateWindows: metrics.gauge('processor_state_windows', 'open windows held in memory'),
    checkpointBytes: metrics.gauge('processor_checkpoint_bytes', 'size of the last checkpoint per source', ['source']),
    purgedWindows: metrics.counter('processor_purged_windows_total', 'windows dropped after their lateness expired'),
    offsetGaps: metrics.counter('processor_offset_gaps_total', 'batches whose checkpointed offset was no longer in the log', ['topic']),
  };
}
