// The prediction lookup the anomaly processor joins finished builds with, against the real ClickHouse:
// it reads the rows the online scorer writes (`predictions`), prefers the STARTED prediction over the
// QUEUED one, leaves out builds without one, and binds build ids through the one escaping function.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, createClickHouse } from '../../../sinks/index.js';
import { createPredictionLookup } from '../../../processors/scoring/prediction-lookup.js';
import { isolatedConfig, uniqueName } from '../../helpers/env.js';

const config = isolatedConfig(uniqueName('predlk'));
const clickhouse = createClickHouse(config);
const db = config.clickhouse.database;

afterAll(async () => {
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await clickhouse.close();
});

function row(build_id: string, stage: 'QUEUED' | 'STARTED', duration_p50_ms: number): Record<string, unknown> {
  const at = Date.UTC(2026, 0, 5, 9);
  return {
    build_id,
    stage,
    pool: 'pool-1',
    arch: 'amd64',
    executor: stage === 'STARTED' ? 'pool-1-exec-01' : null,
    combination: ['base@1'],
    predicted_at: Math.floor(at / 1000),
    predicted_at_ms: at,
    model_version: 'v1',
    duration_p50_ms,
    duration_p10_ms: duration_p50_ms / 2,
    duration_p90_ms: duration_p50_ms * 2,
    failure_prob: 0.1,
    failure_predicted: 0,
    baseline_duration_ms: duration_p50_ms,
    baseline_failed: 0,
  };
}

describe('prediction lookup (real ClickHouse)', () => {
  it('returns the STARTED prediction, else the QUEUED one, for the builds asked', async () => {
    await migrate(clickhouse, db);
    const odd = "b-'quoted'\\id";
    await clickhouse.insert({
      table: `${db}.predictions`,
      values: [
        row('b1', 'QUEUED', 1000),
        row('b1', 'STARTED', 1500),
        row('b2', 'QUEUED', 2000),
        row(odd, 'STARTED', 3000),
        row('b4', 'STARTED', 4000),
      ],
      format: 'JSONEachRow',
    });
    const lookup = createPredictionLookup({ clickhouse, database: db });
    const got = await lookup.predictedDurations(['b1', 'b2', odd, 'missing', 'b1']);
    expect(Object.fromEntries(got)).toEqual({ b1: 1500, b2: 2000, [odd]: 3000 });
    expect((await lookup.predictedDurations([])).size).toBe(0);
  });

  it('throws a retriable error naming the store when it cannot be read', async () => {
    const lookup = createPredictionLookup({ clickhouse, database: `${db}_missing` });
    await expect(lookup.predictedDurations(['b1'])).rejects.toMatchObject({ code: 'PULSE_ERR_UNAVAILABLE', retriable: true });
  });
});
