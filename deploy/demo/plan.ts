/**
 * What the demo runs, part by part: the `pulse` command of each part and the flags the demo wants
 * (only flags the command declares are passed; a part whose command is missing is reported and skipped).
 */
import type { Config } from '../../common/config.js';
import { argsFor, type CommandCatalog } from './available.js';

/** Settings of one run. */
export interface DemoSettings {
  durationS: number | undefined;
  /** Pools of the real agents (one agent each). */
  agentPools: readonly string[];
  agentSlots: number;
  /** Simulated pools and executors (volume). */
  simPools: number;
  simExecutorsPerPool: number;
  /** Minutes of simulated history sent before the live run. */
  historyMin: number;
  /** Longest live simulator run (a new run, with the next seed, continues where it ended). */
  simChunkS: number;
  /** FINISHED builds needed before the first training run. */
  trainAfterBuilds: number;
}

/** Default settings. */
export function defaultSettings(durationS: number | undefined): DemoSettings {
  return {
    durationS,
    agentPools: ['local-a', 'local-b'],
    agentSlots: 2,
    simPools: 6,
    simExecutorsPerPool: 20,
    historyMin: 120,
    simChunkS: 600,
    trainAfterBuilds: 250,
  };
}

/** One part to start. */
export interface PartPlan {
  name: string;
  args: string[];
  /** Flags the demo wanted but the command does not declare (shown as a hint). */
  dropped: string[];
}

/** Executor id of the real agent of a pool. */
export function agentExecutor(pool: string): string {
  return `demo-agent-${pool}`;
}

type Wanted = readonly (readonly [string, (string | number)?])[];

function plan(commands: CommandCatalog, command: string, name: string, wanted: Wanted): PartPlan | undefined {
  const info = commands.get(command);
  if (!info) return undefined;
  return { name, ...argsFor(info, wanted) };
}

/** The stream processors (features, raw events, scoring). */
export function processorsPlan(commands: CommandCatalog): PartPlan | undefined {
  return plan(commands, 'process', 'processors', []);
}

/** The streaming anomaly detectors, when they run as their own command. */
export function detectorsPlan(commands: CommandCatalog): PartPlan | undefined {
  return plan(commands, 'detect stream', 'detectors', []) ?? plan(commands, 'alerts run', 'detectors', []);
}

/** The API with the directive engine and the dashboard. */
export function apiPlan(commands: CommandCatalog, config: Config): PartPlan | undefined {
  return plan(commands, 'serve', 'api', [['--port', config.api.port]]);
}

/** One real agent (dockerode) per pool. */
export function agentPlans(commands: CommandCatalog, s: DemoSettings): PartPlan[] {
  return s.agentPools.flatMap((pool) => {
    const p = plan(commands, 'agent', `agent-${pool}`, [
      ['--pool', pool],
      ['--executor', agentExecutor(pool)],
      ['--slots', s.agentSlots],
    ]);
    return p ? [p] : [];
  });
}

/** The first model training run. */
export function trainPlan(commands: CommandCatalog): PartPlan | undefined {
  return plan(commands, 'train', 'train', []);
}
