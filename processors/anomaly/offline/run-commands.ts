/** Implementations of the `pulse detect` modes (imported lazily by the CLI). */
import { readFileSync } from 'node:fs';
import { table, type Output } from '../../../common/cli/output.js';
import { InputError } from '../../../common/errors.js';
import { readEvaluationSet, writeEvaluationSet } from '../evaluation/eval-set-files.js';
import { evaluateSet } from '../evaluation/evaluate.js';
import { evaluateFleet, parseSeeds, type FleetEvaluation } from '../evaluation/fleet-evaluation.js';
import { generateEvaluationSet } from '../evaluation/generators.js';
import { parseSeriesCsv } from './csv-series.js';
import { detectSeries } from './detect-series.js';

/** `pulse detect --input FILE`: a JSON array, one object per row in row order (one row per line without --json). */
export function runDetect(file: string, out: Output): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  const started = performance.now();
  const rows = parseSeriesCsv(text, file);
  const { rows: result, transitions } = detectSeries(rows);
  const ms = performance.now() - started;
  const fired = transitions.filter((t) => t.state === 'FIRING').length;
  out.progress(`${rows.length} rows scored in ${ms.toFixed(0)} ms; ${fired} alerts fired`);
  if (out.json) out.result(result, () => '');
  else process.stdout.write(`[\n${result.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
}

/** `pulse detect --make-eval DIR --seed S`. */
export function runMakeEval(dir: string, seed: number, days: number, out: Output): void {
  const set = generateEvaluationSet({ seed, days });
  const files = writeEvaluationSet(dir, set, seed, { seeds: [seed, seed + 1, seed + 2], hours: 4 });
  const incidents = set.reduce((a, s) => a + s.incidents.length, 0);
  out.result(
    { dir, seed, series: set.length, incidents, files },
    (d) => `wrote ${d.series} series with ${d.incidents} incidents to ${d.dir}`,
  );
}

/** `pulse detect --evaluate DIR`. */
export function runEvaluate(dir: string, out: Output): void {
  const { series: set, fleet } = readEvaluationSet(dir);
  out.progress(`evaluating ${set.length} series from ${dir}`);
  const synthetic = evaluateSet(set, { progress: (m) => out.progress(m) });
  const fleetReport = fleet ? evaluateFleet({ seeds: fleet.seeds, hours: fleet.hours }, (m) => out.progress(m)) : undefined;
  const report = { ...synthetic, fleet: fleetReport };
  out.result(report, (r) =>
    [
      table([
        ['series', 'incidents', 'detected', 'alarms', 'false', 'precision', 'recall', 'delay p50 (pts)', 'false/day'],
        ...[...r.series, { name: 'OVERALL', ...r.overall }].map((s) => [
          s.name,
          s.incidents,
          s.detected,
          s.alarms,
          s.falseAlarms,
          s.precision,
          s.recall,
          s.delayPoints.p50,
          s.falseAlarmsPerDay,
        ]),
      ]),
      r.fleet ? formatFleet(r.fleet) : '',
    ].join('\n'),
  );
}

/** `pulse detect --fleet-seeds 1-12 [--hours H]`: the fleet-simulator acceptance, counted per seed. */
export function runFleetEvaluate(seedList: string, hours: number, out: Output): void {
  const seeds = parseSeeds(seedList);
  out.progress(`fleet simulator: ${seeds.length} seeds × ${hours} h, with incidents and quiet`);
  out.result(
    evaluateFleet({ seeds, hours }, (m) => out.progress(m)),
    formatFleet,
  );
}

/** The fleet evaluation as text: one row per seed, one line per incident kind, the totals. */
export function formatFleet(r: FleetEvaluation): string {
  const limit = `alerted ≤ ${r.limitMs / 60_000} min`;
  return [
    table([
      ['seed', 'incidents', limit, 'delay p50 (min)', 'delay max (min)', 'quiet-run alerts', 'side-effect alerts', 'unexplained'],
      ...r.perSeed.map((s) => [
        s.seed,
        s.incidents,
        s.detectedWithinLimit,
        s.delayMinutes.p50,
        s.delayMinutes.max,
        s.quietRunAlerts,
        s.sideEffectAlerts,
        s.unexplainedAlerts,
      ]),
    ]),
    ...Object.entries(r.byKind).map(
      ([kind, k]) =>
        `  ${kind}: ${k.detectedWithinLimit}/${k.incidents} ${limit}, delay p50 ${k.delayMinutes.p50} max ${k.delayMinutes.max} min`,
    ),
    `fleet simulator (${r.hours} h per run): ${r.detectedWithinLimit}/${r.incidents} incidents ${limit} ` +
      `(${r.detectedAtAll} at all; delay p50 ${r.delayMinutes.p50} min, max ${r.delayMinutes.max} min), ` +
      `${r.unexplainedAlerts} unexplained alerts, quiet runs: ${r.quietRunAlerts} alerts`,
  ].join('\n');
}
