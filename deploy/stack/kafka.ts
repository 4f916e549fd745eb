/**
 * Local Apache Kafka 4.x: one KRaft node (broker + controller) on 127.0.0.1:9092, controller on 9093.
 * Storage is formatted on first start; readiness is a real metadata request through kafkajs.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, livePid, runChecked, startDetached, waitReady } from './proc.js';
import type { Progress, StackPaths } from './paths.js';

function serverProperties(paths: StackPaths): string {
  return [
    '# Written by deploy/stack/kafka.ts: single-node KRaft, loopback only.',
    'process.roles=broker,controller',
    'node.id=1',
    'controller.quorum.voters=1@127.0.0.1:9093',
    'listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
    'advertised.listeners=PLAINTEXT://127.0.0.1:9092',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${paths.kafkaData}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.retention.hours=168',
    'log.segment.bytes=268435456',
    '',
  ].join('\n');
}

function javaArgs(paths: StackPaths, main: string, args: readonly string[]): string[] {
  return [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(paths.deployDir, 'kafka', 'log4j2.properties')}`,
    '-cp',
    `${paths.kafkaLibs}/*`,
    main,
    ...args,
  ];
}

/**
 * A KRaft cluster id: 16 random bytes, base64url. Like Kafka's own Uuid.randomUuid(), never one
 * starting with '-', which the storage tool's argument parser would read as an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url').slice(0, 22);
    if (!id.startsWith('-')) return id;
  }
}

/** Writes the config and formats storage when it is not formatted yet. */
export function prepareKafka(paths: StackPaths, progress: Progress): void {
  mkdirSync(paths.kafkaData, { recursive: true });
  writeFileSync(paths.kafkaConfig, serverProperties(paths));
  if (existsSync(join(paths.kafkaData, 'meta.properties'))) return;
  progress('formatting Kafka KRaft storage (first start)');
  const clusterId = newClusterId();
  runChecked(
    'kafka',
    'java',
    javaArgs(paths, 'kafka.tools.StorageTool', [
      'format',
      `--cluster-id=${clusterId}`,
      `--config=${paths.kafkaConfig}`,
      '--ignore-formatted',
    ]),
  );
}

/** Starts the broker unless our pid is alive; returns its pid. */
export function startKafka(paths: StackPaths): number {
  return (
    livePid(paths.kafkaPid) ??
    startDetached({
      service: 'kafka',
      command: 'java',
      args: javaArgs(paths, 'kafka.Kafka', [paths.kafkaConfig]),
      pidFile: paths.kafkaPid,
      logFile: paths.kafkaLog,
    })
  );
}

/** One metadata round trip; resolves with the number of brokers. Throws when unreachable. */
export async function probeKafka(brokers: readonly string[], timeoutMs = 3000): Promise<{ brokers: number; controller: number | null }> {
  const kafka = new Kafka({
    clientId: 'pulse-stack-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.fetchTopicMetadata({ topics: [] });
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Waits until the broker answers metadata requests. */
export function waitKafka(brokers: readonly string[], timeoutMs: number, logFile: string, pid?: number): Promise<unknown> {
  return waitReady('kafka', () => probeKafka(brokers), timeoutMs, logFile, pid === undefined ? undefined : () => isAlive(pid));
}
