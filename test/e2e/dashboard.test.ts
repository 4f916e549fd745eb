/**
 * End to end: real simulator events → Kafka → real stream processors → ClickHouse → the dashboard
 * plugin → Debian's Chromium (playwright-core). Checks that the page goes live over SSE, that chart
 * points and the fleet total equal what SQL reads from ClickHouse, that new data arrives live, and that a
 * simulated incident shows as an alert.
 * Saves a screenshot to test-results/dashboard.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { dashboardPlugin } from '../../api/dashboard/index.js';
import { catalogOf } from '../../deploy/demo/available.js';
import { startChild, type DemoChild } from '../../deploy/demo/children.js';
import { backfillRun, liveRun } from '../../deploy/demo/simulator-driver.js';
import { buildProgram } from '../../common/cli/main.js';
import { PROCESSOR_KINDS } from '../../processors/index.js';
import { applySchema, createClickHouse, ident, sql, type ClickHouseClient, type SqlFragment } from '../../sinks/index.js';
import { dropIsolated } from '../helpers/cleanup.js';
import { openPage } from '../helpers/browser.js';
import { isolatedConfig, uniqueName, waitFor } from '../helpers/env.js';

const name = uniqueName('e2e_dash');
const config = isolatedConfig(name);
const db = config.clickhouse.database;
const logger = createLogger({ level: 'warn' });
const env = { ...process.env, PULSE_TOPIC_PREFIX: name, CLICKHOUSE_DATABASE: db, PULSE_TOPIC_PARTITIONS: '3', PULSE_LOG_LEVEL: 'warn' };
const work = mkdtempSync(join(tmpdir(), 'pulse-e2e-'));
const shape = { pools: 3, executorsPerPool: 5, seed: 11 };

let clickhouse: ClickHouseClient;
let processors: DemoChild | undefined;
let app: FastifyInstance | undefined;
let browser: BrowserContext | undefined;
let page: Page;
/** Sends a few seconds of live simulator events; resolves with their earliest event time (ms). */
let simulateLive: () => Promise<number>;
let truth: { pools: string[]; topics: Record<string, number>; incidents: { entity: string; startMs: number; endMs: number }[] };

const table = (t: string): SqlFragment => ident(`${db}.${t}`);

async function scalar(q: SqlFragment): Promise<number> {
  const rows = await (await clickhouse.query({ query: q.text, format: 'JSONEachRow' })).json<{ v: string | number }>();
  return Number(rows[0]?.v ?? 0);
}

function fail(exit: { name: string; code: number | null; log: string }): void {
  process.stderr.write(`e2e part ${exit.name} exited with ${exit.code}; log ${exit.log}\n${readFileSync(exit.log, 'utf8').slice(-2000)}\n`);
}

async function simulate(args: string[]): Promise<void> {
  const child = startChild({ name: `simulate-${Date.now()}`, args, logDir: work, env, oneShot: true }, fail);
  const exit = await child.exited;
  expect(exit.code, child.tail()).toBe(0);
}

