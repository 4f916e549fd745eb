/**
 * Issues a directive: builds the Avro record, publishes it (keyed by pool, to the compacted topic of its
 * kind) and records it in ClickHouse with the numbers that led to it. Used by the directive engine and by
 * `POST /v1/directives` alike, so manual and computed directives look the same downstream.
 */
import { randomUUID } from 'node:crypto';
import type { Directive, WarmTarget } from '../../ingest/index.js';
import type { DirectiveRecorder } from './recorder.js';

/** Where a published directive landed. */
export interface PublishedAt {
  topic: string;
  partition: number;
  offset: string;
}

/** Publishes directives (implemented by `sinks/kafka/directive-publisher.ts`). */
export interface DirectiveSink {
  publish(directive: Directive): Promise<PublishedAt>;
}

/** What the caller decides; the issuer adds ids and times. */
export interface DirectiveDraft {
  pool: string;
  kind: Directive['kind'];
  /** `engine` or `manual`. */
  source: string;
  /** Policy name (or `manual`). */
  policy: string;
  desiredSlots: number | null;
  warm: WarmTarget[];
  reason: Record<string, number>;
  reasonText: string;
  validForMs: number;
}

/** A directive after publishing and recording. */
export interface IssuedDirective extends PublishedAt {
  directive: Directive;
}

/** Issues directives. */
export interface DirectiveIssuer {
  issue(draft: DirectiveDraft): Promise<IssuedDirective>;
}

/** Dependencies of {@link createDirectiveIssuer}. */
export interface DirectiveIssuerDeps {
  sink: DirectiveSink;
  recorder: DirectiveRecorder;
  /** Producer id written into the envelope (e.g. `pulse-api-<host>`). */
  producerId: string;
  clock?: () => number;
  newId?: () => string;
}

/** Creates the issuer. Publishing happens before recording so a row always names a real offset. */
export function createDirectiveIssuer(deps: DirectiveIssuerDeps): DirectiveIssuer {
  const clock = deps.clock ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  let seq = 0;
  return {
    async issue(draft) {
      const now = clock();
      const id = newId();
      const directive: Directive = {
        event_id: id,
        event_time: now,
        producer_id: deps.producerId,
        seq: seq++,
        directive_id: id,
        pool: draft.pool,
        kind: draft.kind,
        issued_at: now,
        valid_until: now + draft.validForMs,
        reason: draft.reason,
        reason_text: draft.reasonText,
        desired_slots: draft.kind === 'SCALING' ? draft.desiredSlots : null,
        warm: draft.kind === 'CACHE_WARM' ? draft.warm : [],
      };
      const at = await deps.sink.publish(directive);
      await deps.recorder.recordIssued({ directive, source: draft.source, policy: draft.policy, ...at });
      return { directive, ...at };
    },
  };
}
