/**
 * Consumes the jobs topic as one consumer group per pool (`pulse-agents-<pool>`): every agent of a pool
 * joins it, Kafka gives each partition to one agent, so no job reaches two agents of the pool at once.
 * Jobs of all pools share the topic (key = pool) and are spread over its partitions by the submitter, so
 * the agents of a pool share the work; messages of other pools are skipped (committed, not built).
 *
 * Offsets: a job's offset is committed only when its build finished (and every earlier message of the
 * partition finished too — builds run concurrently, see offset-tracker). When a rebalance starts (another
 * agent joins or leaves), the batch stops taking new jobs, lets running builds finish, commits, and only
 * then lets the group rebalance, so a job running here is never handed to another agent. Delivery is
 * at-least-once: after a crash, jobs that were building are built again by the next owner.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { DecodeError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { sleep } from '../../common/retry.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { BuildJob } from '../contracts/types.js';
import type { JobOutcome } from './job-runner.js';
import { createOffsetTracker } from './offset-tracker.js';
import type { Slots } from './slots.js';

/** Dependencies of {@link createJobConsumer}. */
export interface JobConsumerDeps {
  kafka: Kafka;
  schemas: SchemaSet;
  slots: Slots;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  topic: string;
  pool: string;
  executor: string;
  /** Builds one job (resolves when its events are acknowledged). */
  run(job: BuildJob, signal: AbortSignal): Promise<JobOutcome>;
  /** Longest build: the group waits this long for running builds before a rebalance completes. */
  buildTimeoutMs: number;
  /** Partitions whose batches are handled at once (default 8). */
  concurrentPartitions?: number;
}

/** A running jobs consumer. */
export interface JobConsumer {
  start(): Promise<void>;
  /** Stops taking jobs, waits for running builds (all of them, or aborts them when `abort` fires), leaves the group. */
  stop(abort?: AbortSignal): Promise<void>;
  /** Jobs of this pool fetched but not started yet. */
  readonly queued: number;
  /** Builds running now. */
  readonly building: number;
  /** Last time a job was taken or finished (ms). */
  readonly lastActivity: number;
  /** Partitions assigned to this agent at the last rebalance. */
  readonly assigned: number[];
}

/** Consumer group id of a pool's agents. */
export function jobsGroupId(pool: string): string {
  return `pulse-agents-${pool}`;
}

