import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { createPredictor, sortByStart, type ModelRegistry } from '../../../models/index.js';
import { scoreEvents } from '../../../processors/scoring/score-batch.js';
import { eventsOf } from './helpers/events.js';
import { generateHistory } from './helpers/synthetic-history.js';

const noChampion: ModelRegistry = {
  register: () => Promise.reject(new Error('not used')),
  champion: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  load: () => Promise.reject(new Error('not used')),
};

describe('online scoring of a batch', () => {
  it('writes one row per QUEUED/STARTED event, predicted before the event is applied', () => {
    const records = sortByStart(generateHistory({ rows: 300, pools: 2, seed: 21 }));
    const metrics = createMetrics({ defaultMetrics: false });
    const predictor = createPredictor({
      registry: noChampion,
      logger: silentLogger(),
      metrics,
      config: { clickhouse: { database: 'x' } as never, models: { warmRows: 0 } as never },
    });
    const events = eventsOf(records);
    const rows = scoreEvents(predictor, events);
    expect(rows).toHaveLength(events.filter((e) => e.type !== 'FINISHED').length);
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set(['QUEUED', 'STARTED']));
    // Without a champion the baselines answer, labelled as such.
    expect(rows.every((r) => r.model_version === 'baseline')).toBe(true);
    const last = rows[rows.length - 1];
    expect(last?.predicted_at_ms).toBe(events.filter((e) => e.type !== 'FINISHED').pop()?.event_time);
    // The state followed the FINISHED events: later builds see history.
    expect(predictor.state.global.n).toBe(records.filter((r) => r.status !== 'CANCELLED').length);
    // Drift: outcomes of predicted builds were matched.
    expect(predictor.drift.snapshot().matched).toBeGreaterThan(250);
    predictor.close();
  });
});
