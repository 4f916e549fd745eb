/**
 * One validated configuration for every Pulse process.
 *
 * Sources, later wins: built-in defaults → optional JSON config file (`PULSE_CONFIG` or `--config`) →
 * environment variables. Unknown keys (in the file, or `PULSE_*` env vars that name no option) and bad
 * values fail fast with a {@link ConfigError} naming the key.
 *
 * The table {@link CONFIG_SPEC} is the single place an option is declared; the README's configuration
 * table is checked against it by a unit test.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './errors.js';

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'url' | 'enum';

/** Declaration of one option. */
export interface OptionSpec {
  /** Dotted key used in the config file, e.g. `kafka.brokers`. */
  key: string;
  /** Environment variable that sets it. */
  env: string;
  kind: Kind;
  /** Default value (already parsed). `undefined` means "not set". */
  default: unknown;
  /** One line for the README. */
  doc: string;
  /** Allowed values when kind is `enum`. */
  values?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Never printed (passwords, tokens). */
  secret?: boolean;
}

const PROJECT_ROOT = resolve(new URL('..', import.meta.url).pathname);

/** Every option Factory Pulse understands. */
export const CONFIG_SPEC: readonly OptionSpec[] = [
  {
    key: 'dataDir',
    env: 'PULSE_DATA_DIR',
    kind: 'string',
    default: resolve(PROJECT_ROOT, '.pulse-data'),
    doc: 'local stack data, logs and model artefacts',
  },
  {
    key: 'logLevel',
    env: 'PULSE_LOG_LEVEL',
    kind: 'enum',
    values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    default: 'info',
    doc: 'log level (logs go to stderr as JSON lines)',
  },
  {
    key: 'kafka.brokers',
    env: 'KAFKA_BROKERS',
    kind: 'list',
    default: undefined,
    doc: 'comma-separated bootstrap brokers; when set the local Kafka is not started (default 127.0.0.1:9092 from the local stack)',
  },
  { key: 'kafka.clientId', env: 'PULSE_KAFKA_CLIENT_ID', kind: 'string', default: 'factory-pulse', doc: 'Kafka client id prefix' },
  {
    key: 'kafka.topicPrefix',
    env: 'PULSE_TOPIC_PREFIX',
    kind: 'string',
    default: 'factory',
    doc: 'first segment of every topic name (`factory.events.build`…); tests use their own',
  },
  {
    key: 'kafka.partitions',
    env: 'PULSE_TOPIC_PARTITIONS',
    kind: 'int',
    min: 1,
    max: 1024,
    default: 6,
    doc: 'partitions of event topics created by `pulse migrate`',
  },
  {
    key: 'kafka.replicationFactor',
    env: 'PULSE_TOPIC_REPLICATION',
    kind: 'int',
    min: 1,
    max: 7,
    default: 1,
    doc: 'replication factor of created topics (3 on a real cluster)',
  },
  {
    key: 'clickhouse.url',
    env: 'CLICKHOUSE_URL',
    kind: 'url',
    default: undefined,
    doc: 'ClickHouse HTTP endpoint; when set the local ClickHouse is not started (default http://127.0.0.1:8123)',
  },
  { key: 'clickhouse.user', env: 'CLICKHOUSE_USER', kind: 'string', default: 'pulse', doc: 'writer user' },
  {
    key: 'clickhouse.password',
    env: 'CLICKHOUSE_PASSWORD',
    kind: 'string',
    default: 'pulse-local',
    secret: true,
    doc: 'writer password (the local stack creates the user with it)',
  },
  { key: 'clickhouse.database', env: 'CLICKHOUSE_DATABASE', kind: 'string', default: 'factory', doc: 'database holding every Pulse table' },
  {
    key: 'clickhouse.analystPassword',
    env: 'PULSE_ANALYST_PASSWORD',
    kind: 'string',
    default: 'analyst-local',
    secret: true,
    doc: 'password of the read-only `analyst` user of the local stack',
  },
  {
    key: 'docker.host',
    env: 'DOCKER_HOST',
    kind: 'string',
    default: undefined,
    doc: 'Docker engine socket (`unix:///path`); when set the local engine is not started (default unix://<dataDir>/docker/docker.sock)',
  },
  {
    key: 'docker.baseImage',
    env: 'PULSE_BASE_IMAGE',
    kind: 'string',
    default: 'pulse/base:1',
    doc: 'locally imported base image for builds (busybox-static rootfs)',
  },
  {
    key: 'api.host',
    env: 'PULSE_API_HOST',
    kind: 'string',
    default: '127.0.0.1',
    doc: 'address the API listens on (keep loopback unless behind a proxy)',
  },
  { key: 'api.port', env: 'PULSE_API_PORT', kind: 'int', min: 0, max: 65535, default: 8080, doc: 'API port' },
  {
    key: 'api.tokens',
    env: 'PULSE_API_TOKENS',
    kind: 'string',
    default: undefined,
    secret: true,
    doc: 'API tokens: `token=scope+scope,...` with scopes read, write, ingest (unset: a local read+write+ingest token is generated and printed)',
  },
  {
    key: 'api.rateLimitPerMinute',
    env: 'PULSE_API_RATE_LIMIT',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    default: 300,
    doc: 'requests per minute per token (or client address) allowed on write routes',
  },
  {
    key: 'api.bodyLimitBytes',
    env: 'PULSE_API_BODY_LIMIT',
    kind: 'int',
    min: 1024,
    max: 64 * 1024 * 1024,
    default: 1024 * 1024,
    doc: 'largest accepted request body in bytes (413 beyond)',
  },
  {
    key: 'directives.intervalMs',
    env: 'PULSE_DIRECTIVE_INTERVAL_MS',
    kind: 'int',
    min: 100,
    max: 3_600_000,
    default: 30_000,
    doc: 'directive engine: decision interval per pool (it also decides early on a significant change)',
  },
  {
    key: 'directives.queueWaitSloMs',
    env: 'PULSE_QUEUE_WAIT_SLO_MS',
    kind: 'int',
    min: 1,
    max: 86_400_000,
    default: 60_000,
    doc: 'directive engine: queue-wait SLO (p95, ms) the scaling policy sizes pools for',
  },
  {
    key: 'directives.minSlots',
    env: 'PULSE_POOL_MIN_SLOTS',
    kind: 'int',
    min: 0,
    max: 100_000,
    default: 1,
    doc: 'directive engine: fewest slots per pool',
  },
  {
    key: 'directives.maxSlots',
    env: 'PULSE_POOL_MAX_SLOTS',
    kind: 'int',
    min: 1,
    max: 100_000,
    default: 64,
    doc: 'directive engine: most slots per pool',
  },
  {
    key: 'directives.warmBudget',
    env: 'PULSE_WARM_BUDGET',
    kind: 'int',
    min: 0,
    max: 1000,
    default: 8,
    doc: 'directive engine: most combinations listed in one cache-warming directive',
  },
  {
    key: 'processor.groupId',
    env: 'PULSE_PROCESSOR_GROUP',
    kind: 'string',
    default: undefined,
    doc: 'processors: Kafka consumer group of `pulse process`; instances in one group split partitions (default `<kafka.topicPrefix>-features`)',
  },
  {
    key: 'processor.allowedLatenessMs',
    env: 'PULSE_ALLOWED_LATENESS_MS',
    kind: 'int',
    min: 0,
    max: 86_400_000,
    default: 120_000,
    doc: 'processors: how long after its window closed an event still updates it (later: counted and dead-lettered)',
  },
  {
    key: 'processor.watermarkDelayMs',
    env: 'PULSE_WATERMARK_DELAY_MS',
    kind: 'int',
    min: 0,
    max: 3_600_000,
    default: 5_000,
    doc: 'processors: watermark = highest event time seen in a partition minus this (bounded out-of-orderness)',
  },
  {
    key: 'processor.flushIntervalMs',
    env: 'PULSE_FLUSH_INTERVAL_MS',
    kind: 'int',
    min: 50,
    max: 600_000,
    default: 1_000,
    doc: 'processors: rows, checkpoints and offsets are written at least this often',
  },
  {
    key: 'processor.maxBufferedEvents',
    env: 'PULSE_MAX_BUFFERED_EVENTS',
    kind: 'int',
    min: 1,
    max: 10_000_000,
    default: 50_000,
    doc: 'processors: flush as soon as this many events are buffered; while the previous flush is still being written, consumption waits for it (bounds memory: at most twice this many events in flight; consumption pauses while ClickHouse is down)',
  },
  {
    key: 'processor.sessionTimeoutMs',
    env: 'PULSE_SESSION_TIMEOUT_MS',
    kind: 'int',
    min: 6_000,
    max: 300_000,
    default: 30_000,
    doc: "processors: consumer-group session timeout (how soon a dead instance's partitions move to the others)",
  },
  {
    key: 'processor.ewmaAlpha',
    env: 'PULSE_EWMA_ALPHA',
    kind: 'number',
    min: 0.0001,
    max: 1,
    default: 0.2,
    doc: 'processors: weight of the newest build in the per-combination EWMAs of duration and failure rate',
  },
  {
    key: 'processor.lastDurations',
    env: 'PULSE_LAST_DURATIONS',
    kind: 'int',
    min: 1,
    max: 1000,
    default: 10,
    doc: 'processors: how many recent durations combination_state keeps per (combination, pool)',
  },
  {
    key: 'alerts.webhooks',
    env: 'PULSE_ALERT_WEBHOOKS',
    kind: 'string',
    default: undefined,
    doc: 'comma-separated http(s) URLs that receive anomaly alerts in the Alertmanager webhook format (unset: none)',
  },
  {
    key: 'alerts.allowedLatenessMs',
    env: 'PULSE_ALERT_LATENESS_MS',
    kind: 'int',
    min: 0,
    max: 3_600_000,
    default: 30_000,
    doc: 'anomaly processor: event-time lateness allowed before a minute is closed and scored',
  },
  {
    key: 'stack.startTimeoutMs',
    env: 'PULSE_STACK_TIMEOUT_MS',
    kind: 'int',
    min: 1000,
    max: 600000,
    default: 120000,
    doc: 'how long `stack up` waits for each service to become ready',
  },
  {
    key: 'models.maxTrainRows',
    env: 'PULSE_MODELS_MAX_TRAIN_ROWS',
    kind: 'int',
    min: 200,
    max: 10_000_000,
    default: 300_000,
    doc: 'most recent finished builds `pulse train` and the scheduled retrain read from ClickHouse',
  },
  {
    key: 'models.retrainIntervalMs',
    env: 'PULSE_MODELS_RETRAIN_INTERVAL_MS',
    kind: 'int',
    min: 0,
    max: 604_800_000,
    default: 3_600_000,
    doc: 'interval of the scheduled retrain in the running pipeline (0 disables it)',
  },
  {
    key: 'models.reloadIntervalMs',
    env: 'PULSE_MODELS_RELOAD_INTERVAL_MS',
    kind: 'int',
    min: 100,
    max: 3_600_000,
    default: 10_000,
    doc: 'how often serving polls model_versions for a new champion (hot reload)',
  },
  {
    key: 'models.warmRows',
    env: 'PULSE_MODELS_WARM_ROWS',
    kind: 'int',
    min: 0,
    max: 10_000_000,
    default: 200_000,
    doc: 'recent finished builds replayed into the feature state when serving starts',
  },
];

