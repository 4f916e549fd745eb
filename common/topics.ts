/**
 * Kafka topic contract (DESIGN.md "Topics"): names, partitioning and compaction.
 * Names are `<prefix>.<suffix>`; the prefix is `factory` unless configured (tests use their own).
 */

/** Logical topic ids used in code. */
export type TopicId =
  | 'events.build'
  | 'events.cache'
  | 'events.resource'
  | 'events.test'
  | 'events.sbom'
  | 'jobs'
  | 'directives.scaling'
  | 'directives.cache-warm'
  | 'directives.ack'
  | 'alerts'
  | 'dlq'
  | 'checkpoints';

/** How a topic is created. */
export interface TopicSpec {
  id: TopicId;
  /** Partitions; `undefined` means the configured default for event topics. */
  partitions?: number;
  /** Compacted topics keep the latest value per key (directives: the current desired state per pool). */
  compacted: boolean;
  /** What the message key is. */
  key: string;
  doc: string;
}

/** Every topic Factory Pulse uses. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { id: 'events.build', compacted: false, key: 'pool', doc: 'build queued/started/finished events' },
  { id: 'events.cache', compacted: false, key: 'executor', doc: 'layer cache hit/miss events' },
  { id: 'events.resource', compacted: false, key: 'executor', doc: 'executor resource samples' },
  { id: 'events.test', compacted: false, key: 'combination', doc: 'test results / compatibility records' },
  { id: 'events.sbom', compacted: false, key: 'image digest', doc: 'SBOM documents' },
  { id: 'jobs', compacted: false, key: 'pool', doc: 'build requests shared by the agents of a pool' },
  { id: 'directives.scaling', partitions: 3, compacted: true, key: 'pool', doc: 'desired slots per pool (latest wins)' },
  { id: 'directives.cache-warm', partitions: 3, compacted: true, key: 'pool', doc: 'combinations to pre-build per pool (latest wins)' },
  { id: 'directives.ack', partitions: 3, compacted: false, key: 'directive id', doc: 'executors acknowledge directives' },
  { id: 'alerts', partitions: 3, compacted: false, key: 'alert key', doc: 'anomaly alerts (firing/resolved)' },
  {
    id: 'dlq',
    partitions: 3,
    compacted: false,
    key: 'source key',
    doc: 'dead letters; headers carry error code, source topic/partition/offset, reason',
  },
  { id: 'checkpoints', partitions: 1, compacted: true, key: 'group/topic/partition', doc: 'processor window-state checkpoints' },
];

/** Full topic name for an id. */
export function topicName(prefix: string, id: TopicId): string {
  return `${prefix}.${id}`;
}

/** All topic names for a prefix, by id. */
export function topicNames(prefix: string): Record<TopicId, string> {
  return Object.fromEntries(TOPIC_SPECS.map((t) => [t.id, topicName(prefix, t.id)])) as Record<TopicId, string>;
}
