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
  /** JSON of `serializeAggregate(agg)` as of the last flush (valid while not dirty); reused by checkpoints. */
  json?: string;
}

/**
 * Cached lookup of one entity's windows: the window of each size the entity's latest event went to
 * (events arrive roughly in time order, so nearly every event hits these). Only a cache: the windows
 * themselves live in {@link PartitionState.windows}.
 */
interface EntitySlot {
  type: EntityType;
  key: string;
  /** Latest window per entry of WINDOW_SIZES. */
  current: (WindowEntry | undefined)[];
}

/** Lookup caches of a state (never serialized; rebuilt lazily). */
interface SlotCache {
  /** Entity signature of an event (see {@link signatureOf}) → the slots of its entities. */
  bySignature: Map<string, EntitySlot[]>;
  /** `type|key` → slot. */
  byEntity: Map<string, EntitySlot>;
}

/** Signatures cached before the caches are dropped (they are rebuilt on demand). */
const MAX_CACHED_SIGNATURES = 20_000;

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
  /** Lookup caches (not part of the state proper). */
  cache: SlotCache;
}

/** Settings of the state machine. */
export interface StateSettings extends LatenessPolicy, EwmaSettings {}

/** A fresh state. */
export function newPartitionState(source: string): PartitionState {
  return {
    source,
    nextOffset: null,
    maxEventTime: -Infinity,
    applied: 0,
    windows: new Map(),
    combos: new Map(),
    cache: { bySignature: new Map(), byEntity: new Map() },
  };
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

/** Length-prefixed so distinct field values can never produce the same signature. */
const part = (s: string): string => `${s.length}:${s}`;

/** A string determining {@link entitiesOf} of an event (same signature ⇒ same entities). */
function signatureOf(ev: FeatureEvent): string {
  const v = ev.value;
  switch (ev.family) {
    case 'build':
      return `b${part(v.pool)}${ev.value.executor === null ? '-' : part(ev.value.executor)}${ev.value.combination.map(part).join('')}`;
    case 'cache':
    case 'resource':
      return `x${part(v.pool)}${part(ev.value.executor)}`;
    case 'test':
      return `t${part(v.pool)}${ev.value.combination.map(part).join('')}`;
  }
}

function slotsOf(state: PartitionState, ev: FeatureEvent): EntitySlot[] {
  const { bySignature, byEntity } = state.cache;
  const sig = signatureOf(ev);
  const cached = bySignature.get(sig);
  if (cached) return cached;
  if (bySignature.size >= MAX_CACHED_SIGNATURES) {
    bySignature.clear();
    byEntity.clear();
  }
  const slots = entitiesOf(ev).map((e) => {
    const id = `${e.type}|${e.key}`;
    let slot = byEntity.get(id);
    if (!slot) {
      slot = { type: e.type, key: e.key, current: WINDOW_SIZES.map(() => undefined) };
      byEntity.set(id, slot);
    }
    return slot;
  });
  bySignature.set(sig, slots);
  return slots;
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
  const late = timeliness === 'late';
  for (const slot of slotsOf(state, ev)) {
    for (let i = 0; i < WINDOW_SIZES.length; i++) {
      const size = WINDOW_SIZES[i] as (typeof WINDOW_SIZES)[number];
      const startMs = windowStart(t, size.ms);
      let w = slot.current[i];
      if (w?.startMs !== startMs) {
        const id = `${slot.type}|${size.name}|${startMs}|${slot.key}`;
        w = state.windows.get(id);
        if (!w) {
          w = { type: slot.type, key: slot.key, size: size.name, sizeMs: size.ms, startMs, agg: emptyAggregate(), dirty: true };
          state.windows.set(id, w);
        }
        slot.current[i] = w;
      }
      w.agg.events += 1;
      if (late) w.agg.late += 1;
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
  // The slot caches must never hand out a dropped window: forget their current windows.
  if (n > 0) for (const slot of state.cache.byEntity.values()) slot.current.fill(undefined);
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

/** JSON of a window's aggregate, cached on the window while it is clean. */
export function aggregateJson(w: WindowEntry): string {
  if (w.dirty || w.json === undefined) {
    const json = JSON.stringify(serializeAggregate(w.agg));
    if (w.dirty) return json;
    w.json = json;
  }
  return w.json;
}

/**
 * Serializes the state (checkpoint): the JSON of a {@link Snapshot}, assembled from the cached JSON of
 * each window's aggregate so clean windows are not serialized again at every checkpoint.
 */
export function snapshotState(state: PartitionState): string {
  const head: Omit<Snapshot, 'windows' | 'combos'> = {
    v: 1,
    nextOffset: state.nextOffset,
    maxEventTime: Number.isFinite(state.maxEventTime) ? state.maxEventTime : null,
    applied: state.applied,
  };
  const windows: string[] = [];
  for (const w of state.windows.values()) {
    const ident = JSON.stringify({ type: w.type, key: w.key, size: w.size, sizeMs: w.sizeMs, startMs: w.startMs });
    windows.push(`${ident.slice(0, -1)},"agg":${aggregateJson(w)}}`);
  }
  const combos = JSON.stringify([...state.combos.values()].map((c) => c.state));
  return `${JSON.stringify(head).slice(0, -1)},"windows":[${windows.join(',')}],"combos":${combos}}`;
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
