/** Implementation of `pulse simulate-pool` (imported lazily by commands.ts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../../common/cli/context.js';
import { table } from '../../common/cli/output.js';
import { InputError } from '../../common/errors.js';
import { createCachePolicy, createScalingPolicy } from '../directives/policies/index.js';
import type { SimulatePoolFlags } from './commands.js';
import { compareOnTrace, formatComparison } from './compare.js';
import { writeRunOutputs, writeSweepOutputs } from './outputs.js';
import type { PoolSimConfig } from './sim-config.js';
import { simulatePool } from './simulator.js';
import { defaultSweepGrid, paretoFront, runSweep } from './sweep.js';
import type { Trace } from './trace.js';
import { writeTraceCsv } from './trace-csv.js';

async function loadTrace(
  f: SimulatePoolFlags,
  ctx: CliContext,
  progress: (m: string) => void,
): Promise<{ trace: Trace; hitCostRatio?: number }> {
  const sources = [f.trace, f.fromClickhouse, f.fleet, f.recorded, f.recordDocker].filter((x) => x !== undefined && x !== false);
  if (sources.length !== 1)
    throw new InputError(
      'simulate-pool',
      'give exactly one trace source: --trace FILE, --from-clickhouse RANGE, --fleet, --recorded [FILE] or --record-docker',
    );
  if (f.trace) return { trace: await (await import('./trace-csv.js')).readTraceCsv(f.trace) };
  if (f.fleet) return { trace: (await import('./trace-fleet.js')).generateFleetTrace({ seed: f.seed, days: f.days }) };
  if (f.fromClickhouse) {
    const { loadClickHouseTrace, parseTimeRange } = await import('./trace-clickhouse.js');
    const { createClickHouse } = await import('../../sinks/index.js');
    const config = ctx.config();
    const client = createClickHouse(config);
    try {
      return {
        trace: await loadClickHouseTrace({
          client,
          database: config.clickhouse.database,
          range: parseTimeRange(f.fromClickhouse, Date.now()),
          pool: f.pool,
        }),
      };
    } finally {
      await client.close();
    }
  }
  const docker = await import('./trace-docker.js');
  let rec;
  if (f.recordDocker) {
    const config = ctx.config();
    rec = await docker.recordDockerTimings({
      dockerHost: config.docker.host,
      baseImage: config.docker.baseImage,
      logger: ctx.logger(),
      seed: f.seed,
      progress,
    });
    if (f.out)
      await writeFile(join(f.out, 'recording.json'), `${JSON.stringify({ recordedAt: new Date().toISOString(), ...rec }, null, 2)}\n`);
  } else {
    rec = await docker.readRecording(typeof f.recorded === 'string' ? f.recorded : docker.DEFAULT_RECORDING);
  }
  // Cached steps measured ~0 ms; keep a floor for layer extraction on real disks.
  return { trace: docker.traceFromRecording(rec, { seed: f.seed, days: f.days }), hitCostRatio: Math.max(0.01, rec.hitCostRatio) };
}

/** Runs the command. */
export async function runSimulatePool(f: SimulatePoolFlags, ctx: CliContext): Promise<void> {
  const out = ctx.output(f);
  if (f.svg && !f.out) throw new InputError('--svg', 'needs --out DIR');
  const loaded = await loadTrace(f, ctx, (m) => out.progress(m));
  let trace = loaded.trace;
  const hitCostRatio = loaded.hitCostRatio;
  if (f.pool) {
    trace = { ...trace, jobs: trace.jobs.filter((j) => j.pool === f.pool) };
    if (trace.jobs.length === 0) throw new InputError('--pool', `no jobs of pool "${f.pool}" in the trace`);
  }
  out.progress(`trace ${trace.name}: ${trace.jobs.length} jobs (${trace.source})`);
  if (f.writeTrace) await writeTraceCsv(f.writeTrace, trace);
  const limits = { minSlots: f.minSlots ?? 1, maxSlots: f.maxSlots ?? 200, queueWaitSloMs: f.sloMs ?? 120_000 };
  if (limits.minSlots > limits.maxSlots) throw new InputError('--min-slots', `${limits.minSlots} exceeds --max-slots ${limits.maxSlots}`);
  const config: Partial<PoolSimConfig> = { limits };
  if (f.startupMs !== undefined) config.startupMs = f.startupMs;
  if (f.cacheCapacity !== undefined) config.cacheCapacity = f.cacheCapacity;
  if (hitCostRatio !== undefined) config.hitCostRatio = hitCostRatio;

  if (f.compare) {
    const c = compareOnTrace(trace, config, (m) => out.progress(m));
    out.result(c, (x) => formatComparison([x]));
    return;
  }
  if (f.sweep) {
    const points = runSweep(trace, defaultSweepGrid(trace), f.cache, config, (m) => out.progress(m));
    const front = paretoFront(points);
    const files = f.out ? await writeSweepOutputs(f.out, trace.name, points, front, f.svg ?? false) : [];
    out.result({ trace: trace.name, cache: f.cache, points, pareto: front, files }, (d) =>
      [
        `cost vs p95 wait — Pareto set of ${d.points.length} runs on ${d.trace} (cache ${d.cache}):`,
        table([
          ['configuration', 'executor-h', 'p50 s', 'p95 s', 'p99 s', 'util'],
          ...d.pareto.map((p) => [
            p.label,
            p.executorHours.toFixed(0),
            (p.p50WaitMs / 1000).toFixed(1),
            (p.p95WaitMs / 1000).toFixed(1),
            (p.p99WaitMs / 1000).toFixed(1),
            p.utilisation.toFixed(2),
          ]),
        ]),
        ...d.files.map((x) => `wrote ${x}`),
      ].join('\n'),
    );
    return;
  }
  const r = simulatePool({ trace, scaling: () => createScalingPolicy(f.policy), cache: () => createCachePolicy(f.cache), config });
  const files = f.out ? await writeRunOutputs(f.out, `${trace.name}.${f.policy}.${f.cache}`, r, f.svg ?? false) : [];
  out.result({ ...r, series: f.json && !f.out ? r.series : undefined, files }, (d) =>
    [
      `${d.trace}: ${d.jobs} jobs, ${d.pools} pool(s), scaling ${d.scaling}, cache ${d.cache}`,
      table([
        [
          'queue wait p50 / p95 / p99 / max',
          `${(d.wait.p50 / 1000).toFixed(1)} / ${(d.wait.p95 / 1000).toFixed(1)} / ${(d.wait.p99 / 1000).toFixed(1)} / ${(d.wait.max / 1000).toFixed(1)} s`,
        ],
        ['executor-hours (cost)', `${d.executorHours.toFixed(1)} (${d.cost.toFixed(1)})`],
        ['executor starts', d.executorStarts],
        ['utilisation', d.utilisation.toFixed(3)],
        ['cache hit ratio (layers)', d.cacheHitRatio.toFixed(3)],
        ['mean build time', `${(d.meanBuildMs / 1000).toFixed(1)} s`],
      ]),
      ...d.files.map((x) => `wrote ${x}`),
    ].join('\n'),
  );
}
