/**
 * Local ClickHouse (Debian's clickhouse-server, 18.16 here): loopback only, HTTP 8123, native 9000,
 * data under the project data folder, users `pulse` (writer) and `analyst` (read-only).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { isAlive, livePid, startDetached, waitReady } from './proc.js';
import type { StackPaths } from './paths.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Writes config.xml and users.xml (templates in deploy/clickhouse) for this data folder and these passwords. */
export function prepareClickHouse(paths: StackPaths, passwords: { pulse: string; analyst: string }): string {
  mkdirSync(paths.clickhouseConfigDir, { recursive: true });
  mkdirSync(join(paths.clickhouseData, 'tmp'), { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const tpl = (name: string): string => readFileSync(join(paths.deployDir, 'clickhouse', name), 'utf8');
  const configFile = join(paths.clickhouseConfigDir, 'config.xml');
  writeFileSync(configFile, tpl('config.xml').replaceAll('__DATA__', paths.dataDir));
  writeFileSync(
    join(paths.clickhouseConfigDir, 'users.xml'),
    tpl('users.xml').replace('__PULSE_SHA256__', sha256(passwords.pulse)).replace('__ANALYST_SHA256__', sha256(passwords.analyst)),
  );
  return configFile;
}

/** Starts the server unless our pid is alive. */
export function startClickHouse(paths: StackPaths, configFile: string): number {
  return (
    livePid(paths.clickhousePid) ??
    startDetached({
      service: 'clickhouse',
      command: '/usr/sbin/clickhouse-server',
      args: [`--config-file=${configFile}`],
      cwd: paths.clickhouseConfigDir,
      pidFile: paths.clickhousePid,
      logFile: paths.clickhouseLog,
    })
  );
}

/** `SELECT version()` as the given user; throws when unreachable. */
export async function probeClickHouse(url: string, user: string, password: string): Promise<string> {
  const client = createClient({ url, username: user, password, request_timeout: 3000, log: { level: ClickHouseLogLevel.OFF } });
  try {
    const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    const rows = await rs.json<{ v: string }>();
    return rows[0]?.v ?? 'unknown';
  } finally {
    await client.close();
  }
}

/** Waits until `SELECT 1` works. */
export function waitClickHouse(
  url: string,
  user: string,
  password: string,
  timeoutMs: number,
  logFile: string,
  pid?: number,
): Promise<string> {
  return waitReady(
    'clickhouse',
    () => probeClickHouse(url, user, password),
    timeoutMs,
    logFile,
    pid === undefined ? undefined : () => isAlive(pid),
  );
}