/** The parsed configuration. */
export interface Config {
  dataDir: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  kafka: {
    brokers: string[];
    /** True when brokers came from the user (env/file): the local Kafka is then not started. */
    external: boolean;
    clientId: string;
    topicPrefix: string;
    partitions: number;
    replicationFactor: number;
  };
  clickhouse: {
    url: string;
    external: boolean;
    user: string;
    password: string;
    database: string;
    analystPassword: string;
  };
  docker: { host: string; external: boolean; baseImage: string };
  api: { host: string; port: number; tokens: string | undefined; rateLimitPerMinute: number; bodyLimitBytes: number };
  directives: { intervalMs: number; queueWaitSloMs: number; minSlots: number; maxSlots: number; warmBudget: number };
  processor: {
    groupId: string;
    allowedLatenessMs: number;
    watermarkDelayMs: number;
    flushIntervalMs: number;
    maxBufferedEvents: number;
    sessionTimeoutMs: number;
    ewmaAlpha: number;
    lastDurations: number;
  };
  /** Anomaly alerts. */
  alerts: { webhooks: string[]; allowedLatenessMs: number };
  stack: { startTimeoutMs: number };
  models: { maxTrainRows: number; retrainIntervalMs: number; reloadIntervalMs: number; warmRows: number };
}

