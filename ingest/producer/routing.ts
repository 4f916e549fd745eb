/**
 * Where each event family goes: topic and message key (DESIGN.md "Topics"). The one place that maps
 * families to topics — producers, the gateway and consumers' tests all use it.
 */
import { topicNames, type TopicId } from '../../common/topics.js';
import type { Family, FamilyTypes } from '../contracts/types.js';

/** Topic id of a family's messages (directives go to the scaling or cache-warm topic by kind). */
export function topicIdFor<F extends Family>(family: F, value: FamilyTypes[F]): TopicId {
  switch (family) {
    case 'build':
      return 'events.build';
    case 'cache':
      return 'events.cache';
    case 'resource':
      return 'events.resource';
    case 'test':
      return 'events.test';
    case 'sbom':
      return 'events.sbom';
    case 'job':
      return 'jobs';
    case 'directive':
      return (value as FamilyTypes['directive']).kind === 'CACHE_WARM' ? 'directives.cache-warm' : 'directives.scaling';
    case 'directive-ack':
      return 'directives.ack';
    case 'alert':
      return 'alerts';
    default:
      return 'dlq';
  }
}

/** Every topic id that carries a family (directive: both directive topics). */
export const FAMILY_TOPIC_IDS: Readonly<Record<Family, readonly TopicId[]>> = {
  build: ['events.build'],
  cache: ['events.cache'],
  resource: ['events.resource'],
  test: ['events.test'],
  sbom: ['events.sbom'],
  job: ['jobs'],
  directive: ['directives.scaling', 'directives.cache-warm'],
  'directive-ack': ['directives.ack'],
  alert: ['alerts'],
};

/** Full topic name of a family's message under a prefix. */
export function topicFor<F extends Family>(prefix: string, family: F, value: FamilyTypes[F]): string {
  return topicNames(prefix)[topicIdFor(family, value)];
}

/**
 * Message key: build/job/directive → pool, cache/resource → executor, test → combination joined by
 * `;`, sbom → image digest, directive-ack → directive id, alert → alert key.
 */
export function keyFor<F extends Family>(family: F, value: FamilyTypes[F]): string {
  const v: FamilyTypes[Family] = value;
  switch (family) {
    case 'build':
    case 'job':
    case 'directive':
      return (v as FamilyTypes['build']).pool;
    case 'cache':
    case 'resource':
      return (v as FamilyTypes['cache']).executor;
    case 'test':
      return (v as FamilyTypes['test']).combination.join(';');
    case 'sbom':
      return (v as FamilyTypes['sbom']).image_digest;
    case 'directive-ack':
      return (v as FamilyTypes['directive-ack']).directive_id;
    case 'alert':
      return (v as FamilyTypes['alert']).alert_key;
    default:
      return '';
  }
}
