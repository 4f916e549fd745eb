/**
 * Benchmark of the models part: training time (scaled to 100k builds), batch scoring rows/s (features +
 * inference through the predictor, and inference alone) and one-row latency, on the active TF.js
 * backend, with synthetic history of a known generating process.
 *
 *   npx tsx test/bench/models.ts [--rows N] [--quick] [--json]
 *   npx tsx test/bench/models.ts --write-csv FILE [--rows N] [--pools P]   (history CSV for `pulse backtest`)
 *   npx tsx test/bench/models.ts --quality [--rows N] [--pools P] [--seed S] [--json]
 *     model vs baselines on the FLEET SIMULATOR's history (fixed seed): the time-split hold-out that
 *     `pulse train`/`pulse evaluate` score, and a full test-then-train backtest (`pulse backtest`).
 *
 * The same figures through the CLI (an isolated database; drop it afterwards):
 *   pulse simulate-history --builds 60000 --pools 50 --seed 1 --output sim.csv
 *   CLICKHOUSE_DATABASE=models_sim PULSE_TOPIC_PREFIX=modsim. pulse migrate
 *   CLICKHOUSE_DATABASE=models_sim pulse train --input sim.csv --json
 *   CLICKHOUSE_DATABASE=models_sim pulse evaluate --input sim.csv --json
 *   pulse backtest --input sim.csv --json
 * Backtest speed: `pulse simulate-history --builds 300000 --pools 150 --seed 1 --output sim300k.csv`, then
 *   /usr/bin/time -v pulse backtest --input sim300k.csv --json
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import { createPredictor, initBackend, inputOf, replayHistory, sortByStart, type ModelRegistry } from '../../models/index.js';
import { buildDataset } from '../../models/features/dataset.js';
import { gatherRows, trainBundle } from '../../models/nn/trainer.js';
import { generateHistory, toCsv } from '../unit/models/helpers/synthetic-history.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const rowsArg = args.indexOf('--rows');
const rows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : quick ? 12_000 : 60_000;
if (!Number.isInteger(rows) || rows < 2000) {
  process.stderr.write('--rows must be an integer >= 2000\n');
  process.exit(2);
}
const csvArg = args.indexOf('--write-csv');
if (csvArg >= 0) {
  const poolsArg = args.indexOf('--pools');
  const pools = poolsArg >= 0 ? Number(args[poolsArg + 1]) : 150;
  const file = args[csvArg + 1] ?? 'history.csv';
  writeFileSync(file, toCsv(generateHistory({ rows, pools, seed: 42 })));
  process.stderr.write(`wrote ${rows} builds of ${pools} pools to ${file}\n`);
  process.exit(0);
}
const argValue = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return v;
};
if (args.includes('--quality')) {
  await qualityReport({
    rows: rowsArg >= 0 ? rows : 60_000,
    pools: argValue('--pools', 50),
    seed: argValue('--seed', 1),
  });
  process.exit(0);
}
const progress = (m: string): void => void (json || process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`));
/** CPU seconds of this process since `from` (the machine is shared: wall time alone misleads). */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
const logger = silentLogger();
const metrics = createMetrics({ defaultMetrics: false });
const backend = await initBackend({ logger, metrics });
progress(`backend ${backend}; generating ${rows} builds`);

const records = sortByStart(generateHistory({ rows, pools: 50, seed: 4 }));
let t = performance.now();
let c = process.cpuUsage();
const ds = buildDataset(records);
const featureSeconds = (performance.now() - t) / 1000;
const nTrain = Math.floor(ds.n * 0.8);
const epochs = 4;
progress(`training on ${nTrain} builds, ${epochs} epochs`);
t = performance.now();
c = process.cpuUsage();
const bundle = await trainBundle(
  ds,
  Array.from({ length: nTrain }, (_, i) => i),
  { version: 'bench', backend, epochs },
);
const trainSeconds = (performance.now() - t) / 1000;
const trainCpuSeconds = cpuSince(c);

const registry: ModelRegistry = {
  register: () => Promise.reject(new Error('bench registry is read-only')),
  champion: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  load: () => Promise.reject(new Error('bench registry has no artefacts')),
};
const predictor = createPredictor({
  registry,
  logger,
  metrics,
  config: { clickhouse: { database: 'bench' } as never, models: { warmRows: 0 } as never },
});
replayHistory(records.slice(0, nTrain), { state: predictor.state });
// Serve the trained bundle directly (the registry path is covered by the integration test).
const testInputs = records.slice(nTrain).map(inputOf);
const x = gatherRows(
  ds,
  Array.from({ length: ds.n - nTrain }, (_, i) => nTrain + i),
);

t = performance.now();
const inf = bundle.predict(x, ds.n - nTrain);
const inferenceRowsPerSec = (ds.n - nTrain) / ((performance.now() - t) / 1000);
void inf;

t = performance.now();
for (let i = 0; i < testInputs.length; i += 1000) predictor.predict(testInputs.slice(i, i + 1000));
const baselinePathRowsPerSec = testInputs.length / ((performance.now() - t) / 1000);

