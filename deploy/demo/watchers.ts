/**
 * Background duties of a running demo: train the first model once enough history is in ClickHouse,
 * and print a status line (rows stored per table) every interval.
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { ident, sql } from '../../sinks/index.js';
import type { CommandCatalog } from './available.js';
import { trainPlan, type DemoSettings } from './plan.js';
import type { DemoSession } from './session.js';

/** Something the demo stops at the end. */
export interface Stoppable {
  /** Asks it to stop (no new work); resolves once its current work has ended. */
  stop(): Promise<void>;
}

function loop(intervalMs: number, tick: () => Promise<boolean>): Stoppable {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => undefined;
  const run = (async () => {
    while (!stopped) {
      if (await tick()) return;
      await new Promise<void>((r) => {
        wake = r;
        timer = setTimeout(r, intervalMs);
      });
    }
  })();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake();
      return run;
    },
  };
}

/** Collaborators of {@link startTrainer}. */
export interface TrainerDeps {
  session: DemoSession;
  commands: CommandCatalog;
  clickhouse: ClickHouseClient;
  database: string;
  sinceMs: number;
  settings: DemoSettings;
  progress: (message: string) => void;
}

/** Runs `pulse train` once when enough FINISHED builds are stored (a failing training run is a crash). */
export function startTrainer(deps: TrainerDeps): Stoppable {
  const train = trainPlan(deps.commands);
  if (!train) {
    deps.progress('demo: skipping model training: `pulse train` is not in this checkout yet');
    return { stop: () => Promise.resolve() };
  }
  deps.progress(`demo: first model is trained once ${deps.settings.trainAfterBuilds} finished builds are stored`);
  return loop(10_000, async () => {
    let finished = 0;
    try {
      const rs = await deps.clickhouse.query({
        query: sql`SELECT uniqExact(build_id) AS n FROM ${ident(`${deps.database}.build_events`)} WHERE type = 'FINISHED'`.text,
        format: 'JSONEachRow',
      });
      finished = Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
    } catch (err) {
      deps.progress(`demo: waiting for build history (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
      return false;
    }
    if (finished < deps.settings.trainAfterBuilds) return false;
    deps.progress(`demo: ${finished} finished builds stored: training the first model`);
    // A failure is reported through the session's crash (the demo then fails with the log tail).
    await deps.session.task(train.name, train.args).catch(() => undefined);
    return true;
  });
}

/** Collaborators of {@link startStatusLines}. */
export interface StatusDeps {
  clickhouse: ClickHouseClient;
  database: string;
  progress: (message: string) => void;
  intervalMs: number;
}

const STATUS_TABLES = [
  'build_events',
  'cache_events',
  'resource_events',
  'pool_features_1m',
  'predictions',
  'alerts',
  'directives',
  'directive_acks',
];

/** Prints rows stored per table every interval. */
export function startStatusLines(deps: StatusDeps): Stoppable {
  let first = true;
  return loop(deps.intervalMs, async () => {
    if (first) {
      first = false;
      return false;
    }
    try {
      const rs = await deps.clickhouse.query({
        query:
          sql`SELECT table, sum(rows) AS n FROM system.parts WHERE database = ${deps.database} AND active AND has(${STATUS_TABLES}, table) GROUP BY table ORDER BY table`
            .text,
        format: 'JSONEachRow',
      });
      const rows = await rs.json<{ table: string; n: string }>();
      deps.progress(`demo: stored rows: ${rows.map((r) => `${r.table} ${r.n}`).join(', ') || 'none yet'}`);
    } catch (err) {
      deps.progress(`demo: status query failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    return false;
  });
}
