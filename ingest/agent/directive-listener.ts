/**
 * Reads the pool's directives and acknowledges every one on the ack topic. Both directive topics are
 * compacted and keyed by pool; each agent process reads them with a consumer group of its own (fresh
 * id, from the beginning) so it sees the current desired state on start and every later directive —
 * directives are broadcast to all agents of a pool, unlike jobs. The group is deleted on stop.
 *
 * Per directive: undecodable → REJECTED (id `undecodable:<topic>:<partition>:<offset>`); invalid or
 * expired (directive-rules) → REJECTED with the reason; else applied, then APPLIED (or REJECTED with the
 * error when applying threw). Directives of other pools are skipped without an ack.
 */
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { DecodeError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { Directive, DirectiveAck } from '../contracts/types.js';
import { checkDirective } from './directive-rules.js';
import type { EnvelopeFactory } from './envelope.js';
import type { EventSink } from './job-runner.js';

/** Applies a valid directive (throwing rejects it with the error's message). */
export type DirectiveApply = (d: Directive) => Promise<void> | void;

/** Dependencies of {@link createDirectiveListener}. */
export interface DirectiveListenerDeps {
  kafka: Kafka;
  schemas: SchemaSet;
  sink: EventSink;
  envelopes: EnvelopeFactory;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  pool: string;
  executor: string;
  topics: { scaling: string; cacheWarm: string };
  maxSlots: number;
  applyScaling: DirectiveApply;
  applyCacheWarm: DirectiveApply;
}

/** A running directive listener. */
export interface DirectiveListener {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly groupId: string;
}

/** Creates the directive listener of an agent process. */
export function createDirectiveListener(deps: DirectiveListenerDeps): DirectiveListener {
  const { pool, executor, clock } = deps;
  const log = deps.logger.child({ component: 'directives', pool });
  const mAcks = deps.metrics.counter('agent_directives_total', 'directives acknowledged', ['kind', 'status']);
  const groupId = `pulse-agent-directives-${executor}-${randomBytes(4).toString('hex')}`;
  const consumer: Consumer = deps.kafka.consumer({ groupId, sessionTimeout: 30_000, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  const lastApplied = new Map<Directive['kind'], number>();

  const ack = async (directiveId: string, status: DirectiveAck['status'], reason: string, kind: string): Promise<void> => {
    const value: DirectiveAck = {
      ...deps.envelopes.next(`ack:${directiveId}:${executor}`),
      directive_id: directiveId,
      pool,
      executor,
      status,
      reason,
    };
    await deps.sink.send('directive-ack', value);
    mAcks.inc({ kind, status });
    log.info({ directiveId, status, reason }, 'directive acknowledged');
  };

  async function handle(topic: string, partition: number, offset: string, key: string | undefined, bytes: Buffer): Promise<void> {
    const topicKind: Directive['kind'] = topic === deps.topics.cacheWarm ? 'CACHE_WARM' : 'SCALING';
    let d: Directive;
    try {
      d = deps.schemas.decodeAs('directive', bytes);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      await ack(`undecodable:${topic}:${partition}:${offset}`, 'REJECTED', `malformed: ${err.message}`, topicKind);
      return;
    }
    if (d.pool !== pool && key !== pool) return;
    const verdict = checkDirective(d, {
      pool,
      topicKind,
      now: clock(),
      maxSlots: deps.maxSlots,
      ...(lastApplied.has(d.kind) ? { lastAppliedIssuedAt: lastApplied.get(d.kind) } : {}),
    });
    if (!verdict.ok) {
      await ack(d.directive_id, 'REJECTED', verdict.reason, d.kind);
      return;
    }
    try {
      await (d.kind === 'SCALING' ? deps.applyScaling(d) : deps.applyCacheWarm(d));
    } catch (err) {
      await ack(d.directive_id, 'REJECTED', `not applied: ${(err as Error).message}`, d.kind);
      return;
    }
    lastApplied.set(d.kind, d.issued_at);
    const what = d.kind === 'SCALING' ? `slots set to ${d.desired_slots}` : `${d.warm.length} combination(s) queued for warming`;
    await ack(d.directive_id, 'APPLIED', what, d.kind);
  }

  return {
    groupId,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [deps.topics.scaling, deps.topics.cacheWarm], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const key = message.key?.toString();
          // Tombstones (null value) delete a pool's state in the compacted topic: nothing to apply.
          if (message.value === null || (key !== undefined && key !== pool)) return;
          await handle(topic, partition, message.offset, key, message.value);
        },
      });
    },
    async stop() {
      await consumer.disconnect();
      const admin = deps.kafka.admin();
      try {
        await admin.connect();
        await admin.deleteGroups([groupId]);
      } catch (err) {
        log.warn({ err, groupId }, 'could not delete the directive consumer group (it expires with the offsets retention)');
      } finally {
        await admin.disconnect();
      }
    },
  };
}
