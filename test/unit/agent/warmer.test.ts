// Warmer: pre-builds in idle slots only, in directive order; a newer directive replaces the queue.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import type { BuildResult } from '../../../ingest/agent/build-driver.js';
import type { JobRunner } from '../../../ingest/agent/job-runner.js';
import { createSlots } from '../../../ingest/agent/slots.js';
import { createWarmer } from '../../../ingest/agent/warmer.js';
import type { Directive } from '../../../ingest/contracts/types.js';

const directive = (id: string, combos: string[][]): Directive => ({
  event_id: id,
  event_time: 0,
  producer_id: 't',
  seq: 0,
  directive_id: id,
  pool: 'p',
  kind: 'CACHE_WARM',
  issued_at: 0,
  valid_until: 1,
  reason: {},
  reason_text: '',
  desired_slots: null,
  warm: combos.map((combination) => ({ combination, expected_saving_ms: 0 })),
});

function fakeRunner() {
  const started: string[] = [];
  const finish: (() => void)[] = [];
  const result: BuildResult = {
    status: 'PASSED',
    failureCategory: null,
    error: null,
    exitCode: null,
    failedStep: null,
    imageId: 'x',
    imageSizeBytes: 1,
    layerCount: 1,
    steps: [],
    durationMs: 5,
  };
  const runner: JobRunner = {
    runJob: () => Promise.reject(new Error('not used')),
    warm: (combination) => {
      started.push(combination.join(';'));
      return new Promise((resolve) => finish.push(() => resolve(result)));
    },
  };
  return { runner, started, finish };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('warmer', () => {
  it('warms in idle slots only and waits behind jobs', async () => {
    const slots = createSlots(1);
    const { runner, started, finish } = fakeRunner();
    const warmer = createWarmer({ slots, runner, logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) });
    warmer.start();
    const jobSlot = await slots.acquire();
    warmer.apply(directive('d1', [['base@1'], ['base@2']]));
    await tick();
    expect(started).toEqual([]);
    jobSlot();
    await tick();
    expect(started).toEqual(['base@1']);
    // A job arriving now waits for the warm build (never interrupted), then goes before the next warm target.
    const job = slots.acquire();
    finish.shift()?.();
    const release = await job;
    await tick();
    expect(started).toEqual(['base@1']);
    release();
    await tick();
    expect(started).toEqual(['base@1', 'base@2']);
    finish.shift()?.();
    await tick();
    expect(warmer.history().map((h) => h.combination.join(';'))).toEqual(['base@1', 'base@2']);
    await warmer.stop();
  });

  it('replaces the queue with a newer directive', async () => {
    const slots = createSlots(0);
    const { runner, started, finish } = fakeRunner();
    const warmer = createWarmer({ slots, runner, logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) });
    warmer.start();
    warmer.apply(directive('d1', [['base@1'], ['base@2']]));
    warmer.apply(directive('d2', [['base@3']]));
    expect(warmer.pending).toBe(1);
    slots.setCapacity(2);
    await tick();
    expect(started).toEqual(['base@3']);
    finish.shift()?.();
    await warmer.stop();
  });
});
