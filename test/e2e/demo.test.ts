/**
 * End to end, the whole product as a user meets it: `pulse demo --duration 210 --json` (the command behind
 * `npm run demo`) in its own topic prefix, database and API port, with Debian's Chromium (playwright-core)
 * on the dashboard it prints. While the demo runs, the page must show live data from every part of the
 * loop: feature charts, model predictions beside actual durations, alerts from the anomaly detectors,
 * directives acknowledged by the real Docker agents, the trained model. Then the demo must end with exit
 * code 0 and a summary that agrees with ClickHouse. Saves a screenshot to test-results/demo-dashboard.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentExecutor, defaultSettings } from '../../deploy/demo/plan.js';
import type { DemoSummary } from '../../deploy/demo/summary.js';
import { createClickHouse, ident, sql, type ClickHouseClient } from '../../sinks/index.js';
import { dropIsolated } from '../helpers/cleanup.js';
import { openPage } from '../helpers/browser.js';
import { isolatedConfig, uniqueName, waitFor } from '../helpers/env.js';

const DURATION_S = 210;
const name = uniqueName('e2e_demo');
const config = isolatedConfig(name);
const db = config.clickhouse.database;
const work = mkdtempSync(join(tmpdir(), 'pulse-e2e-demo-'));

let clickhouse: ClickHouseClient;
let demo: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let dashboardUrl: string;
/** When the demo printed its dashboard URL: it runs DURATION_S seconds from about then. */
let shownAt = 0;
let browser: BrowserContext;
let page: Page;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function scalar(query: string): Promise<number> {
  const rows = await (await clickhouse.query({ query, format: 'JSONEachRow' })).json<{ v: string | number }>();
  return Number(rows[0]?.v ?? 0);
}

/** Count of chart points of one series on the tab of `pool`. */
async function pointsOn(pool: string, chart: string, series: string): Promise<number> {
  await page.locator('#pool-tabs button', { hasText: pool }).first().click();
  return page.locator(`[data-chart="${chart}"] [data-series="${series}"] circle.pt`).count();
}

