/**
 * Where `POST /v1/jobs` sends build jobs: the `jobs` topic through the ingest producer library
 * (`createEventProducer(...).sendMany('job', jobs)` satisfies this interface via {@link jobSinkFromProducer}).
 */
import type { BuildJob, EventProducer } from '../../ingest/index.js';

/** Accepts validated build jobs; resolves once Kafka acknowledged all of them. */
export interface JobSink {
  submit(jobs: readonly BuildJob[]): Promise<void>;
}

/** A JobSink over the ingest producer. */
export function jobSinkFromProducer(producer: Pick<EventProducer, 'sendMany'>): JobSink {
  return { submit: (jobs) => producer.sendMany('job', jobs) };
}
