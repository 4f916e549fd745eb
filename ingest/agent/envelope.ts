/**
 * Event envelopes of one agent process: `producer_id` names the executor and this process's start, so
 * the per-producer `seq` (counted from 0 in every process) never repeats under one producer id.
 */
import type { Envelope } from '../contracts/types.js';

/** Makes envelopes for one producer. */
export interface EnvelopeFactory {
  readonly producerId: string;
  /** An envelope with the given deterministic event id, the current time and the next sequence number. */
  next(eventId: string): Envelope;
}

/** Creates the envelope factory of an executor process. */
export function createEnvelopeFactory(executor: string, clock: () => number = Date.now): EnvelopeFactory {
  const producerId = `agent:${executor}:${clock().toString(36)}`;
  let seq = 0;
  return {
    producerId,
    next(eventId) {
      return { event_id: eventId, event_time: clock(), producer_id: producerId, seq: seq++ };
    },
  };
}
