/** Starts the demo's long-running parts in dependency order, each waited for until it is ready. */
import type { Config } from '../../common/config.js';
import type { CommandCatalog } from './available.js';
import { agentPlans, apiPlan, detectorsPlan, processorsPlan, type DemoSettings, type PartPlan } from './plan.js';
import { aliveFor, httpOk } from './probes.js';
import type { DemoSession } from './session.js';
import { runBackfill, startLiveSimulator } from './sim-loop.js';
import type { Stoppable } from './watchers.js';

/** Collaborators of {@link startParts}. */
export interface StartPartsDeps {
  session: DemoSession;
  commands: CommandCatalog;
  config: Config;
  settings: DemoSettings;
  progress: (message: string) => void;
  /** Seed of the first simulator run (later runs use the next seeds). */
  seed: number;
}

function missing(progress: (m: string) => void, what: string, command: string): void {
  progress(`demo: skipping ${what}: \`pulse ${command}\` is not in this checkout yet`);
}

function hint(progress: (m: string) => void, p: PartPlan): void {
  if (p.dropped.length > 0) progress(`demo: note: ${p.name} does not take ${p.dropped.join(', ')} (using its defaults)`);
}

/**
 * Starts processors, detectors, API, the simulator (backfill, then live) and the agents. Returns the
 * live simulator loop (to stop at the end), if the simulator exists.
 */
export async function startParts(deps: StartPartsDeps): Promise<Stoppable | undefined> {
  const { session, commands, config, settings, progress } = deps;
  const seed = deps.seed;
  const processors = processorsPlan(commands);
  if (processors) {
    hint(progress, processors);
    await session.service(processors.name, processors.args, aliveFor(4000));
  } else missing(progress, 'stream processors', 'process');

  const detectors = detectorsPlan(commands);
  if (detectors) {
    hint(progress, detectors);
    await session.service(detectors.name, detectors.args, aliveFor(3000));
  }

  const api = apiPlan(commands, config);
  if (api) {
    hint(progress, api);
    await session.service(api.name, api.args, httpOk(`http://${config.api.host}:${config.api.port}/healthz`));
  } else missing(progress, 'API, directive engine and dashboard', 'serve');

  const sim = commands.get('simulate');
  let simulator: Stoppable | undefined;
  if (sim) {
    const liveFrom = await runBackfill(session, sim, settings, seed, progress);
    simulator = startLiveSimulator(session, sim, settings, seed + 1, liveFrom, progress);
  } else missing(progress, 'fleet simulator', 'simulate');

  const agents = agentPlans(commands, settings);
  if (agents.length === 0) missing(progress, 'real agents', 'agent');
  for (const a of agents) {
    hint(progress, a);
    await session.service(a.name, a.args, aliveFor(3000));
  }
  return simulator;
}