beforeAll(async () => {
  await applySchema(config, logger);
  clickhouse = createClickHouse(config);
  const simulateInfo = catalogOf(await buildProgram()).get('simulate');
  if (!simulateInfo) throw new Error('`pulse simulate` is missing');
  processors = startChild({ name: 'processors', args: ['process'], logDir: work, env }, fail);
  // 90 minutes of history ending now (the detectors learn their baselines from the first part), with incidents, sent fast; the ground truth says what was sent.
  const run = backfillRun(simulateInfo, shape, Date.now(), 90, true);
  await simulate([...run.args, '--truth', join(work, 'truth.json')]);
  truth = JSON.parse(readFileSync(join(work, 'truth.json'), 'utf8')) as typeof truth;
  const expectedBuilds = truth.topics['events.build'] ?? 0;
  expect(expectedBuilds).toBeGreaterThan(50);
  // Every build event of the run is stored (raw table) before the page is compared with SQL.
  await waitFor(
    'the processors to store every simulated build event',
    async () => (await scalar(sql`SELECT count() AS v FROM ${table('build_events')} FINAL`)) >= expectedBuilds,
    120_000,
    1000,
  );
  // … and their features: every finished build counted in a pool's 1-minute window (features are written
  // by the processor's flushes, which may trail the raw rows).
  const finished = await scalar(sql`SELECT uniqExact(build_id) AS v FROM ${table('build_events')} WHERE type = 'FINISHED'`);
  await waitFor(
    'the processors to count every finished build in pool_features_1m',
    async () => (await scalar(sql`SELECT sum(builds_finished) AS v FROM ${table('pool_features_1m')} FINAL`)) >= finished,
    120_000,
    1000,
  );

  app = Fastify();
  await app.register(dashboardPlugin, { clickhouse, config, logger, refreshMs: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  ({ browser, page } = await openPage(join(work, 'chromium-profile'), `http://127.0.0.1:${port}/dashboard`, 1700));
  simulateLive = async () => {
    const run = liveRun(simulateInfo, shape, Date.now() - 5_000, 6, false);
    await simulate(run.args);
    return run.fromMs;
  };
}, 170_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await processors?.stop();
  await clickhouse?.close();
  await dropIsolated(config);
  rmSync(work, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('goes live and draws real points from ClickHouse', async () => {
    await page.waitForSelector('[data-testid="live-state"].on', { timeout: 20_000 });
    await page.waitForSelector('[data-chart="throughput"] circle.pt', { timeout: 20_000 });
    const pools = await page.locator('#pool-tabs button').allTextContents();
    expect(pools.sort()).toEqual([...truth.pools].sort());

    // The highest throughput point of the selected pool equals builds_finished of that window in SQL.
    const pool = (await page.locator('#pool-tabs button.active').textContent()) ?? '';
    // Read in one go (the page re-renders on every live update); the feature rows of the backfill's last
    // windows may still be on their way from the processor when the page first draws.
    const points = await waitFor(
      'more than 10 throughput points on the page',
      async () => {
        // Structural type: the project compiles without the DOM library.
        const pts = await page
          .locator('[data-chart="throughput"] circle.pt')
          .evaluateAll((cs: { getAttribute(name: string): string | null }[]) =>
            cs.map((c) => ({ t: Number(c.getAttribute('data-t')), v: Number(c.getAttribute('data-v')) })),
          );
        return pts.length > 10 ? pts : undefined;
      },
      30_000,
      500,
    );
    const top = points.reduce((a, b) => (b.v > a.v ? b : a));
    expect(top.v).toBeGreaterThan(0);
    const stored = await scalar(
      sql`SELECT builds_finished AS v FROM ${table('pool_features_1m')} FINAL WHERE pool = ${pool} AND window_start = toDateTime(${top.t / 1000})`,
    );
    expect(top.v).toBe(stored);

    // The fleet total on the page equals the SQL sum over the same 30 minutes of 1-minute windows.
    await waitFor(
      'the fleet total to equal SQL',
      async () => {
        const shown = Number(await page.getAttribute('[data-testid="fleet-builds"]', 'data-value'));
        const sum = await scalar(
          sql`SELECT sum(builds_finished) AS v FROM ${table('pool_features_1m')} FINAL WHERE window_start > (SELECT max(window_start) FROM ${table('pool_features_1m')}) - 1800`,
        );
        return shown > 0 && shown === sum;
      },
      30_000,
      1000,
    );
  });

  it('updates live when new events are processed', async () => {
    const before = Number(await page.getAttribute('body', 'data-generated-at'));
    // The live run's events are newer than the whole backfill: count those (a plain count() of a
    // ReplacingMergeTree is not monotonic — merges collapse replayed rows while new ones arrive).
    const liveFrom = await simulateLive();
    const liveRows = async (): Promise<number> => {
      let n = 0;
      for (const t of ['build_events', 'cache_events', 'resource_events'])
        n += await scalar(sql`SELECT count() AS v FROM ${table(t)} FINAL WHERE event_time >= ${liveFrom}`);
      return n;
    };
    await waitFor('the live events to be processed', async () => (await liveRows()) > 0, 60_000, 1000).catch((err: unknown) => {
      throw new Error(`${String(err)}\nprocessors log tail:\n${processors?.tail(40) ?? ''}`);
    });
    const shownEvents = async (): Promise<number> => Number(await page.getAttribute('[data-testid="fleet-events"]', 'data-value'));
    await waitFor(
      'the page to show the new events without a reload',
      async () => (await shownEvents()) > 0 && Number(await page.getAttribute('body', 'data-generated-at')) > before,
      20_000,
      500,
    );
    // The page counts stored rows from system.parts; settle background merges (they collapse replayed rows
    // and change that count) so page and SQL can be compared, re-reading SQL on every probe.
    // (sbom_documents is counted by the page when it exists; no processor writes it yet.)
    const rawTables = ['build_events', 'cache_events', 'resource_events', 'test_results', 'sbom_documents'];
    for (const t of rawTables.slice(0, 4)) await clickhouse.command({ query: sql`OPTIMIZE TABLE ${table(t)} FINAL`.text });
    const stored = (): Promise<number> =>
      scalar(sql`SELECT sum(rows) AS v FROM system.parts WHERE database = ${db} AND active AND has(${rawTables}, table)`);
    await waitFor('the raw event count to match system.parts', async () => (await shownEvents()) === (await stored()), 20_000, 500);
  });

  it('shows a simulated incident as an alert, with its evidence', async () => {
    // `pulse process` runs the anomaly detectors beside the feature processor (PROCESSOR_KINDS).
    expect(PROCESSOR_KINDS.map((k) => k.name)).toContain('anomaly');
    expect(truth.incidents.length).toBeGreaterThan(0);
    const entities = new Set(truth.incidents.map((i) => i.entity));
    const entity = await waitFor(
      'an alert for an incident entity in ClickHouse',
      async () => {
        const rows = await (
          await clickhouse.query({ query: sql`SELECT DISTINCT entity FROM ${table('alerts')}`.text, format: 'JSONEachRow' })
        ).json<{ entity: string }>();
        return rows.map((r) => r.entity).find((e) => entities.has(e));
      },
      90_000,
      1000,
    );
    const alert = page.locator(`[data-testid="alert"][data-entity="${entity}"]`).first();
    await alert.waitFor({ timeout: 15_000 });
    // The alert carries its evidence: observed value against the expected band, and the detector's score.
    expect(await alert.textContent()).toMatch(/= .+\(expected .+–.+, score .+\)/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
  });
});
