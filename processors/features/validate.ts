/**
 * Semantic checks of decoded events beyond the Avro schema (which only guarantees types). A failing
 * event is dead-lettered with the field path named in the ValidationError.
 */
import { ValidationError } from '../../common/errors.js';
import type { FeatureEvent } from './entities.js';

const MAX_TIME_MS = 8_640_000_000_000; // year 275760: anything beyond is not a real timestamp

function nonNegative(field: string, v: number | null): void {
  if (v !== null && !(Number.isFinite(v) && v >= 0)) throw new ValidationError(field, `must be a finite number >= 0, got ${v}`);
}

function nonEmpty(field: string, v: string): void {
  if (v.trim() === '') throw new ValidationError(field, 'must not be empty');
}

/** Throws a ValidationError naming the first invalid field. */
export function validateFeatureEvent(ev: FeatureEvent): void {
  const v = ev.value;
  if (!(Number.isSafeInteger(v.event_time) && v.event_time > 0 && v.event_time < MAX_TIME_MS))
    throw new ValidationError('event_time', `must be ms since epoch, got ${v.event_time}`);
  nonEmpty('event_id', v.event_id);
  nonEmpty('pool', v.pool);
  switch (ev.family) {
    case 'build': {
      const b = ev.value;
      nonNegative('queue_wait_ms', b.queue_wait_ms);
      nonNegative('duration_ms', b.duration_ms);
      if (b.type === 'FINISHED' && b.status === null) throw new ValidationError('status', 'must be set on FINISHED events');
      if (b.type !== 'FINISHED' && b.status !== null) throw new ValidationError('status', `must be null on ${b.type} events`);
      if (b.combination.length === 0) throw new ValidationError('combination', 'must list at least the base');
      for (const [name, x] of Object.entries(b.features))
        if (!Number.isFinite(x)) throw new ValidationError(`features.${name}`, `must be finite, got ${x}`);
      break;
    }
    case 'cache':
      nonEmpty('executor', ev.value.executor);
      nonNegative('bytes', ev.value.bytes);
      nonNegative('latency_ms', ev.value.latency_ms);
      break;
    case 'resource': {
      const r = ev.value;
      nonEmpty('executor', r.executor);
      for (const f of ['cpu_util', 'memory_util', 'disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'] as const)
        nonNegative(f, r[f]);
      nonNegative('running_builds', r.running_builds);
      nonNegative('slots', r.slots);
      nonNegative('queued', r.queued);
      break;
    }
    case 'test':
      if (ev.value.combination.length === 0) throw new ValidationError('combination', 'must list at least the base');
      nonNegative('duration_ms', ev.value.duration_ms);
      break;
  }
}
