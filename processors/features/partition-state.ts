/**
 * Window state of ONE source partition (topic:partition): open windows per entity and size, the
 * per-(combination, pool) decayed state, the watermark and the next offset. Everything here is a
 * deterministic function of the partition's message sequence, which is what makes replays after a
 * crash rewrite identical rows: row versions are event counts, never wall-clock times.
 */
import { addBuild, addCache, addResource, addTest, deserializeAggregate, emptyAggregate, serializeAggregate } from './aggregate.js';
import type { Aggregate, SerializedAggregate } from './aggregate.js';
import { combinationStateKey, updateCombinationState, type CombinationState, type EwmaSettings } from './combination-state.js';
import { entitiesOf, type EntityType, type FeatureEvent } from './entities.js';
import {
  classify,
  isExpired,
  watermark,
  WINDOW_SIZES,
  windowStart,
  type LatenessPolicy,
  type Timeliness,
  type WindowSizeName,
} from './windows.js';

/** A combination-state entry older than this (event time) restarts from scratch. */
export const COMBINATION_STATE_TTL_MS = 7 * 24 * 3_600_000;

/** One open window of one entity. */
export interface WindowEntry {
  type: EntityType;
  key: string;
  size: WindowSizeName;
  sizeMs: number;
  startMs: number;
  agg: Aggregate;
  /** Changed since the last flush. */
  dirty: boolean;
}

/** Mutable state of one source partition. */
export interface PartitionState {
  source: string;
  /** Next offset to apply; null before the first message (no checkpoint). */
  nextOffset: number | null;
  /** Highest event time applied (-Infinity before any event). */
  maxEventTime: number;
  /** Running count of applied events (versions of combination_state rows). */
  applied: number;
  windows: Map<string, WindowEntry>;
  combos: Map<string, { state: CombinationState; dirty: boolean }>;
}

/** Settings of the state machine. */
export interface StateSettings extends LatenessPolicy, EwmaSettings {}

/** A fresh state. */
export function newPartitionState(source: string): PartitionState {
  return { source, nextOffset: null, maxEventTime: -Infinity, applied: 0, windows: new Map(), combos: new Map() };
}

/** Current watermark of the partition. */
export function partitionWatermark(state: PartitionState, policy: LatenessPolicy): number {
  return watermark(state.maxEventTime, policy);
}

function fold(agg: Aggregate, ev: FeatureEvent): void {
  if (ev.family === 'build') addBuild(agg, ev.value);
  else if (ev.family === 'cache') addCache(agg, ev.value);
  else if (ev.family === 'resource') addResource(agg, ev.value);
  else addTest(agg, ev.value);
}

/**
 * Applies one valid event. Returns its timeliness; a `too_late` event changes nothing (the caller
 * dead-letters it).
 */
export function applyEvent(state: PartitionState, ev: FeatureEvent, settings: StateSettings): Timeliness {
  const t = ev.value.event_time;
  const timeliness = classify(t, partitionWatermark(state, settings), settings);
  if (timeliness === 'too_late') return timeliness;
  state.applied += 1;
  state.maxEventTime = Math.max(state.maxEventTime, t);
  for (const entity of entitiesOf(ev)) {
    for (const size of WINDOW_SIZES) {
      const startMs = windowStart(t, size.ms);
      const id = `${entity.type}|${size.name}|${startMs}|${entity.key}`;
      let w = state.windows.get(id);
      if (!w) {
        w = { type: entity.type, key: entity.key, size: size.name, sizeMs: size.ms, startMs, agg: emptyAggregate(), dirty: true };
        state.windows.set(id, w);
      }
      w.agg.events += 1;
      if (timeliness === 'late') w.agg.late += 1;
      fold(w.agg, ev);
      w.dirty = true;
    }
  }
  if (ev.family === 'build' && ev.value.type === 'FINISHED') {
    const key = combinationStateKey(ev.value);
    const prev = state.combos.get(key)?.state;
    const fresh = prev && t - prev.last_build_time_ms > COMBINATION_STATE_TTL_MS ? undefined : prev;
    state.combos.set(key, { state: updateCombinationState(fresh, ev.value, state.applied, settings), dirty: true });
  }
  return timeliness;
}

/** Dirty windows and combination entries, marked clean only by {@link markClean} after a durable write. */
export function dirtyEntries(state: PartitionState): { windows: WindowEntry[]; combos: CombinationState[] } {
  return {
    windows: [...state.windows.values()].filter((w) => w.dirty),
    combos: [...state.combos.values()].filter((c) => c.dirty).map((c) => c.state),
  };
}

/** Marks everything clean (after the flush wrote it). */
export function markClean(state: PartitionState): void {
  for (const w of state.windows.values()) w.dirty = false;
  for (const c of state.combos.values()) c.dirty = false;
}

/** Drops clean windows no event can update any more, and stale combination entries. Returns how many windows went. */
export function purgeExpired(state: PartitionState, policy: LatenessPolicy): number {
  const wm = partitionWatermark(state, policy);
  let n = 0;
  for (const [id, w] of state.windows)
    if (!w.dirty && isExpired(w.startMs, w.sizeMs, wm, policy)) {
      state.windows.delete(id);
      n++;
    }
  for (const [key, c] of state.combos)
    if (!c.dirty && state.maxEventTime - c.state.last_build_time_ms > COMBINATION_STATE_TTL_MS) state.combos.delete(key);
  return n;
}

interface Snapshot {
  v: 1;
  nextOffset: number | null;
  maxEventTime: number | null;
  applied: number;
  windows: { type: EntityType; key: string; size: WindowSizeName; sizeMs: number; startMs: number; agg: SerializedAggregate }[];
  combos: CombinationState[];
}

/** Serializes the state (checkpoint). */
export function snapshotState(state: PartitionState): string {
  const snap: Snapshot = {
    v: 1,
    nextOffset: state.nextOffset,
    maxEventTime: Number.isFinite(state.maxEventTime) ? state.maxEventTime : null,
    applied: state.applied,
    windows: [...state.windows.values()].map((w) => ({
      type: w.type,
      key: w.key,
      size: w.size,
      sizeMs: w.sizeMs,
      startMs: w.startMs,
      agg: serializeAggregate(w.agg),
    })),
    combos: [...state.combos.values()].map((c) => c.state),
  };
  return JSON.stringify(snap);
}

/** Rebuilds a state from {@link snapshotState} (everything clean). */
export function restoreState(source: string, text: string): PartitionState {
  const snap = JSON.parse(text) as Snapshot;
  const state = newPartitionState(source);
  state.nextOffset = snap.nextOffset;
  state.maxEventTime = snap.maxEventTime ?? -Infinity;
  state.applied = snap.applied;
  for (const w of snap.windows)
    state.windows.set(`${w.type}|${w.size}|${w.startMs}|${w.key}`, { ...w, agg: deserializeAggregate(w.agg), dirty: false });
  for (const c of snap.combos) state.combos.set(JSON.stringify([c.pool, c.combination]), { state: c, dirty: false });
  return state;
}
