/**
 * Scores one batch of build events in order: each QUEUED/STARTED event is predicted from the state as
 * it stands before the event, then every event (FINISHED too) is applied to the state.
 */
import type { BuildEvent } from '../../ingest/index.js';
import { inputOfEvent, type Predictor } from '../../models/index.js';
import { predictionRow, type PredictionRow } from './prediction-rows.js';

/** Predicts for the QUEUED/STARTED events of `events` (in order) and applies all of them to the state. */
export function scoreEvents(predictor: Predictor, events: readonly BuildEvent[]): PredictionRow[] {
  const rows: PredictionRow[] = [];
  for (const e of events) {
    if (e.type === 'QUEUED' || e.type === 'STARTED') {
      const [p] = predictor.predict([inputOfEvent(e)]);
      if (p) rows.push(predictionRow({ ...e, type: e.type }, p));
    }
    predictor.observe(e);
  }
  return rows;
}
