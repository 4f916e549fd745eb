/** Turns history records into the QUEUED/STARTED/FINISHED build events a live scorer would see. */
import type { BuildEvent } from '../../../../ingest/index.js';
import type { HistoryRecord } from '../../../../models/index.js';

const ORDER = { FINISHED: 0, QUEUED: 1, STARTED: 2 } as const;

/** Events of `records` in event-time order (at equal times: finishes, then queues, then starts). */
export function eventsOf(records: readonly HistoryRecord[]): BuildEvent[] {
  const out: BuildEvent[] = [];
  let seq = 0;
  for (const r of records) {
    const base = {
      producer_id: 'test',
      job_id: `job-${r.build_id}`,
      build_id: r.build_id,
      pool: r.pool,
      arch: r.arch,
      combination: r.combination,
      queue_wait_ms: null,
      duration_ms: null,
      status: null,
      failure_category: null,
      image_size_bytes: null,
      layer_count: null,
      sbom_generation_ms: null,
      features: r.features,
    };
    if (r.queued_at !== null)
      out.push({ ...base, event_id: `${r.build_id}-q`, seq: seq++, event_time: r.queued_at, type: 'QUEUED', executor: null });
    out.push({ ...base, event_id: `${r.build_id}-s`, seq: seq++, event_time: r.started_at, type: 'STARTED', executor: r.executor });
    out.push({
      ...base,
      event_id: `${r.build_id}-f`,
      seq: seq++,
      event_time: r.started_at + r.duration_ms,
      type: 'FINISHED',
      executor: r.executor,
      duration_ms: r.duration_ms,
      status: r.status,
    });
  }
  return out.sort((a, b) => a.event_time - b.event_time || ORDER[a.type] - ORDER[b.type] || a.seq - b.seq);
}
