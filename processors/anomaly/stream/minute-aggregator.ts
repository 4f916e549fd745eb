/**
 * Event-time minute windows per entity with a watermark. Observations are summed per
 * (entity, metric) into the minute of their event time; a minute is closed once the watermark passes
 * its end. The watermark is the smallest, over sources (Kafka topic-partitions), of the largest event
 * time seen from that source, minus the allowed lateness — so one partition read ahead of the others
 * does not make their events late. A source silent for `idleSourceMs` (processing time) stops holding
 * the watermark back. Closing emits one snapshot per
 * known entity — also when the entity had no events that minute (a silent pool is information).
 * Events for an already closed minute are late: counted and reported, not folded in.
 */

/** Entity kinds alerts are keyed by. */
export type EntityType = 'pool' | 'combination' | 'executor';

/** One numeric observation from an event. */
export interface Observation {
  entityType: EntityType;
  entity: string;
  metric: string;
  value: number;
}

/** Sum, count and max of one metric in one minute. */
export interface Stat {
  sum: number;
  count: number;
  max: number;
}

/** A closed minute of one entity. */
export interface MinuteSnapshot {
  /** Window start (ms, multiple of 60 000). */
  minute: number;
  entityType: EntityType;
  entity: string;
  stats: ReadonlyMap<string, Stat>;
}

/** Options of {@link createMinuteAggregator}. */
export interface MinuteAggregatorOptions {
  allowedLatenessMs: number;
  /** Entities silent this many minutes are forgotten (default 180). */
  expireAfterMinutes?: number;
  /** Window size (default 60 000 ms). */
  windowMs?: number;
  /** A source with no event for this long (processing time) no longer holds the watermark (default 10 s). */
  idleSourceMs?: number;
  /** Processing-time clock (default Date.now). */
  clock?: () => number;
}

/** The aggregator. */
export interface MinuteAggregator {
  /** Adds one event's observations from `source`; returns false when the event is late (its minute is closed). */
  add(eventTime: number, observations: readonly Observation[], source?: string): boolean;
  /**
   * Declares a source (an assigned partition) before its first event, so that it holds the watermark
   * back until it delivers or goes idle — the first batch of another partition must not close minutes.
   */
  registerSource(source: string): void;
  /** Closes every minute the watermark has passed, in minute order. */
  advance(): MinuteSnapshot[];
  /** Current watermark (ms), or undefined before the first event. */
  readonly watermark: number | undefined;
  /** End (ms) of the last closed minute, or undefined before the first close. */
  readonly closedThrough: number | undefined;
}

const SEP = '\u0000';

/** Creates an empty aggregator. */
export function createMinuteAggregator(options: MinuteAggregatorOptions): MinuteAggregator {
  const windowMs = options.windowMs ?? 60_000;
  const expireAfter = options.expireAfterMinutes ?? 180;
  const open = new Map<number, Map<string, Map<string, Stat>>>();
  const lastSeen = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  const idleSourceMs = options.idleSourceMs ?? 10_000;
  const clock = options.clock ?? Date.now;
  const sources = new Map<string, { max: number; seenAt: number }>();
  let maxEventTime: number | undefined;
  const watermarkNow = (): number | undefined => {
    if (maxEventTime === undefined) return undefined;
    const now = clock();
    let low = maxEventTime;
    for (const s of sources.values()) if (now - s.seenAt <= idleSourceMs && s.max < low) low = s.max;
    return Number.isFinite(low) ? low - options.allowedLatenessMs : undefined;
  };
  /** First minute not closed yet; undefined until the first close (before that nothing is late). */
  let nextToClose: number | undefined;
  let earliest: number | undefined;

  return {
    get watermark() {
      return watermarkNow();
    },
    get closedThrough() {
      return nextToClose;
    },
    registerSource(source) {
      if (!sources.has(source)) sources.set(source, { max: -Infinity, seenAt: clock() });
    },
    add(eventTime, observations, source = '') {
      const minute = Math.floor(eventTime / windowMs) * windowMs;
      if (nextToClose !== undefined && minute < nextToClose) return false;
      earliest = Math.min(earliest ?? minute, minute);
      maxEventTime = Math.max(maxEventTime ?? eventTime, eventTime);
      const src = sources.get(source);
      if (src) {
        src.max = Math.max(src.max, eventTime);
        src.seenAt = clock();
      } else sources.set(source, { max: eventTime, seenAt: clock() });
      let entities = open.get(minute);
      if (!entities) open.set(minute, (entities = new Map<string, Map<string, Stat>>()));
      for (const o of observations) {
        const key = `${o.entityType}${SEP}${o.entity}`;
        lastSeen.set(key, Math.max(lastSeen.get(key) ?? minute, minute));
        firstSeen.set(key, Math.min(firstSeen.get(key) ?? minute, minute));
        let stats = entities.get(key);
        if (!stats) entities.set(key, (stats = new Map<string, Stat>()));
        const s = stats.get(o.metric);
        if (s) {
          s.sum += o.value;
          s.count++;
          if (o.value > s.max) s.max = o.value;
        } else stats.set(o.metric, { sum: o.value, count: 1, max: o.value });
      }
      return true;
    },
    advance() {
      const out: MinuteSnapshot[] = [];
      const watermark = watermarkNow();
      if (watermark === undefined || earliest === undefined) return out;
      if (nextToClose === undefined) {
        if (earliest + windowMs > watermark) return out;
        nextToClose = earliest;
      }
      // First minute that cannot close yet (its end is beyond the watermark).
      const end = Math.floor((watermark - windowMs) / windowMs) * windowMs + windowMs;
      let minute: number = nextToClose;
      // Consecutive minutes without any event: after `expireAfter` of them every entity seen before is
      // expired, so the rest of the silent stretch (a replay gap of months, a clock error) is skipped to
      // the next minute with events. Walking it minute by minute would take (months × entities) steps.
      let silent = 0;
      for (; minute + windowMs <= watermark; minute += windowMs) {
        const data = open.get(minute);
        silent = data ? 0 : silent + 1;
        if (!data && silent > expireAfter) {
          let next = end;
          for (const m of open.keys()) if (m > minute && m < next) next = m;
          for (const [key, seen] of lastSeen)
            if (seen < minute) {
              lastSeen.delete(key);
              firstSeen.delete(key);
            }
          silent = 0;
          minute = next - windowMs; // the loop's step lands on `next`
          continue;
        }
        const entities = data ?? new Map<string, Map<string, Stat>>();
        open.delete(minute);
        for (const [key, seen] of lastSeen) {
          if (minute - seen > expireAfter * windowMs) {
            lastSeen.delete(key);
            firstSeen.delete(key);
            continue;
          }
          if ((firstSeen.get(key) ?? minute) > minute) continue; // not born yet
          const [entityType, entity] = key.split(SEP) as [EntityType, string];
          out.push({ minute, entityType, entity, stats: entities.get(key) ?? new Map() });
        }
      }
      nextToClose = minute;
      return out;
    },
  };
}
