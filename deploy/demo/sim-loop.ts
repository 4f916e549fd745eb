/**
 * The simulator's part of the demo: one backfill run of recent history, then consecutive live runs
 * that keep the simulator's virtual time in step with the wall clock (see simulator-driver.ts).
 */
import { sleep } from '../../common/retry.js';
import type { CommandInfo } from './available.js';
import type { DemoSettings } from './plan.js';
import type { DemoSession } from './session.js';
import { backfillRun, liveRun, type SimShape } from './simulator-driver.js';
import type { Stoppable } from './watchers.js';

/** How far simulated time may fall behind the wall clock before the next run skips ahead (ms). */
const MAX_LAG_MS = 60_000;

/** Sends the backfill (awaited: the first model and the charts need it). Returns where live time starts. */
export async function runBackfill(
  session: DemoSession,
  info: CommandInfo,
  settings: DemoSettings,
  seed: number,
  progress: (m: string) => void,
): Promise<number> {
  const now = Date.now();
  const run = backfillRun(info, shape(settings, seed), now, settings.historyMin, true);
  progress(
    `demo: simulator backfill: ${settings.historyMin} min of history for ${settings.simPools} pools × ${settings.simExecutorsPerPool} executors (~${run.events} events)`,
  );
  await session.task('simulator-backfill', run.args);
  return now;
}

function shape(settings: DemoSettings, seed: number): SimShape {
  return { pools: settings.simPools, executorsPerPool: settings.simExecutorsPerPool, seed };
}

/** Starts the live runs from virtual time `fromMs`; each run is a `pulse simulate` process. */
export function startLiveSimulator(
  session: DemoSession,
  info: CommandInfo,
  settings: DemoSettings,
  firstSeed: number,
  fromMs: number,
  progress: (m: string) => void,
): Stoppable {
  let stopped = false;
  let cursor = fromMs;
  let seed = firstSeed;
  const deadline = settings.durationS ? Date.now() + settings.durationS * 1000 : Number.POSITIVE_INFINITY;
  const loop = (async () => {
    let first = true;
    while (!stopped) {
      const now = Date.now();
      if (cursor < now - MAX_LAG_MS) {
        progress(`demo: simulator fell ${Math.round((now - cursor) / 1000)} s behind the clock; continuing from now`);
        cursor = now;
      }
      if (cursor > now) await sleep(cursor - now);
      const seconds = Math.max(10, Math.min(settings.simChunkS, Math.ceil((deadline - Date.now()) / 1000) + 30));
      const run = liveRun(info, shape(settings, seed++), cursor, seconds, true);
      if (first) progress(`demo: simulator live: ~${(run.events / seconds).toFixed(1)} events/s in step with the clock, incidents on`);
      first = false;
      try {
        await session.task('simulator', run.args);
      } catch (err) {
        // Stopped by the demo: expected. Otherwise the session has recorded the crash.
        if (!stopped) progress(`demo: simulator run failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        return;
      }
      cursor = run.toMs;
    }
  })();
  return {
    stop() {
      stopped = true;
      return loop;
    },
  };
}
