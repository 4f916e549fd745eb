/**
 * Test helpers: isolated names and config per test (own topic prefix and ClickHouse database),
 * and a polling `waitFor`.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../common/config.js';

/** A short unique name, safe as a topic segment and a ClickHouse identifier. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Config from the environment (endpoints of the local stack or the user's), with per-test overrides. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ overrides: { logLevel: process.env.PULSE_LOG_LEVEL ?? 'warn', ...overrides } });
}

/** Config isolated for one test: unique topic prefix and database. */
export function isolatedConfig(name = uniqueName(), overrides: Record<string, unknown> = {}): Config {
  return testConfig({ 'kafka.topicPrefix': name, 'clickhouse.database': name, 'kafka.partitions': 3, ...overrides });
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`,
  );
}
