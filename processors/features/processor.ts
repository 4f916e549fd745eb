/**
 * The feature processor: decodes and validates messages of one source partition at a time, folds them
 * into that partition's window state, and on flush writes — in this order — dead letters, raw rows,
 * partial window aggregates, merged feature rows, combination state and finally a checkpoint (state +
 * next offset) per source. The caller commits Kafka offsets only after flush() resolved, so every
 * committed offset is covered by durable rows; a restart resumes from the checkpoint and, because rows
 * are keyed deterministically with event-count versions, a replay rewrites identical rows.
 */
import { PulseError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { DeadLetter } from '../../sinks/index.js';
import type { SchemaSet } from '../../ingest/index.js';
import type { FeatureEvent } from './entities.js';
import { captureFlush, writeFlush, type CommitOffset, type FlushJob, type FlushSource } from './flush-job.js';
import { applyEvent, newPartitionState, partitionWatermark, restoreState } from './partition-state.js';
import type { StateSettings } from './partition-state.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import { rawRow } from './raw-rows.js';
import type { FeatureStore } from './store.js';
import { validateFeatureEvent } from './validate.js';

export type { CommitOffset, FlushJob } from './flush-job.js';

/** Topic name → event family consumed from it. */
export type TopicFamilies = Readonly<Record<string, FeatureEvent['family']>>;

/** A consumed message (the subset of kafkajs' KafkaMessage the processor reads). */
export interface InputMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

/** Dependencies of {@link createFeatureProcessor}. */
export interface FeatureProcessorDeps {
  store: FeatureStore;
  deadLetters: { send(letters: readonly DeadLetter[]): Promise<void> };
  schemas: SchemaSet;
  topics: TopicFamilies;
  groupId: string;
  settings: StateSettings;
  logger: Logger;
  metrics: ProcessorMetrics;
  /** Wall clock (only for `written_at` of checkpoints; never for window logic). */
  now?: () => number;
}

/** What handleBatch asks the consumer loop to do. */
export interface BatchOutcome {
  /** Seek the partition here: the batch started after the checkpointed offset (nothing of it was applied). */
  seekTo?: string;
}

/** Feature processor (single-threaded: the caller serializes calls). */
export interface FeatureProcessor {
  /** Applies a batch of one source partition (restoring its checkpoint first if needed). */
  handleBatch(topic: string, partition: number, messages: readonly InputMessage[]): Promise<BatchOutcome>;
  /** Events and dead letters applied since the last captured flush (plus those of a failed flush()). */
  pending(): number;
  /**
   * Captures a flush of everything pending (null: nothing to write). The caller must write it with
   * {@link FeatureProcessor.write} — retrying the same job until it succeeds — before capturing the
   * next one; meanwhile batches may be applied.
   */
  capture(): FlushJob | null;
  /** Writes a captured flush; resolves with the offsets that may now be committed. */
  write(job: FlushJob): Promise<CommitOffset[]>;
  /** capture + write in one step (a job that failed here is retried first by the next flush). */
  flush(): Promise<CommitOffset[]>;
  /** Forgets all in-memory state (partition assignment changed); unflushed work is replayed by its new owner. */
  reset(): void;
  /** Number of open windows held in memory. */
  windowCount(): number;
}

interface SourceBuffer extends FlushSource {
  /** Offset already sought to once after a gap. */
  soughtTo?: number;
}

/** Creates a processor. */
export function createFeatureProcessor(deps: FeatureProcessorDeps): FeatureProcessor {
  const { store, schemas, settings, metrics, logger } = deps;
  const now = deps.now ?? Date.now;
  const sources = new Map<string, SourceBuffer>();
  let pending = 0;
  /** A job flush() captured whose write failed: written first by the next flush(). */
  let unwritten: FlushJob | undefined;

  const source = async (topic: string, partition: number): Promise<SourceBuffer> => {
    const name = `${topic}:${partition}`;
    let s = sources.get(name);
    if (s) return s;
    const cp = await store.loadCheckpoint(deps.groupId, name);
    const state = cp ? restoreState(name, cp.state) : newPartitionState(name);
    if (cp) state.nextOffset = cp.nextOffset;
    s = { topic, partition, state, raw: [], letters: [], checkpointed: state.nextOffset };
    sources.set(name, s);
    logger.info(
      { source: name, nextOffset: state.nextOffset, windows: state.windows.size },
      cp ? 'restored checkpoint' : 'no checkpoint: starting fresh',
    );
    return s;
  };

  const deadLetter = (s: SourceBuffer, m: InputMessage, err: PulseError, reason: string): void => {
    s.letters.push({
      key: m.key,
      value: m.value,
      sourceTopic: s.topic,
      sourcePartition: s.partition,
      sourceOffset: m.offset,
      code: err.code,
      reason,
      message: err.message,
    });
  };

  const decode = (family: FeatureEvent['family'], m: InputMessage): FeatureEvent => {
    if (!m.value) throw new ValidationError('<message>', 'empty message value (tombstone)', { details: { reason: 'empty' } });
    const ev = { family, value: schemas.decodeAs(family, m.value) } as FeatureEvent;
    validateFeatureEvent(ev);
    return ev;
  };

  const capture = (): FlushJob | null => {
    const job = captureFlush(sources.values(), pending, { groupId: deps.groupId, settings, metrics, nowSec: Math.floor(now() / 1000) });
    pending = 0;
    metrics.stateWindows.set(countWindows());
    return job;
  };

  const write = (job: FlushJob): Promise<CommitOffset[]> => writeFlush(job, { store, deadLetters: deps.deadLetters, metrics, logger });

  const reasonOf = (err: PulseError): string =>
    err instanceof ValidationError ? `invalid:${err.fieldPath}` : typeof err.details.reason === 'string' ? err.details.reason : err.code;

  return {
    async handleBatch(topic, partition, messages) {
      const family = deps.topics[topic];
      if (!family) throw new ValidationError('topic', `processor does not consume ${topic}`);
      const s = await source(topic, partition);
      const first = messages[0];
      const expected = s.state.nextOffset;
      if (first && expected !== null && Number(first.offset) > expected) {
        if (s.soughtTo !== expected) {
          s.soughtTo = expected;
          logger.warn({ source: s.state.source, expected, got: first.offset }, 'batch starts after the checkpoint: seeking back');
          return { seekTo: String(expected) };
        }
        logger.warn({ source: s.state.source, expected, got: first.offset }, 'offsets missing from the log (retention?): continuing');
        metrics.offsetGaps.inc({ topic });
      }
      for (const m of messages) {
        const offset = Number(m.offset);
        if (s.state.nextOffset !== null && offset < s.state.nextOffset) {
          metrics.events.inc({ topic, outcome: 'replayed_skip' });
          continue;
        }
        s.state.nextOffset = offset + 1;
        pending++;
        let ev: FeatureEvent;
        try {
          ev = decode(family, m);
        } catch (err) {
          if (!(err instanceof PulseError)) throw err;
          deadLetter(s, m, err, reasonOf(err));
          metrics.events.inc({ topic, outcome: 'dead_lettered' });
          continue;
        }
        const timeliness = applyEvent(s.state, ev, settings);
        if (timeliness === 'too_late') {
          const wm = partitionWatermark(s.state, settings);
          const err = new ValidationError(
            'event_time',
            `event time ${ev.value.event_time} is beyond the allowed lateness (${settings.allowedLatenessMs} ms) of watermark ${wm}`,
          );
          deadLetter(s, m, err, 'too_late');
          metrics.late.inc({ topic, disposition: 'dead_lettered' });
          metrics.events.inc({ topic, outcome: 'dead_lettered' });
          continue;
        }
        if (timeliness === 'late') metrics.late.inc({ topic, disposition: 'updated_window' });
        metrics.events.inc({ topic, outcome: 'applied' });
        s.raw.push(rawRow(ev));
      }
      return {};
    },

    pending: () => pending + (unwritten?.events ?? 0),

    capture,

    write,

    async flush() {
      const offsets = new Map<string, CommitOffset>();
      const run = async (job: FlushJob): Promise<void> => {
        unwritten = job;
        for (const o of await write(job)) offsets.set(`${o.topic}:${o.partition}`, o);
        unwritten = undefined;
      };
      if (unwritten) await run(unwritten);
      const job = capture();
      if (job) await run(job);
      return [...offsets.values()];
    },

    reset() {
      sources.clear();
      pending = 0;
      unwritten = undefined;
      metrics.stateWindows.set(0);
    },

    windowCount: () => countWindows(),
  };

  function countWindows(): number {
    let n = 0;
    for (const s of sources.values()) n += s.state.windows.size;
    return n;
  }
}
