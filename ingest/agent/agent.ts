/**
 * The executor agent: builds its pool's jobs on the Docker engine in up to `slots` concurrent builds,
 * emits build/cache/resource events, obeys scaling and cache-warm directives (acknowledging each), keeps
 * the image store in bounds, and stops gracefully — running builds finish (or are cancelled and left
 * uncommitted on a forced stop), then it leaves the consumer groups.
 */
import type Docker from 'dockerode';
import type { Kafka } from 'kafkajs';
import type { Config } from '../../common/config.js';
import { DockerError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { topicNames } from '../../common/topics.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { ResourceEvent } from '../contracts/types.js';
import { createBuildDriver, type BuildDriver } from './build-driver.js';
import { createDirectiveListener } from './directive-listener.js';
import { createEnvelopeFactory } from './envelope.js';
import { createImageHygiene, DEFAULT_HYGIENE_POLICY, type HygienePolicy } from './hygiene.js';
import { createJobConsumer, type JobConsumer } from './job-consumer.js';
import { createJobRunner, type EventSink, type JobOutcome } from './job-runner.js';
import { createResourceSampler, type ResourceSampler } from './resources.js';
import { createSlots } from './slots.js';
import { createWarmer, type WarmRecord } from './warmer.js';

/** Options of one agent. */
export interface AgentOptions {
  pool: string;
  /** Initial concurrent build slots (scaling directives change it). */
  slots: number;
  /** Executor id (events' `executor`); unique per agent. */
  executor: string;
  /** Largest slot count a scaling directive may ask for (default 64). */
  maxSlots?: number;
  /** Resource event interval, ms (default 5000). */
  resourceIntervalMs?: number;
  /** Build time limit, ms (default 10 minutes). */
  buildTimeoutMs?: number;
  /** Stop by itself after this long with nothing fetched, running or warming (null: run until stopped). */
  exitWhenIdleMs?: number | null;
  /** Separate layer cache namespace (see generateDockerfile). */
  cacheNamespace?: string;
  /** Image pruning policy (applied after builds, at most once a minute). */
  hygiene?: HygienePolicy;
  /** Progress lines (the CLI prints them on stderr). */
  progress?: (message: string) => void;
}

/** Dependencies of {@link createAgent}. */
export interface AgentDeps {
  config: Config;
  kafka: Kafka;
  docker: Docker;
  schemas: SchemaSet;
  /** Event producer (createEventProducer): resolves after Kafka acknowledged. */
  producer: EventSink;
  logger: Logger;
  metrics: Metrics;
  clock?: () => number;
  /** Build driver (default: dockerode driver on `docker`). */
  driver?: BuildDriver;
  /** Host sampler (default: /proc). */
  sampler?: ResourceSampler;
  options: AgentOptions;
}

/** What the agent did, returned when it stops. */
export interface AgentSummary {
  executor: string;
  pool: string;
  builds: number;
  passed: number;
  failed: number;
  cacheHits: number;
  cacheMisses: number;
  warmBuilds: number;
  stoppedBy: 'idle' | 'stop';
}

/** A running agent. */
export interface Agent {
  /** Checks the engine and base image, joins the groups, starts building. */
  start(): Promise<void>;
  /** Graceful stop: running builds finish; when `force` fires they are cancelled (jobs stay uncommitted). */
  stop(force?: AbortSignal): Promise<AgentSummary>;
  /** Resolves when the agent stopped (by `stop()` or when idle with exitWhenIdleMs). */
  readonly done: Promise<AgentSummary>;
  status(): {
    slots: number;
    running: number;
    queued: number;
    warmPending: number;
    assigned: number[];
    outcomes: JobOutcome[];
    warm: WarmRecord[];
  };
}

/** Creates an agent (no I/O until `start`). */
export function createAgent(deps: AgentDeps): Agent {
  const o = deps.options;
  const clock = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'agent', pool: o.pool, executor: o.executor });
  const progress = o.progress ?? ((m: string) => log.info(m));
  const topics = topicNames(deps.config.kafka.topicPrefix);
  const buildTimeoutMs = o.buildTimeoutMs ?? 10 * 60_000;
  const maxSlots = o.maxSlots ?? 64;
  const envelopes = createEnvelopeFactory(o.executor, clock);
  const slots = createSlots(o.slots);
  const driver = deps.driver ?? createBuildDriver({ docker: deps.docker, logger: deps.logger, clock });
  const sampler = deps.sampler ?? createResourceSampler({ clock });
  const hygiene = createImageHygiene({
    docker: deps.docker,
    logger: deps.logger,
    pool: o.pool,
    policy: o.hygiene ?? DEFAULT_HYGIENE_POLICY,
  });
  const runner = createJobRunner({
    driver,
    sink: deps.producer,
    envelopes,
    hygiene,
    logger: deps.logger,
    metrics: deps.metrics,
    clock,
    pool: o.pool,
    executor: o.executor,
    baseImage: deps.config.docker.baseImage,
    buildTimeoutMs,
    ...(o.cacheNamespace ? { cacheNamespace: o.cacheNamespace } : {}),
  });
  const warmer = createWarmer({ slots, runner, logger: deps.logger, metrics: deps.metrics });
  const outcomes: JobOutcome[] = [];
  const gSlots = deps.metrics.gauge('agent_slots', 'build slots (capacity)');
  const gRunning = deps.metrics.gauge('agent_running_builds', 'builds running now');
  slots.onChange(() => {
    gSlots.set(slots.capacity);
    gRunning.set(slots.running);
  });

  let lastHygiene = 0;
  const consumer: JobConsumer = createJobConsumer({
    kafka: deps.kafka,
    schemas: deps.schemas,
    slots,
    logger: deps.logger,
    metrics: deps.metrics,
    clock,
    topic: topics.jobs,
    pool: o.pool,
    executor: o.executor,
    buildTimeoutMs,
    run: async (job, signal) => {
      progress(`building ${job.job_id}: ${job.combination.join(';')}`);
      const outcome = await runner.runJob(job, signal);
      outcomes.push(outcome);
      if (outcomes.length > 1000) outcomes.shift();
      const cat = outcome.failureCategory ? ` (${outcome.failureCategory})` : '';
      progress(
        `${outcome.status}${cat} ${job.job_id} in ${(outcome.durationMs / 1000).toFixed(1)} s, cache ${outcome.cacheHits} hit / ${outcome.cacheMisses} miss`,
      );
      if (clock() - lastHygiene > 60_000) {
        lastHygiene = clock();
        hygiene.enforce().catch((err: unknown) => log.warn({ err }, 'image hygiene failed'));
      }
      return outcome;
    },
  });
  const directives = createDirectiveListener({
    kafka: deps.kafka,
    schemas: deps.schemas,
    sink: deps.producer,
    envelopes,
    logger: deps.logger,
    metrics: deps.metrics,
    clock,
    pool: o.pool,
    executor: o.executor,
    topics: { scaling: topics['directives.scaling'], cacheWarm: topics['directives.cache-warm'] },
    maxSlots,
    applyScaling: (d) => {
      const before = slots.capacity;
      slots.setCapacity(d.desired_slots ?? before);
      progress(
        `scaling directive ${d.directive_id}: slots ${before} → ${slots.capacity}${slots.running > slots.capacity ? ' (draining)' : ''}`,
      );
    },
    applyCacheWarm: (d) => {
      warmer.apply(d);
      progress(`cache-warm directive ${d.directive_id}: ${d.warm.length} combination(s) to pre-build in idle slots`);
    },
  });

  let resourceTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<AgentSummary> | undefined;
  let resolveDone: (s: AgentSummary) => void = () => undefined;
  const done = new Promise<AgentSummary>((r) => (resolveDone = r));

  const emitResources = async (): Promise<void> => {
    const s = await sampler.sample();
    const value: ResourceEvent = {
      ...envelopes.next(`${envelopes.producerId}:resource:${clock()}`),
      executor: o.executor,
      pool: o.pool,
      cpu_util: s.cpuUtil,
      memory_util: s.memoryUtil,
      memory_bytes: s.memoryBytes,
      disk_read_bps: s.diskReadBps,
      disk_write_bps: s.diskWriteBps,
      net_rx_bps: s.netRxBps,
      net_tx_bps: s.netTxBps,
      running_builds: slots.running,
      slots: slots.capacity,
      queued: consumer.queued,
    };
    await deps.producer.send('resource', value);
  };
  const resourceLoop = (): void => {
    resourceTimer = setTimeout(() => {
      emitResources()
        .catch((err: unknown) => log.warn({ err }, 'resource sample failed'))
        .finally(() => {
          if (!stopping) resourceLoop();
        });
    }, o.resourceIntervalMs ?? 5000);
  };

  const summary = (stoppedBy: AgentSummary['stoppedBy']): AgentSummary => ({
    executor: o.executor,
    pool: o.pool,
    builds: outcomes.length,
    passed: outcomes.filter((x) => x.status === 'PASSED').length,
    failed: outcomes.filter((x) => x.status === 'FAILED' || x.status === 'ERRORED').length,
    cacheHits: outcomes.reduce((s, x) => s + x.cacheHits, 0),
    cacheMisses: outcomes.reduce((s, x) => s + x.cacheMisses, 0),
    warmBuilds: warmer.history().length,
    stoppedBy,
  });

  const shutdown = (by: AgentSummary['stoppedBy'], force?: AbortSignal): Promise<AgentSummary> => {
    stopping ??= (async () => {
      clearTimeout(resourceTimer);
      clearInterval(idleTimer);
      progress(`stopping: waiting for ${slots.running} running build(s)`);
      await Promise.all([consumer.stop(force), warmer.stop(force)]);
      await directives.stop();
      await emitResources().catch((err: unknown) => log.warn({ err }, 'last resource sample failed'));
      const s = summary(by);
      progress(`stopped: ${s.builds} build(s), ${s.passed} passed, ${s.failed} failed`);
      resolveDone(s);
      return s;
    })();
    return stopping;
  };

  return {
    async start() {
      try {
        await deps.docker.ping();
        await deps.docker.getImage(deps.config.docker.baseImage).inspect();
      } catch (err) {
        throw new DockerError(
          'start',
          `engine at ${deps.config.docker.host} or base image ${deps.config.docker.baseImage} unavailable: ${(err as Error).message}`,
          {
            cause: err,
            retriable: true,
          },
        );
      }
      await directives.start();
      await consumer.start();
      warmer.start();
      resourceLoop();
      progress(`agent ${o.executor} serving pool ${o.pool} with ${slots.capacity} slot(s)`);
      const idleMs = o.exitWhenIdleMs;
      if (idleMs !== undefined && idleMs !== null) {
        idleTimer = setInterval(
          () => {
            const idle = slots.running === 0 && consumer.queued === 0 && warmer.pending === 0 && clock() - consumer.lastActivity >= idleMs;
            if (idle && !stopping) {
              progress(`queue drained for ${Math.round(idleMs / 1000)} s: exiting`);
              void shutdown('idle');
            }
          },
          Math.min(1000, idleMs),
        );
      }
    },
    stop: (force) => shutdown('stop', force),
    done,
    status: () => ({
      slots: slots.capacity,
      running: slots.running,
      queued: consumer.queued,
      warmPending: warmer.pending,
      assigned: consumer.assigned,
      outcomes: [...outcomes],
      warm: warmer.history(),
    }),
  };
}
