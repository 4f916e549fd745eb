import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../ingest/index.js';
import { argsFor, catalogOf } from '../../../deploy/demo/available.js';
import { poissonArrivals, ratePerMinute, type DemandPlan } from '../../../deploy/demo/demand.js';
import { agentPlans, defaultSettings } from '../../../deploy/demo/plan.js';
import { backfillRun, expectedEvents, liveRun } from '../../../deploy/demo/simulator-driver.js';

function program(): Command {
  const p = new Command('pulse');
  p.command('agent').option('--pool <name>').option('--slots <n>');
  p.command('simulate')
    .option('--pools <n>')
    .option('--executors-per-pool <n>')
    .option('--seed <n>')
    .option('--start <t>')
    .option('--rate <r>')
    .option('--duration <s>')
    .option('--anomalies');
  p.command('detect').command('stream').option('--json');
  return p;
}

describe('demo: available commands', () => {
  it('lists commands, sub-commands and their long flags', () => {
    const cat = catalogOf(program());
    expect([...cat.keys()].sort()).toEqual(['agent', 'detect', 'detect stream', 'simulate']);
    expect(cat.get('agent')?.flags.has('--pool')).toBe(true);
  });

  it('passes only flags the command declares and reports the others', () => {
    const info = catalogOf(program()).get('agent');
    if (!info) throw new Error('agent missing');
    expect(
      argsFor(info, [
        ['--pool', 'a'],
        ['--executor', 'x'],
        ['--slots', 2],
      ]),
    ).toEqual({ args: ['agent', '--pool', 'a', '--slots', '2'], dropped: ['--executor'] });
  });

  it('plans one agent per pool, none when the command is missing', () => {
    const settings = defaultSettings(60);
    expect(agentPlans(catalogOf(program()), settings).map((p) => p.name)).toEqual(['agent-local-a', 'agent-local-b']);
    expect(agentPlans(new Map(), settings)).toEqual([]);
  });
});

describe('demo: demand', () => {
  const plan: DemandPlan = { pools: ['a', 'b'], basePerMinute: 6, burstStartMs: 60_000, burstDurationMs: 30_000, burstFactor: 4 };

  it('bursts only the first pool, only inside the burst window', () => {
    const before = ratePerMinute(plan, 59_000, 0);
    const during = ratePerMinute(plan, 70_000, 0);
    expect(during).toBeGreaterThan(2.5 * before);
    expect(ratePerMinute(plan, 70_000, 1)).toBeLessThan(plan.basePerMinute * 1.31);
    expect(ratePerMinute(plan, 95_000, 0)).toBeLessThan(plan.basePerMinute * 1.31);
  });

  it('draws Poisson arrivals with the requested mean', () => {
    const rng = createRng(7);
    let total = 0;
    const ticks = 20_000;
    for (let i = 0; i < ticks; i++) total += poissonArrivals(rng, 30, 1000); // mean 0.5 per tick
    expect(total / ticks).toBeGreaterThan(0.47);
    expect(total / ticks).toBeLessThan(0.53);
  });
});

describe('demo: simulator pacing', () => {
  const shape = { pools: 2, executorsPerPool: 4, seed: 3 };
  const info = catalogOf(program()).get('simulate');
  if (!info) throw new Error('simulate missing');

  it('expects more events for a longer stretch of virtual time', () => {
    const t = Date.UTC(2026, 0, 6, 12);
    const hour = expectedEvents(shape, t - 3600_000, t);
    expect(hour).toBeGreaterThan(0);
    expect(expectedEvents(shape, t - 7200_000, t)).toBeGreaterThan(hour);
  });

  it('sends the backfill fast, ending at now, and live runs at the expected real-time rate', () => {
    const now = Date.UTC(2026, 0, 6, 12);
    const back = backfillRun(info, shape, now, 30, true);
    expect(back.toMs).toBe(now);
    expect(back.args).toContain('--anomalies');
    expect(back.args[back.args.indexOf('--start') + 1]).toBe(String(now - 30 * 60_000));
    const live = liveRun(info, shape, now, 120, false);
    const rate = Number(live.args[live.args.indexOf('--rate') + 1]);
    expect(rate * 120).toBeCloseTo(expectedEvents(shape, now, now + 120_000), 0);
    expect(live.args).not.toContain('--anomalies');
    expect(live.toMs - live.fromMs).toBe(120_000);
  });
});
