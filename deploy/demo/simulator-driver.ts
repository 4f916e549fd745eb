/**
 * Drives the fleet simulator (`pulse simulate`, which sends a number of events at a wall-clock rate)
 * so that its virtual time follows the wall clock:
 *  - a backfill of recent history (the last `historyMin` minutes, sent fast) so charts and the first
 *    model have data at once;
 *  - then live chunks whose rate is the simulator's own expected event rate for that stretch of
 *    virtual time, so simulated events arrive in step with the real agents' events (the processors'
 *    watermarks and allowed lateness are shared by both).
 * The event-rate model is the simulator's own (`eventRateModel` of the ingest part).
 */
import { demandFactor, eventRateModel } from '../../ingest/index.js';
import { argsFor, type CommandInfo } from './available.js';

/** Fleet shape of the simulator runs. */
export interface SimShape {
  pools: number;
  executorsPerPool: number;
  seed: number;
}

/** Expected events the simulator produces for virtual time [fromMs, toMs). */
export function expectedEvents(shape: SimShape, fromMs: number, toMs: number): number {
  const { idle, perDemand } = eventRateModel({
    seed: shape.seed,
    pools: shape.pools,
    executorsPerPool: shape.executorsPerPool,
    startMs: fromMs,
  });
  let total = 0;
  for (let t = fromMs; t < toMs; t += 60_000) {
    const step = Math.min(60_000, toMs - t) / 1000;
    total += (idle + perDemand * demandFactor(t)) * step;
  }
  return total;
}

/** One `pulse simulate` run: arguments and the virtual time it covers. */
export interface SimRun {
  args: string[];
  fromMs: number;
  toMs: number;
  events: number;
}

const MAX_BACKFILL_RATE = 20_000;

/** The backfill run: virtual [nowMs - historyMin, nowMs), sent as fast as the box allows. */
export function backfillRun(info: CommandInfo, shape: SimShape, nowMs: number, historyMin: number, anomalies: boolean): SimRun {
  const fromMs = nowMs - historyMin * 60_000;
  const events = Math.max(1, Math.round(expectedEvents(shape, fromMs, nowMs)));
  const rate = Math.min(MAX_BACKFILL_RATE, events);
  return { ...runArgs(info, shape, fromMs, rate, Math.max(0.1, events / rate), anomalies), fromMs, toMs: nowMs, events };
}

/** A live run covering virtual [fromMs, fromMs + seconds) at the expected rate (≈ real time). */
export function liveRun(info: CommandInfo, shape: SimShape, fromMs: number, seconds: number, anomalies: boolean): SimRun {
  const toMs = fromMs + seconds * 1000;
  const events = Math.max(1, expectedEvents(shape, fromMs, toMs));
  const rate = Math.max(1, events / seconds);
  return { ...runArgs(info, shape, fromMs, Number(rate.toFixed(3)), seconds, anomalies), fromMs, toMs, events: Math.round(events) };
}

function runArgs(
  info: CommandInfo,
  shape: SimShape,
  startMs: number,
  rate: number,
  seconds: number,
  anomalies: boolean,
): { args: string[] } {
  const { args } = argsFor(info, [
    ['--pools', shape.pools],
    ['--executors-per-pool', shape.executorsPerPool],
    ['--seed', shape.seed],
    ['--start', Math.round(startMs)],
    ['--rate', rate],
    ['--duration', Number(seconds.toFixed(1))],
    ...(anomalies ? ([['--anomalies']] as const) : []),
  ]);
  return { args };
}
