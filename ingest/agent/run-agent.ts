/**
 * Implementations of `pulse agent` and `pulse submit` (imported lazily by commands.ts). The agent stops
 * gracefully on the first SIGINT/SIGTERM (running builds finish, their offsets are committed) and
 * cancels running builds on the second (their jobs stay uncommitted and are built again elsewhere).
 */
import { hostname } from 'node:os';
import type { CliContext } from '../../common/cli/context.js';
import { createKafka } from '../../sinks/index.js';
import { createSchemaSet } from '../contracts/index.js';
import { createEventProducer } from '../producer/index.js';
import { createAgent, type AgentSummary } from './agent.js';
import { dockerFromConfig } from './docker-client.js';
import { DEFAULT_HYGIENE_POLICY } from './hygiene.js';
import { submitJobs, type SubmittedJob } from './submit.js';

/** Flags of `pulse agent`. */
export interface AgentCommandFlags {
  pool: string;
  slots: number;
  executor?: string;
  maxSlots: number;
  exitWhenIdle?: boolean;
  idleMs: number;
  resourceIntervalMs: number;
  buildTimeoutMs: number;
  cacheNamespace?: string;
  keepImages: number;
}

/** Runs an agent until it is idle (with --exit-when-idle) or signalled. */
export async function runAgentCommand(ctx: CliContext, flags: AgentCommandFlags, progress: (m: string) => void): Promise<AgentSummary> {
  const config = ctx.config();
  const logger = ctx.logger();
  const metrics = ctx.metrics();
  const executor = flags.executor ?? `${hostname()}-${process.pid}`;
  const kafka = createKafka(config, logger, `agent-${executor}`);
  const producer = createEventProducer({ kafka, schemas: createSchemaSet(), topicPrefix: config.kafka.topicPrefix, logger, metrics });
  const agent = createAgent({
    config,
    kafka,
    docker: dockerFromConfig(config),
    schemas: createSchemaSet(),
    producer,
    logger,
    metrics,
    options: {
      pool: flags.pool,
      slots: flags.slots,
      executor,
      maxSlots: flags.maxSlots,
      resourceIntervalMs: flags.resourceIntervalMs,
      buildTimeoutMs: flags.buildTimeoutMs,
      exitWhenIdleMs: flags.exitWhenIdle ? flags.idleMs : null,
      hygiene: { ...DEFAULT_HYGIENE_POLICY, keepImagesPerPool: flags.keepImages },
      progress,
      ...(flags.cacheNamespace ? { cacheNamespace: flags.cacheNamespace } : {}),
    },
  });
  const force = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      progress(`${sig}: finishing running builds (send again to cancel them)`);
      void agent.stop(force.signal);
    } else {
      progress(`${sig}: cancelling running builds`);
      force.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await agent.start();
    return await agent.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await producer.close();
  }
}

/** Flags of `pulse submit`. */
export interface SubmitCommandFlags {
  pool: string;
  combination: string;
  count: number;
  priority: number;
  arch: string;
}

/** Submits jobs. */
export async function runSubmitCommand(ctx: CliContext, flags: SubmitCommandFlags): Promise<SubmittedJob[]> {
  const config = ctx.config();
  const logger = ctx.logger();
  return submitJobs(
    { kafka: createKafka(config, logger, 'submit'), schemas: createSchemaSet(), topicPrefix: config.kafka.topicPrefix, logger },
    { pool: flags.pool, combination: flags.combination, count: flags.count, priority: flags.priority, arch: flags.arch },
  );
}
