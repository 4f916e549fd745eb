// ClickHouse stopped for 30 s while events flow: the sink backs off, consumption pauses (memory stays
// bounded), then catches up; nothing is lost or double counted.
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { stackStopService, stackUp } from '../../deploy/index.js';
import { applySchema, createKafka } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { checkEndState, produceResilient, rssMiB, say, seededEvents, startProcessor, stopChild, waitCommitted } from './harness.js';
import { dropIsolated } from '../helpers/cleanup.js';

describe('fault: ClickHouse outage', () => {
  const config = isolatedConfig(uniqueName('fc'));
  const logger = createLogger({ level: 'error' });
  const kafka = createKafka(config, logger, 'fault-ch');
  afterAll(() => dropIsolated(config));

  it('pauses with bounded memory and catches up exactly', async () => {
    expect(config.clickhouse.external, 'fault tests stop and start the LOCAL stack; unset CLICKHOUSE_URL').toBe(false);
    await applySchema(config, logger);
    const events = seededEvents(60_000, 11);
    const group = uniqueName('g');
    const proc = startProcessor(config, group);
    const rss: number[] = [];
    try {
      await produceResilient(kafka, config, events.slice(0, 15_000));
      say('stopping ClickHouse for 30 s while producing the rest');
      await stackStopService(config, 'clickhouse');
      const sampler = setInterval(() => proc.pid && rss.push(rssMiB(proc.pid)), 1000);
      await produceResilient(kafka, config, events.slice(15_000));
      await new Promise((r) => setTimeout(r, 30_000));
      clearInterval(sampler);
      expect(proc.exitCode, 'the processor must survive the outage').toBeNull();
      say(`processor RSS during the outage: min ${Math.min(...rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB`);
      await stackUp(config, (m) => say(m));
      await waitCommitted(kafka, config, group, 240_000, proc);
    } finally {
      await stopChild(proc);
    }
    const state = await checkEndState(config, events);
    say(`raw rows FINAL ${state.rawRowsFinal}/${events.length}, mismatched pool-minutes ${state.featureMismatches.length}`);
    expect(state.rawRowsFinal).toBe(events.length);
    expect(state.featureMismatches).toEqual([]);
    expect(Math.max(...rss)).toBeLessThan(1024);
  });
});
