/**
 * A small deterministic fleet history with a known generating process, for model tests and the
 * models benchmark (independent of the ingest simulator so the models part is never blocked):
 *
 * - duration = pool speed × arch × executor class × (base + Σ module@version costs) × cold-cache
 *   factor (no build of the pool+combination in the last 2 h) × (1 + 0.04 × running builds in the pool)
 *   × (1 + 0.03 × f_changed_files) × log-normal noise (σ 0.2) with a 4 % heavy tail (Pareto α 1.5);
 * - failure: 2 % base, +45 % when the combination contains one of the "bad" module pairs, +12 % for
 *   flaky module versions, and pool-wide failure bursts (60 %) of about an hour.
 */
import type { HistoryRecord, OutcomeStatus } from '../../../../models/features/types.js';

/** Options of {@link generateHistory}. */
export interface SyntheticOptions {
  rows: number;
  pools: number;
  seed: number;
  /** Start of the history, ms (default 2026-01-01). */
  startMs?: number;
  /** Builds per hour across the fleet (default 40 per pool). */
  ratePerHour?: number;
}

/** Seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates `rows` finished builds, sorted by start time. */
export function generateHistory(o: SyntheticOptions): HistoryRecord[] {
  const r = rng(o.seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const MODULES = 60;
  const cost = new Map<string, number>();
  const flaky = new Set<string>();
  for (let m = 0; m < MODULES; m++)
    for (let v = 1; v <= 3; v++) {
      const key = `mod${m}@${v}.0`;
      cost.set(key, 8_000 * Math.exp(0.9 * normal()) * (1 + 0.15 * (v - 2)));
      if (r() < 0.06) flaky.add(key);
    }
  const bad = new Set<string>();
  while (bad.size < 25) {
    const a = Math.floor(r() * MODULES);
    const b = Math.floor(r() * MODULES);
    if (a !== b) bad.add(`${Math.min(a, b)}+${Math.max(a, b)}`);
  }
  const bases = ['base-debian@12', 'base-alpine@3.20', 'base-ubi@9'];
  const combos: string[][] = [];
  for (let c = 0; c < Math.max(50, o.pools * 12); c++) {
    const k = 2 + Math.floor(r() * 6);
    const mods = new Set<number>();
    while (mods.size < k) mods.add(Math.floor(r() * MODULES));
    combos.push([pick(bases), ...[...mods].map((m) => `mod${m}@${1 + Math.floor(r() * 3)}.0`)]);
  }
  const pools = Array.from({ length: o.pools }, (_, i) => ({
    name: `pool-${String(i).padStart(3, '0')}`,
    speed: Math.exp(0.3 * normal()),
    arch: r() < 0.3 ? 'arm64' : 'amd64',
    combos: Array.from({ length: 25 }, () => Math.floor(r() * combos.length)),
    burstUntil: -1,
    running: [] as number[],
  }));
  const lastBuilt = new Map<string, number>();
  const rate = o.ratePerHour ?? 40 * o.pools;
  let t = o.startMs ?? Date.UTC(2026, 0, 1);
  const out: HistoryRecord[] = [];
  for (let i = 0; i < o.rows; i++) {
    const hour = new Date(t).getUTCHours();
    const diurnal = 0.5 + 0.5 * Math.sin(((hour - 6) / 24) * 2 * Math.PI) + 0.3;
    t += Math.round((-Math.log(r() + 1e-12) / (rate * diurnal)) * 3_600_000);
    const pool = pools[Math.floor(r() * pools.length)] as (typeof pools)[number];
    const zipf = Math.floor(pool.combos.length * Math.pow(r(), 2.5));
    const combination = combos[pool.combos[zipf] as number] as string[];
    const large = r() < 0.5;
    const executor = `${pool.name}-${large ? 'large' : 'small'}-${Math.floor(r() * 4)}`;
    pool.running = pool.running.filter((end) => end > t);
    const key = `${pool.name}|${combination.join(';')}`;
    const last = lastBuilt.get(key);
    const cold = last === undefined || t - last > 2 * 3_600_000;
    const changed = Math.floor(-Math.log(r() + 1e-12) * 5);
    let work = 20_000;
    for (const m of combination.slice(1)) work += cost.get(m) ?? 0;
    let noise = Math.exp(0.2 * normal());
    if (r() < 0.04) noise *= Math.pow(1 - r(), -1 / 1.5);
    const duration = Math.round(
      work *
        pool.speed *
        (pool.arch === 'arm64' ? 1.3 : 1) *
        (large ? 0.75 : 1.2) *
        (cold ? 1.6 : 1) *
        (1 + 0.04 * pool.running.length) *
        (1 + 0.03 * changed) *
        noise,
    );
    if (pool.burstUntil < t && r() < 0.0015) pool.burstUntil = t + 3_600_000 * (0.5 + r());
    let p = 0.02;
    const ids = combination.slice(1).map((m) => Number(/^mod(\d+)@/.exec(m)?.[1]));
    for (let a = 0; a < ids.length; a++)
      for (let b = a + 1; b < ids.length; b++)
        if (bad.has(`${Math.min(ids[a] as number, ids[b] as number)}+${Math.max(ids[a] as number, ids[b] as number)}`)) p += 0.45;
    if (combination.some((m) => flaky.has(m))) p += 0.12;
    if (t < pool.burstUntil) p = Math.max(p, 0.6);
    const u = r();
    const status: OutcomeStatus = u < Math.min(0.95, p) ? (r() < 0.8 ? 'FAILED' : 'ERRORED') : r() < 0.005 ? 'CANCELLED' : 'PASSED';
    pool.running.push(t + duration);
    lastBuilt.set(key, t);
    const wait = Math.round(-Math.log(r() + 1e-12) * 20_000);
    out.push({
      build_id: `b${o.seed}-${i}`,
      pool: pool.name,
      arch: pool.arch,
      executor,
      combination,
      queued_at: t - wait,
      started_at: t,
      duration_ms: duration,
      status,
      features: { changed_files: changed },
    });
  }
  return out;
}

/** Renders records as a history CSV in the import format. */
export function toCsv(records: readonly HistoryRecord[]): string {
  const lines = ['build_id,pool,started_at,duration_ms,status,combination,executor,queued_at,arch,f_changed_files'];
  for (const x of records)
    lines.push(
      [
        x.build_id,
        x.pool,
        new Date(x.started_at).toISOString(),
        x.duration_ms,
        x.status.toLowerCase(),
        x.combination.join(';'),
        x.executor ?? '',
        x.queued_at ?? '',
        x.arch,
        x.features.changed_files ?? '',
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}
