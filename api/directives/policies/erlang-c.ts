/**
 * Erlang-C (M/M/c) queueing formulas, pure math. Units: arrival rate in jobs/s, service and wait
 * times in ms. `a = λ·S` is the offered load in Erlangs; a queue is stable only when `a < c`.
 */

/** Erlang-B blocking probability B(c, a), by the numerically stable recurrence B(k) = a·B(k-1) / (k + a·B(k-1)). */
export function erlangB(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`servers must be a non-negative integer, got ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`offered load must be >= 0, got ${offeredLoad}`);
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Erlang-C probability that an arrival has to wait, C(c, a); 1 when the queue is unstable (a >= c). */
export function erlangC(servers: number, offeredLoad: number): number {
  if (servers <= 0 || offeredLoad >= servers) return 1;
  if (offeredLoad === 0) return 0;
  const b = erlangB(servers, offeredLoad);
  const rho = offeredLoad / servers;
  return b / (1 - rho * (1 - b));
}

/** Inputs of the M/M/c formulas below. */
export interface MmcParams {
  servers: number;
  /** Arrival rate λ, jobs/s. */
  arrivalsPerSec: number;
  /** Mean service time S = 1/μ, ms. */
  meanServiceMs: number;
}

function parts(p: MmcParams): { c: number; a: number; drainPerMs: number } {
  const a = (p.arrivalsPerSec * p.meanServiceMs) / 1000;
  // c·μ − λ, in jobs per ms: the rate at which the waiting-time tail decays.
  const drainPerMs = p.servers / p.meanServiceMs - p.arrivalsPerSec / 1000;
  return { c: p.servers, a, drainPerMs };
}

/** Mean queue wait W_q = C(c, a) / (cμ − λ), ms; Infinity when unstable. */
export function meanWaitMs(p: MmcParams): number {
  const { c, a, drainPerMs } = parts(p);
  if (a === 0) return 0;
  if (a >= c) return Infinity;
  return erlangC(c, a) / drainPerMs;
}

/** P(W_q > t) = C(c, a) · exp(−(cμ − λ)·t). */
export function waitExceedsProbability(p: MmcParams, tMs: number): number {
  const { c, a, drainPerMs } = parts(p);
  if (a === 0) return 0;
  if (a >= c) return 1;
  return erlangC(c, a) * Math.exp(-drainPerMs * Math.max(0, tMs));
}

/** The q-quantile of the queue wait, ms (0 when at least a fraction q of arrivals never wait). */
export function waitQuantileMs(p: MmcParams, quantile: number): number {
  const { c, a, drainPerMs } = parts(p);
  if (a === 0) return 0;
  if (a >= c) return Infinity;
  const pw = erlangC(c, a);
  const tail = 1 - quantile;
  return pw <= tail ? 0 : Math.log(pw / tail) / drainPerMs;
}

/** Inputs of {@link minServersForSlo}. */
export interface SloSizing {
  arrivalsPerSec: number;
  meanServiceMs: number;
  /** Wait target, ms. */
  sloMs: number;
  /** Fraction of arrivals that must wait at most `sloMs` (e.g. 0.95). */
  quantile: number;
  /** Search bound; returned when even that many servers miss the SLO. */
  maxServers: number;
}

/** Smallest c (≥ 0) whose q-quantile wait is within the SLO; `maxServers` when none within the bound. */
export function minServersForSlo(s: SloSizing): number {
  if (s.arrivalsPerSec <= 0 || s.meanServiceMs <= 0) return 0;
  const a = (s.arrivalsPerSec * s.meanServiceMs) / 1000;
  for (let c = Math.max(1, Math.floor(a) + 1); c <= s.maxServers; c++) {
    const p = { servers: c, arrivalsPerSec: s.arrivalsPerSec, meanServiceMs: s.meanServiceMs };
    if (waitExceedsProbability(p, s.sloMs) <= 1 - s.quantile) return c;
  }
  return s.maxServers;
}
