/**
 * One flush of the feature processor, split in two so the consumer can keep applying events while
 * ClickHouse works: {@link captureFlush} takes — synchronously, at one consistent point — everything
 * the flush must write (dead letters, raw rows, partial aggregates of the dirty windows, combination
 * state, checkpoints with the state snapshot and next offsets); {@link writeFlush} writes it: dead
 * letters, raw rows, partials and combination state in parallel, then the merged feature rows of the
 * touched windows, and the checkpoints last. A job is immutable, so a failed write is retried as is;
 * the offsets it returns may be committed once it resolved.
 */
import type { Logger } from '../../common/logger.js';
import type { DeadLetter } from '../../sinks/index.js';
import { serializeAggregate } from './aggregate.js';
import { featureTable, type EntityType } from './entities.js';
import { mergePartials } from './merge.js';
import { dirtyEntries, markClean, partitionWatermark, purgeExpired, snapshotState } from './partition-state.js';
import type { PartitionState, StateSettings } from './partition-state.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import type { Row } from './raw-rows.js';
import { CHECKPOINTS_TABLE, COMBINATION_STATE_TABLE, PARTIALS_TABLE, type FeatureStore, type WindowKey } from './store.js';
import type { WindowSizeName } from './windows.js';

/** Where to commit after a flush: the next offset to read per source partition. */
export interface CommitOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** A source partition's buffers, as the processor keeps them. */
export interface FlushSource {
  topic: string;
  partition: number;
  state: PartitionState;
  raw: { table: string; row: Row }[];
  letters: DeadLetter[];
  /** nextOffset covered by the last captured flush. */
  checkpointed: number | null;
}

/** Windows of one entity type and size whose feature rows a flush rewrites. */
interface Touched {
  type: EntityType;
  size: WindowSizeName;
  sizeMs: number;
  keys: Map<string, WindowKey>;
}

/** Everything one flush writes (immutable once captured). */
export interface FlushJob {
  events: number;
  letters: DeadLetter[];
  raw: Map<string, Row[]>;
  partials: Row[];
  combos: Row[];
  touched: Touched[];
  checkpoints: Row[];
  offsets: CommitOffset[];
}

/** What capturing needs besides the sources. */
export interface CaptureContext {
  groupId: string;
  settings: StateSettings;
  metrics: ProcessorMetrics;
  /** Wall clock, seconds (`written_at` of checkpoints only). */
  nowSec: number;
}

/**
 * Captures a flush of every source with work since its last capture (null: nothing to do). Marks the
 * windows clean, purges expired ones and empties the buffers: from here on the job owns that work.
 */
export function captureFlush(sources: Iterable<FlushSource>, events: number, ctx: CaptureContext): FlushJob | null {
  const active = [...sources].filter((s) => s.state.nextOffset !== null && s.state.nextOffset !== s.checkpointed);
  if (active.length === 0) return null;
  const job: FlushJob = { events, letters: [], raw: new Map(), partials: [], combos: [], touched: [], checkpoints: [], offsets: [] };
  const touched = new Map<string, Touched>();
  for (const s of active) {
    for (const l of s.letters) job.letters.push(l);
    for (const r of s.raw) {
      const rows = job.raw.get(r.table);
      if (rows) rows.push(r.row);
      else job.raw.set(r.table, [r.row]);
    }
    const dirty = dirtyEntries(s.state);
    for (const w of dirty.windows) {
      const startSec = w.startMs / 1000;
      job.partials.push({
        entity_type: w.type,
        window_size: w.size,
        entity: w.key,
        window_start: startSec,
        source: s.state.source,
        version: w.agg.events,
        state: (w.json = JSON.stringify(serializeAggregate(w.agg))),
      });
      const id = `${w.type}|${w.size}`;
      let t = touched.get(id);
      if (!t) {
        t = { type: w.type, size: w.size, sizeMs: w.sizeMs, keys: new Map() };
        touched.set(id, t);
      }
      t.keys.set(`${startSec}|${w.key}`, { entity: w.key, startSec });
    }
    for (const c of dirty.combos) job.combos.push({ ...c, updated_at: Math.floor(c.last_build_time_ms / 1000) });
    markClean(s.state);
    ctx.metrics.purgedWindows.inc(purgeExpired(s.state, ctx.settings));
    const snapshot = snapshotState(s.state);
    ctx.metrics.checkpointBytes.set({ source: s.state.source }, snapshot.length);
    job.checkpoints.push({
      group_id: ctx.groupId,
      source: s.state.source,
      version: s.state.nextOffset,
      next_offset: s.state.nextOffset,
      watermark_ms: Number.isFinite(s.state.maxEventTime) ? partitionWatermark(s.state, ctx.settings) : 0,
      state: snapshot,
      written_at: ctx.nowSec,
    });
    job.offsets.push({ topic: s.topic, partition: s.partition, offset: String(s.state.nextOffset) });
    s.raw = [];
    s.letters = [];
    s.checkpointed = s.state.nextOffset;
  }
  job.touched = [...touched.values()];
  return job;
}

/** Where {@link writeFlush} writes. */
export interface WriteContext {
  store: FeatureStore;
  deadLetters: { send(letters: readonly DeadLetter[]): Promise<void> };
  metrics: ProcessorMetrics;
  logger: Logger;
}

/** Writes a captured flush; resolves with the offsets that may now be committed. Safe to retry. */
export async function writeFlush(job: FlushJob, ctx: WriteContext): Promise<CommitOffset[]> {
  const { store } = ctx;
  const end = ctx.metrics.flushDuration.startTimer();
  const t0 = performance.now();
  // Independent writes run in parallel; only the checkpoint must come after all of them.
  await Promise.all([
    ctx.deadLetters.send(job.letters),
    ...[...job.raw].map(([table, rows]) => store.insert(table, rows)),
    store.insert(PARTIALS_TABLE, job.partials),
    store.insert(COMBINATION_STATE_TABLE, job.combos),
  ]);
  const t1 = performance.now();
  const requests = job.touched.map((t) => ({ type: t.type, size: t.size, keys: [...t.keys.values()] }));
  const partials = store.readPartialsBatch
    ? await store.readPartialsBatch(requests)
    : await Promise.all(requests.map((r) => store.readPartials(r.type, r.size, r.keys)));
  await Promise.all(
    job.touched.map((t, i) => store.insert(featureTable(t.type, t.size), mergePartials(t.type, t.sizeMs, partials[i] ?? []))),
  );
  const t2 = performance.now();
  await store.insert(CHECKPOINTS_TABLE, job.checkpoints);
  end();
  ctx.logger.debug(
    {
      events: job.events,
      sources: job.offsets.length,
      partials: job.partials.length,
      ms: { writes: t1 - t0, merge: t2 - t1, checkpoint: performance.now() - t2 },
    },
    'flushed',
  );
  return job.offsets;
}
