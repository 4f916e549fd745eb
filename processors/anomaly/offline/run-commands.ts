/** Implementations of the `pulse detect` modes (imported lazily by the CLI). */
import { readFileSync } from 'node:fs';
import { table, type Output } from '../../../common/cli/output.js';
import { InputError } from '../../../common/errors.js';
import { readEvaluationSet, writeEvaluationSet } from '../evaluation/eval-set-files.js';
import { evaluateSet } from '../evaluation/evaluate.js';
import { evaluateFleet } from '../evaluation/fleet-evaluation.js';
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
      r.fleet
        ? `fleet simulator: ${r.fleet.detectedWithinLimit}/${r.fleet.incidents} incidents alerted within ${r.fleet.limitMs / 60_000} min ` +
          `(${r.fleet.detectedAtAll} at all; delay p50 ${r.fleet.delayMinutes.p50} min, max ${r.fleet.delayMinutes.max} min), ` +
          `${r.fleet.unexplainedAlerts} unexplained alerts, quiet runs: ${r.fleet.quietRunAlerts} alerts`
        : '',
    ].join('\n'),
  );
}
