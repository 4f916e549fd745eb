/**
 * Builds the simulator's event values (Avro contract shapes) with envelope fields: deterministic
 * event ids, one producer id per executor/scheduler, per-producer sequence numbers.
 */
import { createHash } from 'node:crypto';
import { sbomComponents } from '../catalogue.js';
import type { TopicId } from '../../common/topics.js';
import type { Envelope, Family, FamilyTypes } from '../contracts/types.js';
import { topicIdFor } from '../producer/routing.js';
import type { Rng } from './rng.js';

/** One generated event. */
export type SimEvent = { [F in Family]: { family: F; value: FamilyTypes[F] } }[Family];

/** Collects generated events of one step, filling envelopes. */
export interface Emitter {
  /** Adds the envelope (id, time, producer, sequence) to `body` and queues the event. */
  emit<F extends Family>(family: F, producer: string, atMs: number, body: Omit<FamilyTypes[F], keyof Envelope>): void;
  /** Takes the events pushed since the last drain. */
  drain(): SimEvent[];
}

/** Creates an emitter; producer ids are `sim<seed>-<name>`. */
export function createEmitter(seed: number, onEvent: (family: Family, topic: TopicId) => void): Emitter {
  const seqs = new Map<string, number>();
  let out: SimEvent[] = [];
  return {
    emit(family, producer, atMs, body) {
      const producerId = `sim${seed}-${producer}`;
      const seq = (seqs.get(producerId) ?? 0) + 1;
      seqs.set(producerId, seq);
      // Fields are set on the body rather than spread into a new object: V8's spread-then-add
      // path costs ~25 µs per event, which alone would cap the simulator below its target rate.
      const value = body as FamilyTypes[typeof family];
      value.event_id = `${producerId}-${seq}`;
      value.event_time = Math.round(atMs);
      value.producer_id = producerId;
      value.seq = seq;
      out.push({ family, value } as SimEvent);
      onEvent(family, topicIdFor(family, value));
    },
    drain() {
      const d = out;
      out = [];
      return d;
    },
  };
}

/** Test results of a passed build: 3–6 tests; pair-related test failures, some flaky retries. */
export function testResults(
  em: Emitter,
  rng: Rng,
  at: number,
  b: { buildId: string; pool: string; executor: string; combination: string[]; key: string; testRisk: number },
): void {
  const plan = `tp-${createHash('sha1').update(b.key).digest('hex').slice(0, 10)}`;
  const n = rng.int(3, 6);
  for (let i = 0; i < n; i++) {
    const roll = rng.next();
    const outcome =
      roll < 0.02 + b.testRisk ? 'FAILED' : roll < 0.06 + b.testRisk ? 'FLAKY' : roll < 0.08 + b.testRisk ? 'SKIPPED' : 'PASSED';
    const duration = Math.round(rng.logNormal(2000, 0.8));
    em.emit('test', b.executor, at, {
      test_plan_id: plan,
      build_id: b.buildId,
      pool: b.pool,
      combination: b.combination,
      test_id: `${plan}-t${i + 1}`,
      outcome,
      retries: outcome === 'FLAKY' ? 1 + (rng.chance(0.3) ? 1 : 0) : 0,
      duration_ms: duration,
    });
  }
}

/** The SBOM document of a built image. */
export function sbomDocument(em: Emitter, at: number, b: { buildId: string; pool: string; executor: string; combination: string[] }): void {
  em.emit('sbom', b.executor, at, {
    image_digest: `sha256:${createHash('sha256').update(b.buildId).digest('hex')}`,
    build_id: b.buildId,
    pool: b.pool,
    combination: b.combination,
    components: sbomComponents(b.combination),
  });
}
