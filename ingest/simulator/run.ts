/**
 * `pulse simulate`: runs the fleet simulation and sends its events to Kafka at a steady rate
 * (events per wall-clock second) until the requested count (rate × duration) is sent and acknowledged.
 */
import { writeFile } from 'node:fs/promises';
import type { Kafka } from 'kafkajs';
import type { Output } from '../../common/cli/output.js';
import type { Config } from '../../common/config.js';
import { InputError, KafkaError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { topicNames, type TopicId } from '../../common/topics.js';
import { createSchemaSet } from '../contracts/schema-set.js';
import { createEventProducer } from '../producer/producer.js';
import { virtualDurationFor } from './estimate.js';
import { createFleetSimulation } from './fleet.js';
import type { SimEvent } from './emit.js';

/** Parsed flags of `pulse simulate`. */
export interface SimulateFlags {
  pools: number;
  executorsPerPool: number;
  rate: number;
  duration: number;
  seed: number;
  anomalies?: boolean;
  start?: string;
  truth?: string;
  compression?: 'gzip' | 'none';
  json?: boolean;
}

/** What the command reports. */
export interface SimulateReport {
  seed: number;
  pools: number;
  executorsPerPool: number;
  targetRate: number;
  events: number;
  elapsedSec: number;
  achievedRate: number;
  /** Acknowledged messages per topic name. */
  topics: Record<string, number>;
  virtualStart: string;
  virtualEnd: string;
  incidents: number;
  truthFile: string | null;
}

/** Default virtual start: Monday 2026-01-05 06:00 UTC (a fixed instant keeps runs reproducible). */
export const DEFAULT_START = '2026-01-05T06:00:00Z';

/** Parses `--start`: ISO-8601, epoch ms, or `now`. */
export function parseStart(text: string, nowMs: number): number {
  if (text === 'now') return nowMs;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new InputError('--start', `"${text}" is not ISO-8601, epoch ms or "now"`);
  return ms;
}

/** Runs the command. */
export async function runSimulate(
  deps: { config: Config; logger: Logger; metrics: Metrics; kafka: Kafka; output: Output },
  flags: SimulateFlags,
): Promise<SimulateReport> {
  const { config, output } = deps;
  const startMs = parseStart(flags.start ?? DEFAULT_START, Date.now());
  const target = Math.round(flags.rate * flags.duration);
  const shape = { seed: flags.seed, pools: flags.pools, executorsPerPool: flags.executorsPerPool, startMs };
  // The virtual range is sized for ~1.2× the events wanted; the run stops at the count.
  const durationMs = Math.ceil(virtualDurationFor(shape, target) * 1.2);
  const sim = createFleetSimulation({ ...shape, durationMs, maxEvents: target, anomalies: flags.anomalies ?? false });
  const producer = createEventProducer({
    kafka: deps.kafka,
    schemas: createSchemaSet(),
    topicPrefix: config.kafka.topicPrefix,
    logger: deps.logger,
    metrics: deps.metrics,
    compression: flags.compression ?? 'none',
  });
  await producer.connect();
  const started = performance.now();
  const iterator = sim.events();
  let sent = 0;
  let lastProgress = started;
  const window: Promise<void>[] = [];
  let failure: Error | undefined;
  try {
    for (let done = false; !done; ) {
      // Paced in 20 ms slices: send what the rate allows by now, keep at most 25 slices unacknowledged.
      const allowed = Math.min(target, Math.floor(((performance.now() - started) / 1000) * flags.rate) + Math.ceil(flags.rate / 50));
      const slice: Promise<void>[] = [];
      while (sent < allowed) {
        const next = iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        const ev: SimEvent = next.value;
        slice.push(producer.send(ev.family, ev.value as never));
        sent += 1;
      }
      if (sent >= target) {
        // Finish the step in progress so the truth matches what was sent.
        for (let next = iterator.next(); !next.done; next = iterator.next()) {
          slice.push(producer.send(next.value.family, next.value.value as never));
          sent += 1;
        }
        done = true;
      }
      window.push(
        Promise.all(slice).then(
          () => undefined,
          (err: unknown) => {
            failure ??= err instanceof Error ? err : new KafkaError('send', String(err));
          },
        ),
      );
      if (window.length > 25) await window.shift();
      if (failure) throw failure;
      const now = performance.now();
      if (now - lastProgress >= 1000) {
        lastProgress = now;
        output.progress(`simulate: ${sent}/${target} events sent, ${Math.round(sent / ((now - started) / 1000))}/s`);
      }
      if (!done) await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(window);
    if (failure) throw failure;
  } finally {
    await producer.close();
  }
  const elapsedSec = (performance.now() - started) / 1000;
  const truth = sim.truth();
  if (flags.truth) await writeFile(flags.truth, `${JSON.stringify(truth, null, 2)}\n`);
  const names = topicNames(config.kafka.topicPrefix);
  const topics: Record<string, number> = {};
  for (const [id, n] of Object.entries(truth.topics)) topics[names[id as TopicId]] = n;
  const acked = producer.stats().messages;
  for (const [topic, n] of Object.entries(topics))
    if (acked[topic] !== n) deps.logger.warn({ topic, generated: n, acknowledged: acked[topic] ?? 0 }, 'acknowledged count differs');
  return {
    seed: flags.seed,
    pools: flags.pools,
    executorsPerPool: flags.executorsPerPool,
    targetRate: flags.rate,
    events: sent,
    elapsedSec: Math.round(elapsedSec * 1000) / 1000,
    achievedRate: Math.round(sent / elapsedSec),
    topics,
    virtualStart: new Date(truth.startMs).toISOString(),
    virtualEnd: new Date(truth.endMs).toISOString(),
    incidents: truth.incidents.length,
    truthFile: flags.truth ?? null,
  };
}
