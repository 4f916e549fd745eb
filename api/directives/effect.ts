/**
 * Effect measurement: for every acked directive whose measuring window has passed, compare the pool's
 * queue-wait p95 and cache hit ratio in the window before the directive was issued with the window after
 * its first ack, and record the result as a new version of the directive's row. Directives nobody acked
 * before they expired get the status `not_acked`.
 */
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { PoolStateSource } from './pool-state.js';
import type { DirectiveRecorder, EffectRecord } from './recorder.js';

/** Dependencies of {@link createEffectMeter}. */
export interface EffectMeterDeps {
  source: Pick<PoolStateSource, 'windowStats'>;
  recorder: Pick<DirectiveRecorder, 'pendingEffects' | 'recordEffect' | 'unackedExpired'>;
  /** Length of the before and after windows, ms. */
  windowMs: number;
  logger: Logger;
  metrics: Metrics;
}

/** Measures due effects. */
export interface EffectMeter {
  /** Measures every directive due at `nowMs`; returns what was recorded. */
  measureDue(nowMs: number): Promise<EffectRecord[]>;
}

/** Creates the effect meter. */
export function createEffectMeter(deps: EffectMeterDeps): EffectMeter {
  const measured = deps.metrics.counter('directive_effects_measured_total', 'directive effects recorded', ['kind', 'status']);
  return {
    async measureDue(nowMs) {
      const due = await deps.recorder.pendingEffects(nowMs - deps.windowMs, 100);
      const out: EffectRecord[] = [];
      for (const d of due) {
        const before = await deps.source.windowStats(d.pool, d.issuedAt - deps.windowMs, d.issuedAt);
        const after = await deps.source.windowStats(d.pool, d.ackedAt, d.ackedAt + deps.windowMs);
        const hasData = before.builds > 0 || after.builds > 0;
        const effect: EffectRecord = {
          directiveId: d.directiveId,
          pool: d.pool,
          kind: d.kind,
          status: hasData ? 'measured' : 'no_data',
          measuredAt: nowMs,
          windowMs: deps.windowMs,
          queueWaitP95BeforeMs: before.queueWaitP95Ms,
          queueWaitP95AfterMs: after.queueWaitP95Ms,
          hitRatioBefore: before.hitRatio,
          hitRatioAfter: after.hitRatio,
        };
        await deps.recorder.recordEffect(effect);
        measured.inc({ kind: d.kind, status: effect.status });
        deps.logger.info({ directive: d.directiveId, pool: d.pool, effect }, 'directive effect measured');
        out.push(effect);
      }
      for (const d of await deps.recorder.unackedExpired(nowMs - deps.windowMs, 500)) {
        const effect: EffectRecord = {
          directiveId: d.directiveId,
          pool: d.pool,
          kind: d.kind,
          status: 'not_acked',
          measuredAt: nowMs,
          windowMs: 0,
          queueWaitP95BeforeMs: null,
          queueWaitP95AfterMs: null,
          hitRatioBefore: null,
          hitRatioAfter: null,
        };
        await deps.recorder.recordEffect(effect);
        measured.inc({ kind: d.kind, status: effect.status });
        out.push(effect);
      }
      return out;
    },
  };
}
