// Kafka broker stopped and restarted mid-stream: producers and the processor recover, nothing is lost
// and nothing is counted twice (exact per pool-minute comparison with the events produced).
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { stackStopService, stackUp } from '../../deploy/index.js';
import { applySchema, createKafka } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { checkEndState, produceResilient, say, seededEvents, startProcessor, stopChild, waitCommitted, waitProgress } from './harness.js';
import { dropIsolated } from '../helpers/cleanup.js';

describe('fault: Kafka broker restart mid-stream', () => {
  const config = isolatedConfig(uniqueName('fk'));
  const logger = createLogger({ level: 'error' });
  const kafka = createKafka(config, logger, 'fault-kafka');
  afterAll(() => dropIsolated(config));

  it('recovers with exactly the produced events in raw tables and features', async () => {
    expect(config.kafka.external, 'fault tests stop and start the LOCAL stack; unset KAFKA_BROKERS').toBe(false);
    await applySchema(config, logger);
    const events = seededEvents(30_000, 7);
    const group = uniqueName('g');
    const proc = startProcessor(config, group);
    let restarted = false;
    try {
      const sent = await produceResilient(kafka, config, events, {
        onBatch: async (n) => {
          if (restarted || n < events.length / 3) return;
          restarted = true;
          // Mid-stream: the processor has joined the group and committed part of what it consumed.
          const progress = await waitProgress(kafka, config, group, 1, 60_000, proc);
          say(`stopping Kafka after ${n} events produced, ${progress} committed by the processor`);
          await stackStopService(config, 'kafka');
          await new Promise((r) => setTimeout(r, 5000));
          say('starting Kafka again');
          await stackUp(config, (m) => say(m));
        },
      });
      expect(restarted).toBe(true);
      expect(sent).toBe(events.length);
      const total = await waitCommitted(kafka, config, group, 240_000, proc);
      say(`topic holds ${total} messages for ${events.length} events produced`);
    } finally {
      await stopChild(proc);
    }
    const state = await checkEndState(config, events);
    say(
      `raw rows ${state.rawRows} (FINAL ${state.rawRowsFinal}), finished builds expected ${state.expectedFinished}, mismatched pool-minutes ${state.featureMismatches.length}`,
    );
    expect(state.rawRowsFinal).toBe(events.length);
    expect(state.featureMismatches).toEqual([]);
  });
});