/** Creates the jobs consumer of an agent. */
export function createJobConsumer(deps: JobConsumerDeps): JobConsumer {
  const { slots, pool, clock } = deps;
  const log = deps.logger.child({ component: 'job-consumer', pool });
  const mJobs = deps.metrics.counter('agent_jobs_total', 'job messages by outcome', ['outcome']);
  const consumer: Consumer = deps.kafka.consumer({
    groupId: jobsGroupId(pool),
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    rebalanceTimeout: deps.buildTimeoutMs + 60_000,
    maxWaitTimeInMs: 500,
    // Small fetches: an agent holds few unstarted jobs, which stay with the group when it rebalances.
    maxBytesPerPartition: 16 * 1024,
    allowAutoTopicCreation: false,
  });
  const stopping = new AbortController();
  const hardStop = new AbortController();
  let queued = 0;
  let building = 0;
  let lastActivity = clock();
  let assigned: number[] = [];

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = [...(e.payload.memberAssignment[deps.topic] ?? [])].sort((a, b) => a - b);
    log.info({ partitions: assigned }, 'joined the pool group');
  });

  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const resolveOffset = (offset: string): void => payload.resolveOffset(offset);
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const isRunning = (): boolean => payload.isRunning();
    const isStale = (): boolean => payload.isStale();
    const tracker = createOffsetTracker();
    const inflight = new Set<Promise<void>>();
    let halt = false;
    let rebalancing = false;
    let lastBeat = clock();
    let committing: Promise<void> = Promise.resolve();
    const ours = batch.messages.filter((m) => m.key?.toString() === pool).length;
    let unstarted = ours;
    queued += ours;

    const beat = async (): Promise<void> => {
      // Once a rebalance is known, heartbeats only repeat the news: the batch is draining.
      if (rebalancing || clock() - lastBeat < 1000) return;
      lastBeat = clock();
      try {
        await heartbeat();
      } catch (err) {
        // The group is rebalancing: stop taking jobs, finish the running ones, commit, then return.
        log.info({ partition: batch.partition, reason: (err as Error).message }, 'rebalance: draining this batch');
        rebalancing = true;
        halt = true;
      }
    };
    let commitTarget: string | null = null;
    const flush = (): void => {
      const next = commitTarget;
      if (next === null) return;
      commitTarget = null;
      committing = committing.then(async () => {
        resolveOffset((BigInt(next) - 1n).toString());
        try {
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
        } catch (err) {
          log.warn({ err, partition: batch.partition, offset: next }, 'offset commit failed; the jobs may be built again (at-least-once)');
        }
      });
    };
    /** Marks a message done; commits now for finished builds, at the batch's end for skipped messages. */
    const finish = (offset: string, commitNow: boolean): void => {
      lastActivity = clock();
      const next = tracker.finish(offset);
      if (next !== null) commitTarget = next;
      if (commitNow) flush();
    };
    /** Waits for `p`, heartbeating every second; `onTick` runs after each heartbeat. */
    const waitFor = async <T>(p: Promise<T>, onTick?: () => void): Promise<T> => {
      for (;;) {
        const r = await Promise.race([p.then((v) => ({ v })), sleep(1000).then(() => null)]);
        if (r) return r.v;
        await beat();
        onTick?.();
      }
    };

    for (const message of batch.messages) {
      if (halt || stopping.signal.aborted || !isRunning() || isStale()) break;
      const key = message.key?.toString();
      if (key !== pool || message.value === null) {
        tracker.take(message.offset);
        mJobs.inc({ outcome: 'other-pool' });
        finish(message.offset, false);
        continue;
      }
      let job: BuildJob;
      try {
        job = deps.schemas.decodeAs('job', message.value);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        log.warn({ partition: batch.partition, offset: message.offset, reason: err.details.reason }, 'undecodable job skipped');
        mJobs.inc({ outcome: 'undecodable' });
        tracker.take(message.offset);
        unstarted -= 1;
        queued -= 1;
        finish(message.offset, false);
        continue;
      }
      const acquire = new AbortController();
      const cancel = (): void => acquire.abort(new Error('stopping'));
      stopping.signal.addEventListener('abort', cancel, { once: true });
      const release = await waitFor(
        slots.acquire(acquire.signal).catch(() => null),
        () => void (halt && cancel()),
      ).finally(() => stopping.signal.removeEventListener('abort', cancel));
      if (!release) break;
      const free = release;
      tracker.take(message.offset);
      unstarted -= 1;
      queued -= 1;
      building += 1;
      lastActivity = clock();
      mJobs.inc({ outcome: 'started' });
      const p = deps
        .run(job, hardStop.signal)
        .then((outcome) => {
          if (outcome.status === 'CANCELLED') {
            // Not committed: the job goes to the next owner of the partition.
            halt = true;
            return;
          }
          finish(message.offset, true);
        })
        .catch((err: unknown) => {
          // Events could not be written: leave the offset uncommitted so the job is built again.
          log.error({ err, jobId: job.job_id }, 'job failed before its events were written; it will be retried');
          mJobs.inc({ outcome: 'error' });
          halt = true;
        })
        .finally(() => {
          building -= 1;
          free();
          inflight.delete(p);
        });
      inflight.add(p);
    }
    while (inflight.size > 0) await waitFor(Promise.race(inflight));
    flush();
    await committing;
    queued -= unstarted;
    if (halt && !stopping.signal.aborted) await sleep(500);
  }

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic: deps.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: deps.concurrentPartitions ?? 8,
        eachBatch: handleBatch,
      });
    },
    async stop(abort) {
      stopping.abort();
      const onAbort = (): void => hardStop.abort();
      if (abort?.aborted) onAbort();
      abort?.addEventListener('abort', onAbort, { once: true });
      try {
        await consumer.disconnect();
      } finally {
        abort?.removeEventListener('abort', onAbort);
      }
    },
    get queued() {
      return queued;
    },
    get building() {
      return building;
    },
    get lastActivity() {
      return lastActivity;
    },
    get assigned() {
      return assigned;
    },
  };
}
