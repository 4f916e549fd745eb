/**
 * Event-time minute windows per entity with a watermark. Observations are summed per
 * (entity, metric) into the minute of their event time; a minute is closed once the watermark
 * (largest event time seen minus the allowed lateness) passes its end. Closing emits one snapshot per
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
}

/** The aggregator. */
export interface MinuteAggregator {
  /** Adds one event's observations; returns false when the event is late (its minute is closed). */
  add(eventTime: number, observations: readonly Observation[]): boolean;
  /** Closes every minute the watermark has passed, in minute order. */
  advance(): MinuteSnapshot[];
  /** Current watermark (ms), or undefined before the first event. */
  readonly watermark: number | undefined;
}

const SEP = '\u0000';

/** Creates an empty aggregator. */
export function createMinuteAggregator(options: MinuteAggregatorOptions): MinuteAggregator {
  const windowMs = options.windowMs ?? 60_000;
  const expireAfter = options.expireAfterMinutes ?? 180;
  const open = new Map<number, Map<string, Map<string, Stat>>>();
  const lastSeen = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let maxEventTime: number | undefined;
  /** First minute not closed yet; undefined until the first close (before that nothing is late). */
  let nextToClose: number | undefined;
  let earliest: number | undefined;

  return {
    get watermark() {
      return maxEventTime === undefined ? undefined : maxEventTime - options.allowedLatenessMs;
    },
    add(eventTime, observations) {
      const minute = Math.floor(eventTime / windowMs) * windowMs;
      if (nextToClose !== undefined && minute < nextToClose) return false;
      earliest = Math.min(earliest ?? minute, minute);
      maxEventTime = Math.max(maxEventTime ?? eventTime, eventTime);
      let entities = open.get(minute);
      if (!entities) open.set(minute, (entities = new Map()));
      for (const o of observations) {
        const key = `${o.entityType}${SEP}${o.entity}`;
        lastSeen.set(key, Math.max(lastSeen.get(key) ?? minute, minute));
        firstSeen.set(key, Math.min(firstSeen.get(key) ?? minute, minute));
        let stats = entities.get(key);
        if (!stats) entities.set(key, (stats = new Map()));
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
      if (maxEventTime === undefined || earliest === undefined) return out;
      const watermark = maxEventTime - options.allowedLatenessMs;
      if (nextToClose === undefined) {
        if (earliest + windowMs > watermark) return out;
        nextToClose = earliest;
      }
      // A jump of more than a day (replay of old data, clock error) skips the empty minutes in between.
      if (watermark - nextToClose > 86_400_000) {
        const firstOpen = Math.min(...open.keys());
        if (Number.isFinite(firstOpen) && firstOpen > nextToClose) nextToClose = firstOpen;
      }
      let minute: number = nextToClose;
      for (; minute + windowMs <= watermark; minute += windowMs) {
        const entities = open.get(minute) ?? new Map<string, Map<string, Stat>>();
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
