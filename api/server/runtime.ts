/**
 * Wires the API and the directive engine from config: ClickHouse and Kafka clients, schema set, the
 * directive publisher/recorder/issuer, the job producer, the read store, the predictor, readiness
 * checks, and (optionally) the engine with its ack consumer. `close()` releases everything it opened.
 */
import { hostname } from 'node:os';
import type { Admin } from 'kafkajs';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { createEventProducer, createSchemaSet, ingestGateway } from '../../ingest/index.js';
import { createClickHouse, createDirectivePublisher, createKafka } from '../../sinks/index.js';
import { buildApp, type AppExtension, type PulseApp } from '../app.js';
import { generateLocalToken, parseTokens } from '../auth/tokens.js';
import { createAckConsumer, type AckConsumer } from '../directives/ack-consumer.js';
import { createClickHousePoolState } from '../directives/clickhouse-pool-state.js';
import { createEffectMeter } from '../directives/effect.js';
import { createDirectiveEngine, type DirectiveEngine } from '../directives/engine.js';
import { createDirectiveIssuer } from '../directives/issuer.js';
import { createCachePolicy, createScalingPolicy } from '../directives/policies/index.js';
import { createDirectiveRecorder } from '../directives/recorder.js';
import { jobSinkFromProducer } from '../jobs/job-sink.js';
import type { Predictor } from '../predict/predictor.js';
import { createClickHouseStore } from '../store/clickhouse-store.js';

/** What to run. */
export interface RuntimeOptions {
  /** Build the HTTP app (serve). */
  app: boolean;
  /** Run the directive engine and the ack consumer. */
  engine: boolean;
  /** The predictor to serve (the models part's, or an unavailable one). */
  predictor: Predictor;
  /** Extra route groups (dashboard, ingest gateway). */
  extensions?: (deps: { clickhouse: ReturnType<typeof createClickHouse> }) => AppExtension[];
  /** Engine: how often pools are observed, ms (default min(5 s, interval)). */
  checkIntervalMs?: number;
  /** Engine: scaling and cache policy names (default predictive / predictive-warm). */
  scalingPolicy?: string;
  cachePolicy?: string;
  /** Engine: length of the before/after windows of effect measurement, ms (default max(interval, 60 s)). */
  effectWindowMs?: number;
  /** Start the engine loop and the ack consumer (default true; `direct --once` ticks by hand). */
  startEngine?: boolean;
}

/** A running set of components. */
export interface Runtime {
  app?: PulseApp;
  engine?: DirectiveEngine;
  acks?: AckConsumer;
  /** The token generated when `api.tokens` is unset (print it once). */
  generatedToken?: string;
  close(): Promise<void>;
}

/** Builds (and for the engine, starts) the components. */
export async function createRuntime(config: Config, logger: Logger, metrics: Metrics, options: RuntimeOptions): Promise<Runtime> {
  const clickhouse = createClickHouse(config);
  const kafka = createKafka(config, logger, 'api');
  const schemas = createSchemaSet();
  const database = config.clickhouse.database;
  const producerId = `pulse-api-${hostname()}-${process.pid}`;
  const publisher = createDirectivePublisher({ kafka, schemas, topicPrefix: config.kafka.topicPrefix, logger, metrics });
  const recorder = createDirectiveRecorder({ clickhouse, database });
  const issuer = createDirectiveIssuer({ sink: publisher, recorder, producerId });
  const closers: (() => Promise<void>)[] = [() => publisher.close()];
  const runtime: Runtime = {
    async close() {
      for (const c of closers.reverse()) {
        try {
          await c();
        } catch (err) {
          logger.warn({ err }, 'error while closing');
        }
      }
      await clickhouse.close();
    },
  };

  if (options.app) {
    const producer = createEventProducer({ kafka, schemas, topicPrefix: config.kafka.topicPrefix, logger, metrics });
    closers.push(() => producer.close());
    let admin: Admin | undefined;
    closers.push(async () => admin?.disconnect());
    const store = createClickHouseStore({ clickhouse, database });
    let spec = config.api.tokens;
    if (spec === undefined) {
      const local = generateLocalToken();
      spec = local.spec;
      runtime.generatedToken = local.token;
    }
    runtime.app = await buildApp({
      logger,
      metrics,
      tokens: parseTokens(spec),
      store,
      predictor: options.predictor,
      issuer,
      jobs: jobSinkFromProducer(producer),
      producerId,
      limits: { bodyLimitBytes: config.api.bodyLimitBytes, rateLimitPerMinute: config.api.rateLimitPerMinute },
      readiness: [
        { name: 'clickhouse', check: () => store.check() },
        {
          name: 'kafka',
          check: async () => {
            if (!admin) {
              const a = kafka.admin();
              await a.connect();
              admin = a;
            }
            await admin.describeCluster();
          },
        },
        { name: 'model', check: () => options.predictor.check() },
      ],
      extensions: [
        // The ingest gateway (POST /v1/events/:family), behind scope `ingest`.
        async (app, { authorize }) => {
          await app.register(ingestGateway, { producer, schemas, authorize: authorize('ingest') });
        },
        ...(options.extensions?.({ clickhouse }) ?? []),
      ],
    });
    closers.push(async () => runtime.app?.close());
  }

  if (options.engine) {
    const d = config.directives;
    const source = createClickHousePoolState({ clickhouse, database });
    const effects = createEffectMeter({
      source,
      recorder,
      windowMs: options.effectWindowMs ?? Math.max(d.intervalMs, 60_000),
      logger,
      metrics,
    });
    runtime.engine = createDirectiveEngine({
      source,
      issuer,
      effects,
      scalingPolicy: () => createScalingPolicy(options.scalingPolicy ?? 'predictive'),
      warmPolicy: createCachePolicy(options.cachePolicy ?? 'predictive-warm'),
      predictor: options.predictor,
      options: {
        intervalMs: d.intervalMs,
        checkIntervalMs: options.checkIntervalMs ?? Math.min(5000, d.intervalMs),
        warmBudget: d.warmBudget,
        limits: () => ({ minSlots: d.minSlots, maxSlots: d.maxSlots, queueWaitSloMs: d.queueWaitSloMs }),
      },
      logger,
      metrics,
    });
    runtime.acks = createAckConsumer({ kafka, schemas, recorder, topicPrefix: config.kafka.topicPrefix, logger, metrics });
    if (options.startEngine ?? true) {
      await runtime.acks.start();
      runtime.engine.start();
    }
    closers.push(async () => runtime.acks?.stop());
    closers.push(async () => runtime.engine?.stop());
  }
  return runtime;
}
