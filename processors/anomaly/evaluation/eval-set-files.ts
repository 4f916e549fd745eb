/**
 * The labelled evaluation set on disk: one `<name>.csv` (`timestamp,value`, epoch ms) per series and
 * `labels.json` with the cadence, learning period and incidents of each.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../common/errors.js';
import { parseSeriesCsv } from '../offline/csv-series.js';
import type { Incident, LabelledSeries } from './generators.js';

/** `labels.json` of an evaluation set. */
export interface LabelsFile {
  version: 1;
  seed?: number;
  /** Fleet-simulator runs to evaluate too (incidents are the simulator's ground truth). */
  fleet?: { seeds: number[]; hours: number };
  series: Array<{ name: string; file: string; cadenceMs: number; learnUntil: number; incidents: Incident[] }>;
}

/** Writes the set into `dir` (created if missing); returns the files written. */
export function writeEvaluationSet(dir: string, set: readonly LabelledSeries[], seed?: number, fleet?: LabelsFile['fleet']): string[] {
  mkdirSync(dir, { recursive: true });
  const labels: LabelsFile = { version: 1, seed, fleet, series: [] };
  const files: string[] = [];
  for (const s of set) {
    const file = `${s.name}.csv`;
    const body = ['timestamp,value', ...s.points.map((p) => `${p.t},${p.value}`)].join('\n');
    writeFileSync(join(dir, file), `${body}\n`);
    labels.series.push({ name: s.name, file, cadenceMs: s.cadenceMs, learnUntil: s.learnUntil, incidents: s.incidents });
    files.push(file);
  }
  writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
  return [...files, 'labels.json'];
}

/** Reads a set written by {@link writeEvaluationSet} (or by hand in the same format). */
export function readEvaluationSet(dir: string): { series: LabelledSeries[]; fleet?: LabelsFile['fleet'] } {
  const labelsPath = join(dir, 'labels.json');
  let labels: LabelsFile;
  try {
    labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as LabelsFile;
  } catch (err) {
    throw new InputError(labelsPath, `cannot read labels: ${(err as Error).message}`, { cause: err });
  }
  if (labels.version !== 1 || !Array.isArray(labels.series)) throw new InputError(labelsPath, 'expected { "version": 1, "series": [...] }');
  const fleet = labels.fleet;
  if (
    fleet !== undefined &&
    (!Array.isArray(fleet.seeds) || !fleet.seeds.every((x) => Number.isInteger(x)) || !(fleet.hours > 0 && fleet.hours <= 48))
  )
    throw new InputError(labelsPath, 'fleet must be { "seeds": [integers], "hours": 0 < h <= 48 }');
  const series = labels.series.map((s, i) => {
    if (typeof s.file !== 'string' || !Array.isArray(s.incidents) || !(s.cadenceMs > 0))
      throw new InputError(labelsPath, `series[${i}] needs file, cadenceMs > 0 and incidents[]`);
    const path = join(dir, s.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new InputError(path, `cannot read series: ${(err as Error).message}`, { cause: err });
    }
    const points = parseSeriesCsv(text, path).map((r) => ({ t: r.t, value: r.value }));
    return { name: s.name, cadenceMs: s.cadenceMs, learnUntil: s.learnUntil ?? 0, points, incidents: s.incidents };
  });
  return { series, fleet };
}