function parseValue(spec: OptionSpec, raw: unknown, source: string): unknown {
  const where = `${spec.key} (${source})`;
  const str = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.kind) {
    case 'string':
      if (typeof str !== 'string' || str === '') throw new ConfigError(where, 'must be a non-empty string');
      return str;
    case 'url': {
      if (typeof str !== 'string') throw new ConfigError(where, 'must be a URL string');
      let u: URL;
      try {
        u = new URL(str);
      } catch {
        throw new ConfigError(where, `"${str}" is not a valid URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(where, 'must be http(s)');
      return str.replace(/\/$/, '');
    }
    case 'int':
    case 'number': {
      const n = typeof str === 'number' ? str : typeof str === 'string' && str !== '' ? Number(str) : NaN;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)))
        throw new ConfigError(where, `"${String(raw)}" is not ${spec.kind === 'int' ? 'an integer' : 'a number'}`);
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(where, `must be >= ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(where, `must be <= ${spec.max}`);
      return n;
    }
    case 'bool':
      if (typeof str === 'boolean') return str;
      if (str === 'true' || str === '1') return true;
      if (str === 'false' || str === '0') return false;
      throw new ConfigError(where, `"${String(raw)}" is not true/false`);
    case 'enum':
      if (typeof str !== 'string' || !spec.values?.includes(str))
        throw new ConfigError(where, `"${String(raw)}" is not one of ${spec.values?.join(', ')}`);
      return str;
    case 'list': {
      const items = Array.isArray(str) ? str.map(String) : typeof str === 'string' ? str.split(',') : null;
      const cleaned = items?.map((s) => s.trim()).filter((s) => s !== '');
      if (!cleaned || cleaned.length === 0) throw new ConfigError(where, 'must be a non-empty comma-separated list');
      for (const b of cleaned) if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw new ConfigError(where, `"${b}" is not host:port`);
      return cleaned;
    }
  }
}

function flatten(obj: unknown, prefix: string, out: Map<string, unknown>, file: string): void {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new ConfigError(prefix || '<root>', `${file} must hold a JSON object`);
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const isLeaf = CONFIG_SPEC.some((s) => s.key === key);
    if (!isLeaf && typeof v === 'object' && v !== null && !Array.isArray(v)) flatten(v, key, out, file);
    else out.set(key, v);
  }
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment to read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Config file path (overrides `PULSE_CONFIG`). */
  file?: string;
  /** Highest-priority overrides by dotted key (CLI flags). */
  overrides?: Record<string, unknown>;
}

