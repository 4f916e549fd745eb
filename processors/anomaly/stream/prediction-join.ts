/**
 * Joins finished builds with the model's predicted duration (by build id), for the prediction-drift
 * channel. The predictions come from a {@link PredictionLookup} (the online scorer's `predictions`
 * table in production, a fake in tests); one lookup per consumed batch.
 */
import { retry } from '../../../common/retry.js';
import type { AnyEvent } from '../../../ingest/index.js';
import type { PredictionLookup } from '../../scoring/prediction-lookup.js';

/** Build ids of the passed FINISHED builds with a duration in `events` (the ones drift compares). */
export function finishedBuildIds(events: readonly AnyEvent[]): string[] {
  return events.flatMap((e) =>
    e.family === 'build' && e.value.type === 'FINISHED' && e.value.status === 'PASSED' && e.value.duration_ms !== null
      ? [e.value.build_id]
      : [],
  );
}

/**
 * Predicted durations for the finished builds of `events`. Drift is one detector among many: when the
 * lookup keeps failing (after a short retry) `onUnavailable` is told and the batch goes on without pairs.
 */
export async function joinPredictions(
  events: readonly AnyEvent[],
  lookup: PredictionLookup,
  onUnavailable: (err: unknown, builds: number) => void,
): Promise<{ predicted: Map<string, number>; wanted: number }> {
  const ids = finishedBuildIds(events);
  if (ids.length === 0) return { predicted: new Map(), wanted: 0 };
  try {
    return { predicted: await retry(() => lookup.predictedDurations(ids), { retries: 2 }), wanted: ids.length };
  } catch (err) {
    onUnavailable(err, ids.length);
    return { predicted: new Map(), wanted: ids.length };
  }
}
