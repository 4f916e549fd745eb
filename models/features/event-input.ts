/** The {@link BuildInput} of a live build event (the prediction is made at the event's time). */
import type { BuildInput } from './types.js';

/** Fields of a build event the features need (the Avro BuildEvent has them). */
export interface BuildEventLike {
  build_id: string;
  pool: string;
  arch: string;
  executor: string | null;
  combination: readonly string[];
  event_time: number;
  features: Readonly<Record<string, number>>;
}

/** Input of a QUEUED/STARTED event. */
export function inputOfEvent(e: BuildEventLike): BuildInput {
  return {
    build_id: e.build_id,
    pool: e.pool,
    arch: e.arch,
    executor: e.executor,
    combination: e.combination,
    at: e.event_time,
    features: e.features,
  };
}