/** Environment variables that look like ours but are not options (so a typo is caught). */
const PULSE_ENV_ALLOWED = new Set(['PULSE_CONFIG']);

/** Reads, validates and freezes the configuration. Throws {@link ConfigError} naming the bad key. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const values = new Map<string, unknown>();
  for (const spec of CONFIG_SPEC) if (spec.default !== undefined) values.set(spec.key, spec.default);
  const explicit = new Set<string>();

  const file = options.file ?? env.PULSE_CONFIG;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('PULSE_CONFIG', `cannot read config file ${file}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ConfigError('PULSE_CONFIG', `${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const flat = new Map<string, unknown>();
    flatten(json, '', flat, file);
    for (const [key, raw] of flat) {
      const spec = CONFIG_SPEC.find((s) => s.key === key);
      if (!spec) throw new ConfigError(key, `unknown key in ${file}`);
      values.set(key, parseValue(spec, raw, file));
      explicit.add(key);
    }
  }

  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined) continue;
    const spec = CONFIG_SPEC.find((s) => s.env === name);
    if (spec) {
      if (raw.trim() === '') continue;
      values.set(spec.key, parseValue(spec, raw, `env ${name}`));
      explicit.add(spec.key);
    } else if (name.startsWith('PULSE_') && !PULSE_ENV_ALLOWED.has(name)) {
      throw new ConfigError(name, 'unknown environment variable (see the configuration table in README.md)');
    }
  }

  for (const [key, raw] of Object.entries(options.overrides ?? {})) {
    if (raw === undefined) continue;
    const spec = CONFIG_SPEC.find((s) => s.key === key);
    if (!spec) throw new ConfigError(key, 'unknown option');
    values.set(key, parseValue(spec, raw, 'flag'));
    explicit.add(key);
  }

  const get = <T>(key: string): T => values.get(key) as T;
  const dataDir = resolve(get<string>('dataDir'));
  const config: Config = {
    dataDir,
    logLevel: get('logLevel'),
    kafka: {
      brokers: get<string[] | undefined>('kafka.brokers') ?? ['127.0.0.1:9092'],
      external: explicit.has('kafka.brokers'),
      clientId: get('kafka.clientId'),
      topicPrefix: get('kafka.topicPrefix'),
      partitions: get('kafka.partitions'),
      replicationFactor: get('kafka.replicationFactor'),
    },
    clickhouse: {
      url: get<string | undefined>('clickhouse.url') ?? 'http://127.0.0.1:8123',
      external: explicit.has('clickhouse.url'),
      user: get('clickhouse.user'),
      password: get('clickhouse.password'),
      database: get('clickhouse.database'),
      analystPassword: get('clickhouse.analystPassword'),
    },
    docker: {
      host: get<string | undefined>('docker.host') ?? `unix://${localDockerSocket(dataDir)}`,
      external: explicit.has('docker.host'),
      baseImage: get('docker.baseImage'),
    },
    api: {
      host: get('api.host'),
      port: get('api.port'),
      tokens: get('api.tokens'),
      rateLimitPerMinute: get('api.rateLimitPerMinute'),
      bodyLimitBytes: get('api.bodyLimitBytes'),
    },
    directives: {
      intervalMs: get('directives.intervalMs'),
      queueWaitSloMs: get('directives.queueWaitSloMs'),
      minSlots: get('directives.minSlots'),
      maxSlots: get('directives.maxSlots'),
      warmBudget: get('directives.warmBudget'),
    },
    processor: {
      groupId: get<string | undefined>('processor.groupId') ?? `${get<string>('kafka.topicPrefix')}-features`,
      allowedLatenessMs: get('processor.allowedLatenessMs'),
      watermarkDelayMs: get('processor.watermarkDelayMs'),
      flushIntervalMs: get('processor.flushIntervalMs'),
      maxBufferedEvents: get('processor.maxBufferedEvents'),
      sessionTimeoutMs: get('processor.sessionTimeoutMs'),
      ewmaAlpha: get('processor.ewmaAlpha'),
      lastDurations: get('processor.lastDurations'),
    },
    alerts: {
      webhooks: parseUrlList('alerts.webhooks', get<string | undefined>('alerts.webhooks')),
      allowedLatenessMs: get('alerts.allowedLatenessMs'),
    },
    stack: { startTimeoutMs: get('stack.startTimeoutMs') },
    models: {
      maxTrainRows: get('models.maxTrainRows'),
      retrainIntervalMs: get('models.retrainIntervalMs'),
      reloadIntervalMs: get('models.reloadIntervalMs'),
      warmRows: get('models.warmRows'),
    },
  };

  // Cross-field invariants.
  if (config.directives.minSlots > config.directives.maxSlots)
    throw new ConfigError('directives.minSlots', `must be <= directives.maxSlots (${config.directives.maxSlots})`);
  if (!/^[a-zA-Z0-9._-]+$/.test(config.kafka.topicPrefix))
    throw new ConfigError('kafka.topicPrefix', 'may hold only letters, digits, ".", "_" and "-"');
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(config.clickhouse.database))
    throw new ConfigError('clickhouse.database', 'must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)');
  if (!config.docker.host.startsWith('unix://') && !/^(tcp|http):\/\/127\.0\.0\.1:\d+$/.test(config.docker.host))
    throw new ConfigError('docker.host', 'must be unix:///path or tcp://127.0.0.1:PORT');
  return deepFreeze(config);
}

/** Splits a comma-separated list of http(s) URLs, naming the key on a bad entry. */
function parseUrlList(key: string, raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        throw new ConfigError(key, `"${s}" is not a valid URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(key, `"${s}" must be http(s)`);
      return s;
    });
}

/**
 * Socket of the local Docker engine: `<dataDir>/docker/docker.sock`, or a short path under /run when
 * that would exceed the unix-socket path limit (deep clone folders).
 */
export function localDockerSocket(dataDir: string): string {
  const inData = join(resolve(dataDir), 'docker', 'docker.sock');
  if (inData.length <= 100) return inData;
  return `/run/factory-pulse-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 10)}/docker.sock`;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The config with secrets replaced by `***`, for logs and `--json` output. */
export function redactConfig(config: Config): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(config, (k, v: unknown) => (['password', 'analystPassword', 'tokens'].includes(k) && v !== undefined ? '***' : v)),
  ) as Record<string, unknown>;
}
