/**
 * ClickHouse sink throughput vs a bare insert, in one run on an isolated database:
 *   - the sink: `createClickHouseWriter` (the writer the processors use; 50k-row chunks, retries, metrics)
 *     inserting raw build_events rows (`rawRow` shape) into `build_events`
 *   - the reference: one bare `client.insert({ format: 'JSONEachRow' })` of the same rows into
 *     `build_events_bare`, created `AS build_events` (identical engine and columns)
 * Rounds alternate sink/bare; the best round of each is reported. The database is dropped at the end.
 * Usage: npx tsx test/bench/sink.ts [--json] [--quick|--scale N]
 */
import { createLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import { applySchema, createClickHouse, createClickHouseWriter, ident } from '../../sinks/index.js';
import { rawRow } from '../../processors/features/raw-rows.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { benchBuildEvents } from './lib/build-events.js';
import { benchFlags, progress, r, report } from './lib/bench-io.js';

const flags = benchFlags();
const N = Math.max(3, Math.round((200_000 * flags.scale) / 3) * 3);
const ROUNDS = 3;
const config = isolatedConfig(uniqueName('bench_sink'), { logLevel: 'warn' });
const logger = createLogger({ level: 'warn' });
const client = createClickHouse(config);
const db = ident(config.clickhouse.database).text;

async function count(table: string): Promise<number> {
  const rs = await client.query({ query: `SELECT count() AS c FROM ${db}.${table}`, format: 'JSONEachRow' });
  const [row] = await rs.json<{ c: string }>();
  return Number(row?.c);
}

async function timed(what: string, table: string, fn: () => Promise<void>): Promise<number> {
  await client.command({ query: `TRUNCATE TABLE ${db}.${table}` });
  const t0 = performance.now();
  await fn();
  const secs = (performance.now() - t0) / 1000;
  const n = await count(table);
  if (n !== N) throw new Error(`${what}: ${table} holds ${n} rows, expected ${N}`);
  const rate = N / secs;
  progress(`${what}: ${N} rows in ${r(secs, 2)} s = ${r(rate)} rows/s`);
  return rate;
}

async function main(): Promise<void> {
  progress(`applying schema to ${config.clickhouse.database}`);
  await applySchema(config, logger);
  await client.command({ query: `CREATE TABLE ${db}.build_events_bare AS ${db}.build_events` });
  const rows = [...benchBuildEvents(N)].map((value) => rawRow({ family: 'build', value }).row);
  const writer = createClickHouseWriter({
    client,
    database: config.clickhouse.database,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
  });
  const sink: number[] = [];
  const bare: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    sink.push(await timed(`round ${round} sink`, 'build_events', () => writer.insert('build_events', rows)));
    bare.push(
      await timed(`round ${round} bare`, 'build_events_bare', async () => {
        await client.insert({ table: `${db}.build_events_bare`, values: rows, format: 'JSONEachRow' });
      }),
    );
  }
  const sinkBest = Math.max(...sink);
  const bareBest = Math.max(...bare);
  const result = {
    rows: N,
    rounds: ROUNDS,
    sinkRowsPerSec: r(sinkBest),
    bareInsertRowsPerSec: r(bareBest),
    sinkVsBare: r(sinkBest / bareBest, 3),
    allRounds: { sink: sink.map((x) => r(x)), bare: bare.map((x) => r(x)) },
  };
  report(flags, result, [
    `ClickHouse sink vs bare client.insert, ${N} build_events rows (best of ${ROUNDS} rounds, same run)`,
    `  sink (createClickHouseWriter)   ${result.sinkRowsPerSec} rows/s`,
    `  bare client.insert JSONEachRow  ${result.bareInsertRowsPerSec} rows/s`,
    `  sink / bare                     ${result.sinkVsBare}`,
  ]);
}

try {
  await main();
} finally {
  await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await client.close();
}
