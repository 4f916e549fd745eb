/** Files written by `pulse simulate-pool --out DIR`: summaries (JSON), time series (CSV + JSON), sweeps, SVG charts. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../common/errors.js';
import type { PoolSimResult } from './simulator.js';
import type { SeriesPoint } from './stats.js';
import { frontierSvg, timeSeriesSvg } from './svg.js';
import type { SweepPoint } from './sweep.js';

/** Time series as CSV (one row per bucket). */
export function seriesCsv(series: readonly SeriesPoint[]): string {
  const head = 'bucket_start_ms,bucket_start,arrivals,started,slots,running,queued,wait_p95_ms,hit_ratio';
  const rows = series.map((p) =>
    [
      p.t,
      new Date(p.t).toISOString(),
      p.arrivals,
      p.started,
      p.slots.toFixed(3),
      p.running.toFixed(3),
      p.queued.toFixed(3),
      Math.round(p.waitP95Ms),
      p.hitRatio.toFixed(4),
    ].join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

/** Sweep points as CSV. */
export function sweepCsv(points: readonly SweepPoint[], front: readonly SweepPoint[]): string {
  const head = 'label,scaling,cost,executor_hours,p50_wait_ms,p95_wait_ms,p99_wait_ms,utilisation,cache_hit_ratio,pareto';
  const rows = points.map((p) =>
    [
      JSON.stringify(p.label),
      p.scaling,
      p.cost.toFixed(2),
      p.executorHours.toFixed(2),
      Math.round(p.p50WaitMs),
      Math.round(p.p95WaitMs),
      Math.round(p.p99WaitMs),
      p.utilisation.toFixed(4),
      p.cacheHitRatio.toFixed(4),
      front.includes(p),
    ].join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError('--out', `cannot create ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes one run's files; returns their paths. */
export async function writeRunOutputs(dir: string, name: string, r: PoolSimResult, svg: boolean): Promise<string[]> {
  await ensureDir(dir);
  const files: [string, string][] = [
    [`${name}.summary.json`, `${JSON.stringify({ ...r, series: undefined }, null, 2)}\n`],
    [`${name}.series.csv`, seriesCsv(r.series)],
    [`${name}.series.json`, `${JSON.stringify(r.series)}\n`],
  ];
  if (svg) files.push([`${name}.svg`, timeSeriesSvg(r.series, `${r.trace} · ${r.scaling} + ${r.cache}`)]);
  for (const [f, text] of files) await writeFile(join(dir, f), text);
  return files.map(([f]) => join(dir, f));
}

/** Writes a sweep's files; returns their paths. */
export async function writeSweepOutputs(
  dir: string,
  name: string,
  points: readonly SweepPoint[],
  front: readonly SweepPoint[],
  svg: boolean,
): Promise<string[]> {
  await ensureDir(dir);
  const files: [string, string][] = [
    [`${name}.sweep.csv`, sweepCsv(points, front)],
    [`${name}.sweep.json`, `${JSON.stringify({ points, pareto: front.map((p) => p.label) }, null, 2)}\n`],
  ];
  if (svg) files.push([`${name}.frontier.svg`, frontierSvg(points, front, name)]);
  for (const [f, text] of files) await writeFile(join(dir, f), text);
  return files.map(([f]) => join(dir, f));
}
