/**
 * Labelled synthetic series for the evaluation harness: a seasonal, noisy baseline with injected
 * incidents (spikes, dips, level shifts, trend changes, noise bursts, flatlines) and quiet series.
 * Deterministic for a seed. Incidents are placed after the learning period (the first day).
 */
import { createRng, type Rng } from './rng.js';

/** Kind of an injected incident. */
export type IncidentType = 'spike' | 'dip' | 'level_shift' | 'trend_change' | 'noise_burst' | 'flatline';

/** Ground truth of one incident: event-time interval [start, end] in ms. */
export interface Incident {
  type: IncidentType;
  start: number;
  end: number;
}

/** One labelled series. */
export interface LabelledSeries {
  name: string;
  cadenceMs: number;
  /** Alerts before this time are not scored (the detector is still learning). */
  learnUntil: number;
  points: Array<{ t: number; value: number }>;
  incidents: Incident[];
}

/** Shape of the series generator. */
export interface GeneratorOptions {
  seed: number;
  /** Days per series (default 7). */
  days?: number;
  /** Minutes between points (default 5). */
  cadenceMinutes?: number;
  /** First timestamp (default 2026-01-05T00:00Z, a Monday). */
  start?: number;
}

const DAY = 86_400_000;

interface Base {
  level: number;
  sigma: number;
  dailyAmp: number;
  weekendFactor: number;
}

function baseline(b: Base, t: number, rng: Rng): number {
  const hourOfDay = (t % DAY) / 3_600_000;
  const dow = Math.floor(t / DAY + 3) % 7; // 0 = Monday for epoch-aligned days (1970-01-01 was a Thursday)
  const weekend = dow >= 5 ? b.weekendFactor : 1;
  const daily = b.dailyAmp * weekend * Math.max(0, Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI));
  return b.level + daily + b.sigma * rng.normal();
}

type Scenario = 'quiet' | 'seasonal' | IncidentType;

const SCENARIOS: Array<{ scenario: Scenario; count: number }> = [
  { scenario: 'quiet', count: 3 },
  { scenario: 'seasonal', count: 2 },
  { scenario: 'spike', count: 2 },
  { scenario: 'dip', count: 2 },
  { scenario: 'level_shift', count: 2 },
  { scenario: 'trend_change', count: 2 },
  { scenario: 'noise_burst', count: 2 },
  { scenario: 'flatline', count: 2 },
];

function generate(scenario: Scenario, index: number, rng: Rng, o: Required<GeneratorOptions>): LabelledSeries {
  const cadenceMs = o.cadenceMinutes * 60_000;
  // Weekly seasonality needs a week to learn: the seasonal series are three weeks long.
  const days = scenario === 'seasonal' ? Math.max(o.days, 21) : o.days;
  const n = Math.round((days * DAY) / cadenceMs);
  const sigma = 1 + rng.next() * 4;
  const b: Base = {
    level: 50 + rng.next() * 100,
    sigma,
    dailyAmp: scenario === 'quiet' ? 0 : sigma * (scenario === 'seasonal' ? 12 : 4 + rng.next() * 4),
    weekendFactor: scenario === 'seasonal' ? 0.3 : 1,
  };
  const learnUntil = o.start + (scenario === 'seasonal' ? 8 : 1) * DAY;
  const incidents: Incident[] = [];
  const perSeries = scenario === 'quiet' || scenario === 'seasonal' ? 0 : scenario === 'level_shift' || scenario === 'trend_change' ? 2 : 4;
  const firstIdx = Math.round(learnUntil - o.start) / cadenceMs + 24;
  const gap = Math.floor((n - firstIdx) / Math.max(perSeries, 1));
  const at: number[] = [];
  for (let k = 0; k < perSeries; k++) at.push(firstIdx + k * gap + rng.int(0, Math.floor(gap / 3)));
  const lengths: Record<IncidentType, number> = { spike: 1, dip: 1, level_shift: 12, trend_change: 72, noise_burst: 24, flatline: 36 };
  const points: LabelledSeries['points'] = [];
  let shift = 0;
  let slope = 0;
  let flatValue: number | undefined;
  for (let i = 0; i < n; i++) {
    const t = o.start + i * cadenceMs;
    let v = baseline(b, t, rng);
    const k = at.findIndex((a) => a === i);
    if (k >= 0 && scenario !== 'quiet' && scenario !== 'seasonal') {
      incidents.push({ type: scenario, start: t, end: t + (lengths[scenario] - 1) * cadenceMs });
      if (scenario === 'level_shift') shift += (k % 2 === 0 ? 1 : -1) * sigma * (5 + rng.next() * 3);
      if (scenario === 'trend_change') slope = (k % 2 === 0 ? 1 : -1) * sigma * 0.15;
    }
    const inc = incidents.find((x) => t >= x.start && t <= x.end);
    if (scenario === 'trend_change' && incidents.length > 0) shift += slope;
    if (inc?.type === 'spike') v += sigma * (7 + rng.next() * 5);
    if (inc?.type === 'dip') v -= sigma * (7 + rng.next() * 5);
    if (inc?.type === 'noise_burst') v += sigma * 5 * rng.normal();
    if (inc?.type === 'flatline') flatValue ??= Math.round((v + shift) * 100) / 100;
    else flatValue = undefined;
    points.push({ t, value: Math.round((flatValue ?? v + shift) * 1000) / 1000 });
  }
  return { name: `${scenario}-${index}`, cadenceMs, learnUntil, points, incidents };
}

/** Generates the whole labelled set. */
export function generateEvaluationSet(options: GeneratorOptions): LabelledSeries[] {
  const o: Required<GeneratorOptions> = {
    seed: options.seed,
    days: options.days ?? 7,
    cadenceMinutes: options.cadenceMinutes ?? 5,
    start: options.start ?? Date.UTC(2026, 0, 5),
  };
  const rng = createRng(o.seed);
  const out: LabelledSeries[] = [];
  for (const { scenario, count } of SCENARIOS) for (let i = 0; i < count; i++) out.push(generate(scenario, i, rng, o));
  return out;
}
