/**
 * Job submission: puts build jobs on the jobs topic and emits their QUEUED build events. Jobs are keyed
 * by pool (the topic contract) but spread round-robin over the topic's partitions, so that several
 * agents of one pool — one consumer group, one partition each at a time — share the queue. (With the
 * default key hashing every job of a pool would land on one partition and one agent.)
 */
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { KafkaError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { canonicalCombination, findModule, parseCombination } from '../catalogue.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { BuildEvent, BuildJob } from '../contracts/types.js';
import { keyFor, topicFor } from '../producer/index.js';
import { buildIdOf } from './job-runner.js';

/** What to submit. */
export interface JobSpec {
  pool: string;
  /** `base@1;node@20;…` or the items; put into canonical order. */
  combination: string | readonly string[];
  /** Jobs to submit (default 1). */
  count?: number;
  priority?: number;
  arch?: string;
  submittedBy?: string;
}

/** One submitted job. */
export interface SubmittedJob {
  jobId: string;
  buildId: string;
  pool: string;
  combination: string[];
  /** Partition of the jobs topic the job was put on. */
  partition: number;
}

/** Dependencies of {@link createJobSubmitter}. */
export interface JobSubmitterDeps {
  kafka: Kafka;
  schemas: SchemaSet;
  topicPrefix: string;
  logger: Logger;
  clock?: () => number;
}

/** A producer of jobs (kept open by long-running generators). */
export interface JobSubmitter {
  submit(spec: JobSpec): Promise<SubmittedJob[]>;
  close(): Promise<void>;
}

const POOL_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Validates a spec: pool name, known catalogue items, module requirements. Returns the canonical items. */
export function validateJobSpec(spec: JobSpec): string[] {
  if (!POOL_RE.test(spec.pool)) throw new ValidationError('pool', `"${spec.pool}" must be 1..64 letters, digits, ".", "_" or "-"`);
  const items = typeof spec.combination === 'string' ? parseCombination(spec.combination, { known: true }) : [...spec.combination];
  if (typeof spec.combination !== 'string') parseCombination(items.join(';'), { known: true });
  const canonical = canonicalCombination(items);
  if (!canonical[0]?.startsWith('base@')) throw new ValidationError('combination', 'must include a base@<version> item');
  const names = new Set(canonical.map((i) => i.split('@')[0]));
  canonical.forEach((item, i) => {
    const missing = findModule(item.split('@')[0] ?? '')?.requires.filter((r) => !names.has(r)) ?? [];
    if (missing.length > 0) throw new ValidationError(`combination[${i}]`, `${item} requires ${missing.join(', ')}`);
  });
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100_000)
    throw new ValidationError('count', `${count} is not an integer in [1, 100000]`);
  return canonical;
}

/** Creates a job submitter (connects on first submit). */
export function createJobSubmitter(deps: JobSubmitterDeps): JobSubmitter {
  const clock = deps.clock ?? Date.now;
  const jobsTopic = topicNames(deps.topicPrefix).jobs;
  let next = Math.floor(Math.random() * 1024);
  const producer: Producer = deps.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connected: Promise<number> | undefined;
  const connect = async (): Promise<number> => {
    const admin = deps.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [jobsTopic] });
      const partitions = meta.topics[0]?.partitions.length ?? 0;
      if (partitions < 1) throw new KafkaError('metadata', `topic ${jobsTopic} has no partitions (run \`pulse migrate\`)`);
      await producer.connect();
      return partitions;
    } finally {
      await admin.disconnect();
    }
  };
  const submittedBy = `cli:${process.pid}`;
  let seq = 0;

  return {
    async submit(spec) {
      const combination = validateJobSpec(spec);
      const count = spec.count ?? 1;
      connected ??= connect().catch((err: unknown) => {
        connected = undefined;
        throw err instanceof KafkaError ? err : new KafkaError('connect', (err as Error).message, { cause: err, retriable: true });
      });
      const partitions = await connected;
      const jobs: BuildJob[] = [];
      const queued: BuildEvent[] = [];
      for (let i = 0; i < count; i++) {
        const jobId = randomUUID();
        const now = clock();
        const env = { event_time: now, producer_id: `submit:${submittedBy}`, seq: seq++ };
        jobs.push({
          ...env,
          event_id: `job:${jobId}`,
          job_id: jobId,
          pool: spec.pool,
          arch: spec.arch ?? 'amd64',
          combination,
          priority: spec.priority ?? 0,
          submitted_by: spec.submittedBy ?? submittedBy,
        });
        queued.push({
          ...env,
          seq: seq++,
          event_id: `${buildIdOf(jobId)}:queued`,
          type: 'QUEUED',
          build_id: buildIdOf(jobId),
          job_id: jobId,
          pool: spec.pool,
          executor: null,
          arch: spec.arch ?? 'amd64',
          combination,
          queue_wait_ms: null,
          duration_ms: null,
          status: null,
          failure_category: null,
          image_size_bytes: null,
          layer_count: null,
          sbom_generation_ms: null,
          features: {},
        });
      }
      const placed = jobs.map(() => next++ % partitions);
      const jobMessages: Message[] = jobs.map((j, i) => ({
        key: keyFor('job', j),
        value: deps.schemas.encode('job', j),
        partition: placed[i],
      }));
      const queuedMessages: Message[] = queued.map((q) => ({ key: keyFor('build', q), value: deps.schemas.encode('build', q) }));
      try {
        // QUEUED first: a fast agent's STARTED must not precede it.
        await producer.send({ topic: topicFor(deps.topicPrefix, 'build', queued[0] as BuildEvent), acks: -1, messages: queuedMessages });
        await producer.send({ topic: jobsTopic, acks: -1, messages: jobMessages });
        return jobs.map((j, i) => ({
          jobId: j.job_id,
          buildId: buildIdOf(j.job_id),
          pool: j.pool,
          combination,
          partition: placed[i] ?? 0,
        }));
      } catch (err) {
        throw new KafkaError('send', `submitting ${count} job(s) failed: ${(err as Error).message}`, { cause: err, retriable: true });
      }
    },
    async close() {
      if (connected) await producer.disconnect();
      connected = undefined;
    },
  };
}

/** Submits jobs once (connects, sends, disconnects). */
export async function submitJobs(deps: JobSubmitterDeps, spec: JobSpec): Promise<SubmittedJob[]> {
  validateJobSpec(spec);
  const submitter = createJobSubmitter(deps);
  try {
    return await submitter.submit(spec);
  } finally {
    await submitter.close();
  }
}
