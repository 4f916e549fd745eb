/** ClickHouse client factory: one client per process, created from config and passed down. */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../common/config.js';

export type { ClickHouseClient } from '@clickhouse/client';

/** Options for {@link createClickHouse}. */
export interface ClickHouseOptions {
  /** Connect as another user (e.g. `analyst`) instead of the configured writer. */
  user?: string;
  password?: string;
  /** Default database for unqualified names (default: the configured one). */
  database?: string;
  requestTimeoutMs?: number;
}

/** Creates a client for the configured server. */
export function createClickHouse(config: Config, options: ClickHouseOptions = {}): ClickHouseClient {
  return createClient({
    url: config.clickhouse.url,
    username: options.user ?? config.clickhouse.user,
    password: options.password ?? config.clickhouse.password,
    database: options.database ?? 'default',
    request_timeout: options.requestTimeoutMs ?? 30_000,
    compression: { request: false, response: false },
    max_open_connections: 10,
    // Errors reach the caller as rejections; the client's own console logging would duplicate them.
    log: { level: ClickHouseLogLevel.OFF },
  });
}