// Batch scoring through features + the model, in batches of 1000.
const { FEATURE_DIM, writeFeatures } = await import('../../models/features/vector.js');
t = performance.now();
c = process.cpuUsage();
for (let i = 0; i < testInputs.length; i += 1000) {
  const batch = testInputs.slice(i, i + 1000);
  const bx = new Float32Array(batch.length * FEATURE_DIM);
  batch.forEach((input, j) => writeFeatures(predictor.state, input, bx, j * FEATURE_DIM));
  bundle.predict(bx, batch.length);
}
const batchRowsPerSec = testInputs.length / ((performance.now() - t) / 1000);
const batchRowsPerCpuSec = testInputs.length / cpuSince(c);

const lat: number[] = [];
for (let i = 0; i < 500; i++) {
  const input = testInputs[i % testInputs.length];
  if (!input) break;
  const s = performance.now();
  const one = new Float32Array(FEATURE_DIM);
  writeFeatures(predictor.state, input, one, 0);
  bundle.predict(one, 1);
  lat.push(performance.now() - s);
}
lat.sort((a, b) => a - b);
const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] as number;
bundle.dispose();
predictor.close();

const result = {
  backend,
  rows: ds.n,
  featureRowsPerSec: Math.round(ds.n / featureSeconds),
  trainRows: nTrain,
  epochs,
  trainSeconds: Math.round(trainSeconds * 10) / 10,
  trainSecondsPer100k: Math.round((trainSeconds * 100_000) / nTrain),
  trainCpuSecondsPer100k: Math.round((trainCpuSeconds * 100_000) / nTrain),
  batchScoringRowsPerSec: Math.round(batchRowsPerSec),
  batchScoringRowsPerCpuSec: Math.round(batchRowsPerCpuSec),
  inferenceOnlyRowsPerSec: Math.round(inferenceRowsPerSec),
  baselineScoringRowsPerSec: Math.round(baselinePathRowsPerSec),
  loadAverage: loadavg()[0] ?? 0,
  oneRowLatencyMs: { p50: Math.round(q(0.5) * 1000) / 1000, p99: Math.round(q(0.99) * 1000) / 1000 },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else
  process.stdout.write(
    [
      `backend                 ${result.backend}`,
      `features                ${result.featureRowsPerSec} rows/s`,
      `training                ${result.trainSeconds} s for ${nTrain} builds × ${epochs} epochs (${result.trainSecondsPer100k} s per 100k builds; ${result.trainCpuSecondsPer100k} CPU-s)`,
      `batch scoring           ${result.batchScoringRowsPerSec} rows/s (features + both networks, batches of 1000; ${result.batchScoringRowsPerCpuSec} rows per CPU-s)`,
      `inference only          ${result.inferenceOnlyRowsPerSec} rows/s`,
      `one-row latency         p50 ${result.oneRowLatencyMs.p50} ms, p99 ${result.oneRowLatencyMs.p99} ms`,
      `load average            ${result.loadAverage.toFixed(1)} (shared machine)`,
    ].join('\n') + '\n',
  );

/**
 * Quality on the fleet simulator: writes its history CSV (the `pulse simulate-history` export), then runs
 * the same code as `pulse train --input` + `pulse evaluate --input` (latest 20 % held out, trained on
 * builds finished before the window) and as `pulse backtest --input`, printing model vs baselines.
 */
async function qualityReport(o: { rows: number; pools: number; seed: number }): Promise<void> {
  const say = (m: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
  const { writeSimulatedHistory, DEFAULT_START, parseStart } = await import('../../ingest/simulator/index.js');
  const { readHistoryCsv } = await import('../../models/data/csv-history.js');
  const { evaluateRows, timeSplit } = await import('../../models/train.js');
  const { runBacktest } = await import('../../models/backtest.js');
  const { comparisonText } = await import('../../models/report-text.js');
  const log = silentLogger();
  const dir = mkdtempSync(join(tmpdir(), 'pulse-models-quality-'));
  try {
    const file = join(dir, 'history.csv');
    const sim = await writeSimulatedHistory(file, {
      builds: o.rows,
      pools: o.pools,
      executorsPerPool: 8,
      seed: o.seed,
      startMs: parseStart(DEFAULT_START, Date.now()),
    });
    say(
      `simulated ${sim.builds} builds (${sim.failed} failed) of ${o.pools} pools, seed ${o.seed}, ${sim.virtualStart} → ${sim.virtualEnd}`,
    );
    const records = sortByStart((await readHistoryCsv(file)).records);
    const be = await initBackend({ logger: log });
    const ds = buildDataset(records);
    const { train, holdout } = timeSplit(ds, 0.2);
    say(`evaluate: training on ${train.length} builds, ${holdout.length} held out`);
    const bundle = await trainBundle(ds, train, { version: 'quality', backend: be });
    const evaluate = evaluateRows(bundle, ds, holdout);
    bundle.dispose();
    say(`backtest over ${records.length} builds`);
    const backtest = await runBacktest(records, { logger: log }, { progress: say });
    const { pools: _pools, ...backtestOverall } = backtest;
    const result = { simulator: { ...o, executorsPerPool: 8, ...sim, file: undefined }, backend: be, evaluate, backtest: backtestOverall };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `fleet simulator seed ${o.seed}: ${sim.builds} builds, ${o.pools} pools (backend ${be})\n\n` +
          `evaluate (latest 20 % held out)\n${comparisonText(evaluate)}\n\n` +
          `backtest (${backtest.retrains} retrains every ${backtest.retrainEvery}, ${backtest.seconds.total.toFixed(1)} s)\n${comparisonText(backtest.overall)}\n`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
