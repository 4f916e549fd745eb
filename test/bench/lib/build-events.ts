/**
 * Deterministic build events for throughput benchmarks: QUEUED/STARTED/FINISHED triples over a few
 * pools, heavy-tailed durations, ~8% failures, event times spread over `minutes` minutes.
 */
import type { BuildEvent } from '../../../ingest/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` events (a multiple of 3: one build = queued, started, finished), in event-time order like a real producer's. */
export function* benchBuildEvents(
  count: number,
  opts: { seed?: number; pools?: number; startMs?: number; minutes?: number } = {},
): Generator<BuildEvent> {
  const all = [...unorderedBuildEvents(count, opts)];
  all.sort((a, b) => a.event_time - b.event_time || a.seq - b.seq);
  yield* all;
}

function* unorderedBuildEvents(
  count: number,
  opts: { seed?: number; pools?: number; startMs?: number; minutes?: number } = {},
): Generator<BuildEvent> {
  const rand = rng(opts.seed ?? 1);
  const pools = opts.pools ?? 8;
  const start = opts.startMs ?? Date.UTC(2026, 0, 5, 8, 0, 0);
  const spanMs = (opts.minutes ?? 60) * 60_000;
  const builds = Math.floor(count / 3);
  let seq = 0;
  for (let b = 0; b < builds; b++) {
    const pool = `pool-${b % pools}`;
    const t = start + Math.floor((b / builds) * spanMs);
    const duration = Math.round(20_000 * Math.exp(rand() * 1.5) * (rand() < 0.05 ? 4 : 1));
    const wait = Math.round(rand() * 5000);
    const failed = rand() < 0.08;
    const base = {
      producer_id: 'bench',
      build_id: `b${b}`,
      job_id: `j${b}`,
      pool,
      arch: 'amd64',
      combination: ['base@1', `node@${18 + (b % 3)}`, `openssl@3.${b % 2}`],
      image_size_bytes: null,
      layer_count: null,
      sbom_generation_ms: null,
      features: {},
    };
    yield {
      ...base,
      event_id: `b${b}-q`,
      event_time: t - wait,
      seq: seq++,
      type: 'QUEUED',
      executor: null,
      queue_wait_ms: null,
      duration_ms: null,
      status: null,
      failure_category: null,
    };
    yield {
      ...base,
      event_id: `b${b}-s`,
      event_time: t,
      seq: seq++,
      type: 'STARTED',
      executor: `${pool}-e${b % 4}`,
      queue_wait_ms: wait,
      duration_ms: null,
      status: null,
      failure_category: null,
    };
    yield {
      ...base,
      event_id: `b${b}-f`,
      event_time: t + duration,
      seq: seq++,
      type: 'FINISHED',
      executor: `${pool}-e${b % 4}`,
      queue_wait_ms: wait,
      duration_ms: duration,
      status: failed ? 'FAILED' : 'PASSED',
      failure_category: failed ? 'test' : null,
    };
  }
}