beforeAll(async () => {
  clickhouse = createClickHouse(config);
  const port = await freePort();
  demo = spawn(process.execPath, ['common/cli/pulse.mjs', 'demo', '--duration', String(DURATION_S), '--json'], {
    env: {
      ...process.env,
      PULSE_TOPIC_PREFIX: name,
      CLICKHOUSE_DATABASE: db,
      PULSE_TOPIC_PARTITIONS: '3',
      PULSE_API_PORT: String(port),
      PULSE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  demo.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  exited = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
  dashboardUrl = await waitFor(
    'the demo to print its dashboard URL',
    () =>
      /demo: dashboard:\s+(\S+)/.exec(stderr)?.[1] ?? (demo.exitCode !== null ? Promise.reject(new Error(stderr.slice(-3000))) : undefined),
    180_000,
    500,
  );
  shownAt = Date.now();
  expect(dashboardUrl).toBe(`http://127.0.0.1:${port}/dashboard`);
  ({ browser, page } = await openPage(join(work, 'chromium-profile'), dashboardUrl, 1900));
}, 200_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill('SIGTERM');
    await exited;
  }
  await clickhouse?.close();
  await dropIsolated(config);
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('npm run demo, watched in Chromium', () => {
  it(
    'shows every part of the loop live while it runs',
    async () => {
      await page.waitForSelector('[data-testid="live-state"].on', { timeout: 30_000 });
      const agentPools = defaultSettings(DURATION_S).agentPools;
      const tabs = (): Promise<string[]> => page.locator('#pool-tabs button').allTextContents();
      const onAnyPool = async (chart: string, series: string): Promise<boolean> => {
        for (const p of await tabs()) if ((await pointsOn(p, chart, series)) > 0) return true;
        return false;
      };
      // What the page must show before the demo ends; each is checked until it holds (the parts come up in
      // their own time: the agents' first builds, the first model once enough history is stored, …).
      const checks: Record<string, () => Promise<boolean>> = {
        // The real agents' pools appear once their first Docker builds are processed, beside simulated ones.
        "the real agents' pools and simulated pools": async () => {
          const shown = await tabs();
          return agentPools.every((p) => shown.includes(p)) && shown.some((p) => !agentPools.includes(p));
        },
        'feature points (throughput) on a pool chart': async () => {
          for (const p of await tabs()) if ((await pointsOn(p, 'throughput', 'builds')) > 10) return true;
          return false;
        },
        // The backfilled history carries injected incidents; the detectors raise alerts with evidence.
        'an alert': async () => (await page.locator('[data-testid="alert"]').count()) > 0,
        'the first model, trained during the demo': async () => (await page.locator('[data-testid="model"]').count()) > 0,
        // (from the baseline until the first model is champion; the summary check below requires the model's)
        "the online scorer's predicted durations on a pool chart": () => onAnyPool('duration', 'predicted (median)'),
        'a directive acknowledged by an agent': async () => (await page.locator('[data-testid="directive"] td.good').count()) > 0,
        "the engine's desired slots on a pool chart": () => onAnyPool('slots', 'desired'),
      };
      const pending = new Set(Object.keys(checks));
      const deadline = shownAt + (DURATION_S - 5) * 1000;
      while (pending.size > 0 && Date.now() < deadline) {
        for (const what of [...pending]) {
          if (!(await checks[what]?.().catch(() => false))) continue;
          pending.delete(what);
          process.stderr.write(`[demo e2e] shown ${Math.round((Date.now() - shownAt) / 1000)} s after start: ${what}\n`);
        }
        if (pending.size > 0) await new Promise((r) => setTimeout(r, 2000));
      }
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/demo-dashboard.png', fullPage: true });
      expect([...pending], `not shown before the demo ended; demo log tail:\n${stderr.slice(-3000)}`).toEqual([]);
    },
    (DURATION_S + 30) * 1000,
  );

  it('ends with exit code 0 and a summary that agrees with ClickHouse', async () => {
    const code = await exited;
    expect(code, stderr.slice(-3000)).toBe(0);
    const summary = JSON.parse(stdout) as DemoSummary & { durationS: number; jobsSubmitted: number };
    expect(summary.database).toBe(db);
    expect(summary.durationS).toBeGreaterThanOrEqual(DURATION_S);
    const builds = ident(`${db}.build_events`);
    // The database is this run's own: every stored build event belongs to the run and must be counted.
    expect(summary.eventsTotal).toBeGreaterThan(0);
    expect(summary.events?.build_events).toBe(await scalar(sql`SELECT count() AS v FROM ${builds} FINAL`.text));
    const agents = defaultSettings(DURATION_S).agentPools.map(agentExecutor);
    const byAgents = await scalar(
      sql`SELECT uniqExact(build_id) AS v FROM ${builds} WHERE type = 'FINISHED' AND has(${agents}, assumeNotNull(executor))`.text,
    );
    expect(summary.buildsByAgents).toBe(byAgents);
    expect(byAgents).toBeGreaterThan(0);
    expect(summary.jobsSubmitted).toBeGreaterThan(0);
    expect(summary.alertsFired).toBeGreaterThan(0);
    expect(summary.directivesIssued).toBeGreaterThan(0);
    expect(summary.directivesAcked).toBeGreaterThan(0);
    expect(summary.model?.version).toMatch(/^v\d+/);
    // The scorer hot-reloaded the model trained during the demo and served predictions with it.
    const byModel = await scalar(
      sql`SELECT count() AS v FROM ${ident(`${db}.predictions`)} WHERE model_version = ${summary.model?.version ?? ''}`.text,
    );
    expect(byModel).toBeGreaterThan(0);
  }, 120_000);
});
