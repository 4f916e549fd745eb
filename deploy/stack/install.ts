/**
 * Idempotent installation of what the local stack needs: Debian packages (ClickHouse, Docker engine,
 * busybox-static) and the Kafka jars from Maven Central (deploy/kafka/pom.xml, cached in ~/.m2).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './proc.js';
import type { Progress, StackPaths } from './paths.js';

/** Debian packages and the file that proves each is installed. */
const APT_PACKAGES: readonly { pkg: string; file: string }[] = [
  { pkg: 'clickhouse-server', file: '/usr/sbin/clickhouse-server' },
  { pkg: 'clickhouse-client', file: '/usr/bin/clickhouse-client' },
  { pkg: 'docker.io', file: '/usr/sbin/dockerd' },
  { pkg: 'busybox-static', file: '/bin/busybox' },
];

/** Installs missing Debian packages (apt-get update once, only when something is missing). */
export function ensureAptPackages(progress: Progress, needed: { clickhouse: boolean; docker: boolean }): void {
  const missing = APT_PACKAGES.filter((p) => {
    if (p.pkg.startsWith('clickhouse') && !needed.clickhouse) return false;
    if ((p.pkg === 'docker.io' || p.pkg === 'busybox-static') && !needed.docker) return false;
    return !existsSync(p.file);
  }).map((p) => p.pkg);
  if (missing.length === 0) return;
  progress(`installing Debian packages: ${missing.join(' ')} (apt-get, once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  runChecked('apt', 'apt-get', ['update', '-qq'], { env });
  runChecked('apt', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/** Copies the Kafka broker jars into `paths.kafkaLibs` with Maven unless they are there already. */
export function ensureKafkaJars(paths: StackPaths, progress: Progress): void {
  if (existsSync(paths.kafkaLibs) && readdirSync(paths.kafkaLibs).some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) return;
  progress('fetching Kafka jars from Maven Central (mvn dependency:copy-dependencies, cached in ~/.m2)');
  mkdirSync(paths.kafkaLibs, { recursive: true });
  runChecked('kafka', 'mvn', [
    '-q',
    '-B',
    '-f',
    join(paths.deployDir, 'kafka', 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${paths.kafkaLibs}`,
  ]);
}

/** Kafka version from the jar name in the libs folder. */
export function kafkaJarVersion(paths: StackPaths): string | undefined {
  if (!existsSync(paths.kafkaLibs)) return undefined;
  for (const f of readdirSync(paths.kafkaLibs)) {
    const m = /^kafka_2\.13-(.+)\.jar$/.exec(f);
    if (m) return m[1];
  }
  return undefined;
}
