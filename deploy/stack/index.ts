/**
 * The local single-node stack: `up` (install what is missing, start, wait for real readiness, migrate),
 * `down` (stop exactly what `up` started), `status` (state and versions of each service).
 *
 * A service whose endpoint the user configured (KAFKA_BROKERS, CLICKHOUSE_URL, DOCKER_HOST) is never
 * started here: it is only probed and reported as `external`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Config } from '../../common/config.js';
import { ensureAptPackages, ensureKafkaJars, kafkaJarVersion } from './install.js';
import { prepareKafka, probeKafka, startKafka, waitKafka } from './kafka.js';
import { prepareClickHouse, probeClickHouse, startClickHouse, waitClickHouse } from './clickhouse.js';
import { ensureBaseImage, probeDocker, startDocker, waitDocker } from './docker.js';
import { livePid, stopByPidFile } from './proc.js';
import { stackPaths, type Progress } from './paths.js';

export { stackPaths, type StackPaths, type Progress } from './paths.js';

/** State of one service. */
export interface ServiceStatus {
  name: 'kafka' | 'clickhouse' | 'docker';
  /** `up`: started by this stack and ready; `external`: user-provided endpoint, reachable; `down`: not reachable. */
  state: 'up' | 'external' | 'down';
  endpoint: string;
  version: string | null;
  pid: number | null;
  log: string | null;
  error?: string;
}

/** Result of `stack status`. */
export interface StackStatus {
  dataDir: string;
  services: ServiceStatus[];
}

/** Brings the stack up; idempotent (a second call only re-checks readiness). */
export async function stackUp(config: Config, progress: Progress): Promise<StackStatus> {
  const paths = stackPaths(config.dataDir);
  mkdirSync(paths.logs, { recursive: true });
  const timeout = config.stack.startTimeoutMs;
  ensureAptPackages(progress, { clickhouse: !config.clickhouse.external, docker: !config.docker.external });

  // Start all three first, then wait: the JVM and ClickHouse boot in parallel.
  let kafkaPid: number | undefined;
  let chPid: number | undefined;
  let dockerPid: number | undefined;
  if (!config.kafka.external) {
    ensureKafkaJars(paths, progress);
    const running = livePid(paths.kafkaPid);
    if (running === undefined) {
      prepareKafka(paths, progress);
      progress('starting Kafka (KRaft, 127.0.0.1:9092)');
    }
    kafkaPid = startKafka(paths);
  }
  if (!config.clickhouse.external) {
    if (livePid(paths.clickhousePid) === undefined) progress('starting ClickHouse (127.0.0.1:8123)');
    const configFile = prepareClickHouse(paths, { pulse: config.clickhouse.password, analyst: config.clickhouse.analystPassword });
    chPid = startClickHouse(paths, configFile);
  }
  if (!config.docker.external) {
    if (livePid(paths.dockerPid) === undefined) progress(`starting Docker engine (${paths.dockerSocket}, --bridge=none)`);
    dockerPid = startDocker(paths);
  }

  await Promise.all([
    waitKafka(config.kafka.brokers, timeout, config.kafka.external ? 'your Kafka' : paths.kafkaLog, kafkaPid).then(() =>
      progress('kafka ready'),
    ),
    waitClickHouse(
      config.clickhouse.url,
      config.clickhouse.user,
      config.clickhouse.password,
      timeout,
      config.clickhouse.external ? 'your ClickHouse' : paths.clickhouseLog,
      chPid,
    ).then(() => progress('clickhouse ready')),
    waitDocker(config.docker.host, timeout, config.docker.external ? 'your Docker engine' : paths.dockerLog, dockerPid).then(() =>
      progress('docker ready'),
    ),
  ]);
  await ensureBaseImage(config.docker.host, config.docker.baseImage, progress);
  return stackStatus(config);
}

/** Stops the services this stack started (by pid file); external services are left alone. */
export async function stackDown(config: Config, progress: Progress): Promise<{ stopped: string[] }> {
  const paths = stackPaths(config.dataDir);
  const stopped: string[] = [];
  const stops: [string, string][] = [
    ['docker', paths.dockerPid],
    ['clickhouse', paths.clickhousePid],
    ['kafka', paths.kafkaPid],
  ];
  await Promise.all(
    stops.map(async ([name, pidFile]) => {
      if (await stopByPidFile(pidFile)) {
        stopped.push(name);
        progress(`${name} stopped`);
      }
    }),
  );
  releaseDockerMounts(paths.dockerExec);
  return { stopped: stopped.sort() };
}

/**
 * dockerd leaves its network-namespace bind mount (`<exec-root>/netns/default`) behind when it stops,
 * which makes the data folder impossible to delete; unmount what is still mounted under the exec root.
 */
function releaseDockerMounts(execRoot: string): void {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return;
  }
  const targets = mounts
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((t) => t.startsWith(`${execRoot}/`))
    .sort((a, b) => b.length - a.length);
  for (const t of targets) spawnSync('umount', [t], { stdio: 'ignore' });
}

/** Stops one locally started service (fault tests: kill and restart an engine). Returns false if it was not running. */
export async function stackStopService(config: Config, name: ServiceStatus['name'], graceMs?: number): Promise<boolean> {
  const paths = stackPaths(config.dataDir);
  const pidFile = { kafka: paths.kafkaPid, clickhouse: paths.clickhousePid, docker: paths.dockerPid }[name];
  return stopByPidFile(pidFile, graceMs);
}

/** Probes every service and reports state, version, pid and log file. */
export async function stackStatus(config: Config): Promise<StackStatus> {
  const paths = stackPaths(config.dataDir);
  const pidOf = (f: string, external: boolean): number | null => (external ? null : (livePid(f) ?? null));
  const settle = async <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> => {
    try {
      return { ok: true, value: await p };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  };
  const [k, c, d] = await Promise.all([
    settle(probeKafka(config.kafka.brokers)),
    settle(probeClickHouse(config.clickhouse.url, config.clickhouse.user, config.clickhouse.password)),
    settle(probeDocker(config.docker.host)),
  ]);
  const mk = (
    name: ServiceStatus['name'],
    r: typeof k | typeof c,
    external: boolean,
    endpoint: string,
    version: string | null,
    pidFile: string,
    log: string,
  ): ServiceStatus => ({
    name,
    state: r.ok ? (external ? 'external' : 'up') : 'down',
    endpoint,
    version: r.ok ? version : null,
    pid: pidOf(pidFile, external),
    log: external ? null : log,
    ...(r.ok ? {} : { error: r.error }),
  });
  return {
    dataDir: paths.dataDir,
    services: [
      mk(
        'kafka',
        k,
        config.kafka.external,
        config.kafka.brokers.join(','),
        config.kafka.external ? 'external' : (kafkaJarVersion(paths) ?? 'unknown'),
        paths.kafkaPid,
        paths.kafkaLog,
      ),
      mk(
        'clickhouse',
        c,
        config.clickhouse.external,
        config.clickhouse.url,
        c.ok ? c.value : null,
        paths.clickhousePid,
        paths.clickhouseLog,
      ),
      mk('docker', d, config.docker.external, config.docker.host, d.ok ? d.value : null, paths.dockerPid, paths.dockerLog),
    ],
  };
}
