import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { buildDataset } from '../../../models/features/dataset.js';
import { executorTokens, combinationKey } from '../../../models/features/hash.js';
import { FEATURE_DIM, NUMERIC_FEATURES, featureVector } from '../../../models/features/vector.js';
import {
  createPredictor,
  HistoryState,
  inputOf,
  inputOfEvent,
  replayHistory,
  sortByStart,
  type HistoryRecord,
  type ModelRegistry,
} from '../../../models/index.js';
import { eventsOf } from './helpers/events.js';
import { generateHistory } from './helpers/synthetic-history.js';

const noRegistry: ModelRegistry = {
  register: () => Promise.reject(new Error('not used')),
  champion: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  load: () => Promise.reject(new Error('not used')),
};

function featuresBefore(records: HistoryRecord[], buildId: string): Float32Array {
  let found: Float32Array | undefined;
  replayHistory(records, {
    visit(r, input, state) {
      if (r.build_id === buildId) found = featureVector(state, input);
    },
  });
  if (!found) throw new Error(`build ${buildId} not replayed`);
  return found;
}

describe('feature vectors', () => {
  const records = sortByStart(generateHistory({ rows: 1500, pools: 4, seed: 3 }));

  it('are identical between training (replay) and serving (live events through the predictor)', () => {
    const ds = buildDataset(records);
    const rowOf = new Map(ds.buildId.map((id, i) => [id, i]));
    const predictor = createPredictor({
      registry: noRegistry,
      logger: silentLogger(),
      config: { clickhouse: { database: 'x' } as never, models: { warmRows: 0 } as never },
    });
    // Serving follows the live QUEUED/STARTED/FINISHED events; training replays the finished records.
    let compared = 0;
    for (const e of eventsOf(records)) {
      if (e.type === 'STARTED' && rowOf.has(e.build_id)) {
        const served = featureVector(predictor.state, inputOfEvent(e));
        const i = rowOf.get(e.build_id) as number;
        const trained = ds.x.subarray(i * FEATURE_DIM, (i + 1) * FEATURE_DIM);
        expect(Array.from(served)).toEqual(Array.from(trained));
        compared++;
      }
      predictor.observe(e);
    }
    expect(compared).toBeGreaterThan(1400);
    predictor.close();
  });

  it('do not use the build’s own outcome (leakage test)', () => {
    const k = 800;
    const target = records[k] as HistoryRecord;
    const before = featuresBefore(records, target.build_id);
    const changed = records.map((r) =>
      r.build_id === target.build_id
        ? { ...r, duration_ms: r.duration_ms * 7 + 12_345, status: r.status === 'PASSED' ? ('FAILED' as const) : ('PASSED' as const) }
        : r,
    );
    expect(Array.from(featuresBefore(changed, target.build_id))).toEqual(Array.from(before));
    // The outcome does reach builds that start after it finished (so the test above can fail).
    const later = records.find(
      (r) =>
        r.started_at > target.started_at + target.duration_ms &&
        r.pool === target.pool &&
        combinationKey(r.combination) === combinationKey(target.combination),
    );
    expect(later).toBeDefined();
    const id = (later as HistoryRecord).build_id;
    expect(Array.from(featuresBefore(changed, id))).not.toEqual(Array.from(featuresBefore(records, id)));
  });

  it('has the documented layout and finite values', () => {
    const state = replayHistory(records.slice(0, 300));
    const v = featureVector(state, inputOf(records[300] as HistoryRecord));
    expect(v.length).toBe(FEATURE_DIM);
    expect(NUMERIC_FEATURES.length).toBeLessThan(FEATURE_DIM);
    expect(v.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('counts in-flight builds per pool and ignores duplicate finishes', () => {
    const s = new HistoryState();
    s.onQueued('a', 'p', 1);
    s.onQueued('b', 'p', 2);
    expect(s.queuedIn('p')).toBe(2);
    s.onStarted('a', 'p', 3);
    expect([s.queuedIn('p'), s.runningIn('p')]).toEqual([1, 1]);
    const done = { build_id: 'a', pool: 'p', combination: ['m@1'], finished_at: 10, duration_ms: 7, status: 'FAILED' as const };
    s.onFinished(done);
    s.onFinished(done);
    expect(s.runningIn('p')).toBe(0);
    expect(s.pools.get('p')?.n).toBe(1);
    expect(s.pools.get('p')?.fails).toBe(1);
  });

  it('hashes executor class tokens independently of instance numbers', () => {
    expect(executorTokens('pool-003-large-2')).toEqual(['pool', 'large']);
    expect(executorTokens(null)).toEqual(['<none>']);
    expect(combinationKey(['b@1', 'a@2'])).toBe(combinationKey(['a@2', 'b@1']));
  });
});
