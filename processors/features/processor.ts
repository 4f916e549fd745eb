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
import { featureTable, type EntityType, type FeatureEvent } from './entities.js';
import { mergePartials } from './merge.js';
import { serializeAggregate } from './aggregate.js';
import {
  applyEvent,
  dirtyEntries,
  markClean,
  newPartitionState,
  partitionWatermark,
  purgeExpired,
  restoreState,
  snapshotState,
} from './partition-state.js';
import type { PartitionState, StateSettings } from './partition-state.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import { rawRow, type Row } from './raw-rows.js';
import { CHECKPOINTS_TABLE, COMBINATION_STATE_TABLE, PARTIALS_TABLE, type FeatureStore, type WindowKey } from './store.js';
import { validateFeatureEvent } from './validate.js';
import type { WindowSizeName } from './windows.js';

/** Topic name → event family consumed from it. */
export type TopicFamilies = Readonly<Record<string, FeatureEvent['family']>>;

/** A consumed message (the subset of kafkajs' KafkaMessage the processor reads). */
export interface InputMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

/** Where to commit after a flush: the next offset to read per source partition. */
export interface CommitOffset {
  topic: string;
  partition: number;
  offset: string;
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
  /** Events and dead letters applied since the last successful flush. */
  pending(): number;
  /** Writes everything pending; resolves with the offsets that may now be committed. Keeps state on failure. */
  flush(): Promise<CommitOffset[]>;
  /** Forgets all in-memory state (partition assignment changed); unflushed work is replayed by its new owner. */
  reset(): void;
  /** Number of open windows held in memory. */
  windowCount(): number;
}

interface SourceBuffer {
  topic: string;
  partition: number;
  state: PartitionState;
  raw: { table: string; row: Row }[];
  letters: DeadLetter[];
  /** nextOffset at the last checkpoint. */
  checkpointed: number | null;
  /** Offset already sought to once after a gap. */
  soughtTo?: number;
}

/** Creates a processor. */
export function createFeatureProcessor(deps: FeatureProcessorDeps): FeatureProcessor {
  const { store, schemas, settings, metrics, logger } = deps;
  const now = deps.now ?? Date.now;
  const sources = new Map<string, SourceBuffer>();
  let pending = 0;

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

    pending: () => pending,

    async flush() {
      const active = [...sources.values()].filter((s) => s.state.nextOffset !== null && s.state.nextOffset !== s.checkpointed);
      if (active.length === 0) return [];
      const end = metrics.flushDuration.startTimer();
      const rawByTable = new Map<string, Row[]>();
      for (const s of active) for (const r of s.raw) (rawByTable.get(r.table) ?? rawByTable.set(r.table, []).get(r.table))?.push(r.row);

      const partialRows: Row[] = [];
      const touched = new Map<string, { type: EntityType; size: WindowSizeName; sizeMs: number; keys: WindowKey[] }>();
      const comboRows: Row[] = [];
      for (const s of active) {
        const dirty = dirtyEntries(s.state);
        for (const w of dirty.windows) {
          const startSec = w.startMs / 1000;
          partialRows.push({
            entity_type: w.type,
            window_size: w.size,
            entity: w.key,
            window_start: startSec,
            source: s.state.source,
            version: w.agg.events,
            state: JSON.stringify(serializeAggregate(w.agg)),
          });
          const id = `${w.type}|${w.size}`;
          const t = touched.get(id) ?? touched.set(id, { type: w.type, size: w.size, sizeMs: w.sizeMs, keys: [] }).get(id);
          t?.keys.push({ entity: w.key, startSec });
        }
        for (const c of dirty.combos) comboRows.push({ ...c, updated_at: Math.floor(c.last_build_time_ms / 1000) });
      }
      // Independent writes run in parallel; only the checkpoint must come after all of them.
      await Promise.all([
        deps.deadLetters.send(active.flatMap((s) => s.letters)),
        ...[...rawByTable].map(([table, rows]) => store.insert(table, rows)),
        store.insert(PARTIALS_TABLE, partialRows),
        store.insert(COMBINATION_STATE_TABLE, comboRows),
      ]);
      await Promise.all(
        [...touched.values()].map(async (t) => {
          const unique = [...new Map(t.keys.map((k) => [`${k.startSec}|${k.entity}`, k])).values()];
          const partials = await store.readPartials(t.type, t.size, unique);
          await store.insert(featureTable(t.type, t.size), mergePartials(t.type, t.sizeMs, partials));
        }),
      );

      const checkpoints: Row[] = [];
      for (const s of active) {
        markClean(s.state);
        metrics.purgedWindows.inc(purgeExpired(s.state, settings));
        const snapshot = snapshotState(s.state);
        metrics.checkpointBytes.set({ source: s.state.source }, snapshot.length);
        checkpoints.push({
          group_id: deps.groupId,
          source: s.state.source,
          version: s.state.nextOffset,
          next_offset: s.state.nextOffset,
          watermark_ms: Number.isFinite(s.state.maxEventTime) ? partitionWatermark(s.state, settings) : 0,
          state: snapshot,
          written_at: Math.floor(now() / 1000),
        });
      }
      await store.insert(CHECKPOINTS_TABLE, checkpoints);
      for (const s of active) {
        s.raw = [];
        s.letters = [];
        s.checkpointed = s.state.nextOffset;
      }
      pending = 0;
      metrics.stateWindows.set(countWindows());
      end();
      return active.map((s) => ({ topic: s.topic, partition: s.partition, offset: String(s.state.nextOffset) }));
    },

    reset() {
      sources.clear();
      pending = 0;
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
